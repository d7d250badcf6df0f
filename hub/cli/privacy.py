from __future__ import annotations

import sys

import click

from consent.privacy import PrivacyGuard
from consent.privacy.cli import run


@click.group(help="Privacyregels (BSN, medische gegevens).")
def privacy() -> None:
    pass


@privacy.command("check", help="Lees JSON-regels van stdin; print per regel het oordeel.")
def check() -> None:
    sys.exit(run(sys.stdin, sys.stdout, PrivacyGuard.default()))
