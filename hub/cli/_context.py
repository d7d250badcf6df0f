"""Shared helpers: build the container from the environment, once per command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from hub.bootstrap import Container, bootstrap
from hub.config import Config
from hub.errors import HubError
from hub.logs import configure_logging
from tenants.errors import TenantsError


@contextmanager
def container(*, quiet: bool = False) -> Iterator[Container]:
    """``quiet`` keeps the logs to warnings, for commands whose own output is the point."""
    config = Config.from_env()
    configure_logging("WARNING" if quiet else config.log_level)
    c = bootstrap(config)
    try:
        yield c
    except (TenantsError, HubError) as exc:
        fields = ", ".join(f"{d.get('field')} ({d.get('rule')})" for d in exc.details)
        suffix = f" [{fields}]" if fields else ""
        raise click.ClickException(f"{exc.code}: {exc.message}{suffix}") from exc
    finally:
        c.close()
