"""``ketenhub retention``: crypto-shred what is past its retention."""

from __future__ import annotations

import click

from hub.cli._context import container


@click.group(help="Bewaartermijnen: verlopen gegevens vernietigen (crypto-shredding).")
def retention() -> None:
    pass


@retention.command("run", help="Vernietig nu alles waarvan de bewaartermijn verstreken is.")
def run() -> None:
    with container(quiet=True) as c:
        report = c.retention.run(actor="cli")
    click.echo(f"Bewaartermijnen uitgevoerd (run {report.run_id}): {report.messages} "
               f"bericht(en) vernietigd, {report.zaken} zaak/zaken vernietigd, "
               f"{report.postponed} bericht(en) nog bewaard voor een zaak.")
