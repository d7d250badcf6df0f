from __future__ import annotations

import click

from hub.cli._context import container
from hub.delivery.model import DeliveryStatus
from tenants.model import Principal


@click.group(help="Afleveringen.")
def deliveries() -> None:
    pass


@deliveries.command("list", help="Afleveringen in een toestand (standaard: dead).")
@click.option("--status", default="dead", type=click.Choice([s.value for s in DeliveryStatus]))
def list_(status: str) -> None:
    with container() as c:
        cursor = None
        while True:
            page = c.deliveries.list_by_status(Principal.system(), DeliveryStatus(status),
                                               after=cursor, limit=500)
            for d in page.items:
                click.echo(f"{d.id}\t{d.recipient}\t{d.connector}\t{d.attempts}\t{d.last_error or ''}")
            if page.next is None:
                break
            cursor = page.next


@deliveries.command("redrive", help="Bied dode afleveringen opnieuw aan.")
@click.argument("delivery_ids", nargs=-1, required=True)
def redrive(delivery_ids: tuple[str, ...]) -> None:
    with container() as c:
        for delivery_id in delivery_ids:
            d = c.deliveries.redrive(Principal.system(), delivery_id)
            if d.status is DeliveryStatus.BLOCKED:
                click.echo(f"geblokkeerd {delivery_id}: {d.status_reason}")
            else:
                click.echo(f"redriven {delivery_id}")
