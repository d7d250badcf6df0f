from __future__ import annotations

import sys

import click

from consent.privacy import PrivacyGuard
from consent.privacy.cli import run
from hub.api import strict_json


@click.group(help="Privacyregels (BSN, medische gegevens).")
def privacy() -> None:
    pass


@privacy.command("check", help="Lees JSON-regels van stdin; print per regel het oordeel.")
def check() -> None:
    # Each line read as the API reads a body (duplicate keys, lone surrogates, oversized numbers
    # are malformed), checked by the guard the intake uses.
    sys.exit(run(sys.stdin, sys.stdout, PrivacyGuard.default(), strict_json.loads))
