"""The ``ketenhub`` command."""

from __future__ import annotations

import click

from hub.cli.audit import audit
from hub.cli.db import db
from hub.cli.deliveries import deliveries
from hub.cli.demo import demo
from hub.cli.inzage import inzage
from hub.cli.keys import keys
from hub.cli.privacy import privacy
from hub.cli.retention import retention
from hub.cli.serve import serve
from hub.cli.tenants import tenants
from hub.cli.users import users
from hub.cli.worker import worker


@click.group(help="Ketenhub: integratiehub voor zorg en woonoverlast.")
def cli() -> None:
    pass


for command in (serve, worker, db, tenants, keys, users, demo, deliveries, privacy, audit,
                inzage, retention):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="ketenhub")
