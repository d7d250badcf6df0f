from __future__ import annotations

import click

from hub.cli._context import container
from hub.persistence.migrate import upgrade


@click.group(help="Databaseschema.")
def db() -> None:
    pass


@db.command("upgrade", help="Migreer de database naar de nieuwste versie.")
def db_upgrade() -> None:
    with container() as c:
        upgrade(c.engine)
        click.echo("database up to date")
