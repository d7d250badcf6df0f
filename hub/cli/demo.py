from __future__ import annotations

import json
import os

import click

from hub.cli._context import container
from hub.persistence.migrate import upgrade
from tenants.demo import DemoServices, load_demo
from tenants.model import Principal


@click.group(help="Demonetwerk (Amsterdam).")
def demo() -> None:
    pass


@demo.command("load", help="Laad het Amsterdamse demonetwerk en schrijf demo-keys.json.")
@click.option("--if-empty", is_flag=True, help="Do nothing when tenants already exist.")
def load(if_empty: bool) -> None:
    with container() as c:
        upgrade(c.engine)
        keys_file = c.config.data_dir / "demo-keys.json"
        if c.tenants.list(Principal.system(), limit=1).items:
            if if_empty:
                click.echo(f"demo already loaded; keys in {keys_file.resolve()}")
                return
            raise click.ClickException("the database already holds tenants; demo not loaded")
        keys = load_demo(DemoServices(c.tenants, c.keys, c.networks))
        c.config.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(keys_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(keys, fh, indent=2)
        click.echo(f"demo network loaded: {len(keys) - 1} tenants; API keys in "
                   f"{keys_file.resolve()}")
