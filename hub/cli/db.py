"""``ketenhub db``: the schema's state and its migrations (Alembic, programmatically)."""

from __future__ import annotations

import click

from hub.cli._context import container
from hub.persistence.migrate import current_heads, current_revision, downgrade, schema_drift, upgrade


@click.group(help="Databaseschema.")
def db() -> None:
    pass


@db.command("upgrade", help="Migreer de database naar de nieuwste versie.")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    with container(quiet=True) as c:
        upgrade(c.engine, revision)
        click.echo(f"database op versie {current_revision(c.engine)}")


@db.command("current", help="Toon de versie van de database en de nieuwste versie van de code.")
def db_current() -> None:
    with container(quiet=True) as c:
        click.echo(f"database: {current_revision(c.engine) or 'leeg'}")
        click.echo(f"code: {', '.join(current_heads())}")


@db.command("downgrade", help="Migreer de database terug naar REVISION ('base' = leeg).")
@click.argument("revision")
@click.confirmation_option(prompt="Gegevens in tabellen die verdwijnen gaan verloren. Doorgaan?")
def db_downgrade(revision: str) -> None:
    with container(quiet=True) as c:
        downgrade(c.engine, revision)
        click.echo(f"database op versie {current_revision(c.engine) or 'leeg'}")


@db.command("check", help="Controleer dat de database precies bij de code past (exit 1 als niet).")
def db_check() -> None:
    with container(quiet=True) as c:
        problems = schema_drift(c.engine)
    if problems:
        for problem in problems:
            click.echo(f"afwijking: {problem}", err=True)
        raise SystemExit(1)
    click.echo("database past bij de code")
