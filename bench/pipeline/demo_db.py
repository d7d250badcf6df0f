"""A hub container on a fresh PostgreSQL database with the demo network, for benchmarks that
call the services in-process; and one intake round of signaal batches."""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.pipeline.events import signaal
from hub.bootstrap import Container, bootstrap
from hub.config import Config
from hub.persistence.migrate import upgrade
from tenants.demo import DemoServices, load_demo
from tenants.model import Principal, Scope

ADMIN_URL = os.environ.get("KETENHUB_BENCH_DATABASE_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def demo_container(prefix: str) -> Iterator[Container]:
    """A migrated database ``<prefix>_<random>`` with the demo tenants and networks, dropped
    afterwards; the container's config carries a fresh master key."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            config = Config(data_dir=Path(data_dir), database_url=url,
                            master_key=base64.b64encode(os.urandom(32)).decode())
            c = bootstrap(config)
            try:
                upgrade(c.engine)
                load_demo(DemoServices(c.tenants, c.keys, c.networks))
                yield c
            finally:
                c.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def intake_round(container: Container, sender: Principal, batches: int, size: int) -> float:
    """``batches`` transactions of ``size`` signalen through ``accept_many``; messages/s."""
    started = time.perf_counter()
    for _ in range(batches):
        results = container.intake.accept_many(sender, [signaal() for _ in range(size)])
        failed = [r for r in results if isinstance(r, Exception)]
        assert not failed, f"{type(failed[0]).__name__}: {failed[0]}"
    return batches * size / (time.perf_counter() - started)


def alternating(container: Container, rounds: int, batches: int, size: int,
                baseline: Callable[[], AbstractContextManager[object]]) -> tuple[float, float]:
    """Median messages/s of ymere's intake as it is and inside ``baseline()``, in alternating
    rounds after a warm-up (caches, the first data key), so both see the same machine."""
    sender = Principal(tenant_id="ymere", key_id="bench", scopes=frozenset(Scope))
    intake_round(container, sender, 2, size)
    real, base = [], []
    for _ in range(rounds):
        real.append(intake_round(container, sender, batches, size))
        with baseline():
            base.append(intake_round(container, sender, batches, size))
    return statistics.median(real), statistics.median(base)


def add_round_arguments(parser: argparse.ArgumentParser) -> None:
    """``--rounds``, ``--batches`` and ``--batch`` of ``alternating``."""
    parser.add_argument("--rounds", type=int, default=6, help="rounds each way, alternating")
    parser.add_argument("--batches", type=int, default=20, help="batches per round")
    parser.add_argument("--batch", type=int, default=50, help="messages per batch")
