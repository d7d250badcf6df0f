"""``ketenhub audit``: verify the processing log, anchor its head."""

from __future__ import annotations

import json

import click

from hub.cli._context import container


@click.group(help="Het verwerkingslogboek.")
def audit() -> None:
    pass


@audit.command("verify", help="Controleer de hele hashketen (met kop en ankers).")
def verify() -> None:
    with container(quiet=True) as c:
        result = c.audit.verify()
    click.echo(json.dumps({"ok": result.ok, "checked": result.checked,
                           "first_bad_seq": result.first_bad_seq}))
    if not result.ok:
        raise SystemExit(1)


@audit.command("anchor", help="Schrijf nu een ondertekend anker van de ketenkop.")
def anchor() -> None:
    with container(quiet=True) as c:
        written = c.audit.anchor()
    if written is None:
        click.echo("geen nieuw anker: de keten is niet gegroeid sinds het laatste")
    else:
        click.echo(f"anker geschreven bij seq {written.seq}")
