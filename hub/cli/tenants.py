from __future__ import annotations

import click

from hub.cli._context import container
from tenants.model import Principal, TenantKind


@click.group(help="Organisaties (tenants).")
def tenants() -> None:
    pass


@tenants.command("create")
@click.option("--id", "tenant_id", required=True, help="Slug, e.g. mzwo-centrum")
@click.option("--name", required=True)
@click.option("--kind", required=True, type=click.Choice([k.value for k in TenantKind]))
@click.option("--oin", default=None)
@click.option("--kvk", default=None)
def create(tenant_id: str, name: str, kind: str, oin: str | None, kvk: str | None) -> None:
    with container() as c:
        tenant = c.tenants.create(Principal.system(), tenant_id=tenant_id, name=name,
                                  kind=TenantKind(kind), oin=oin, kvk=kvk)
        click.echo(f"created {tenant.id} ({tenant.kind.value})")


@tenants.command("list")
def list_() -> None:
    with container() as c:
        cursor = None
        while True:
            page = c.tenants.list(Principal.system(), after=cursor, limit=500)
            for t in page.items:
                click.echo(f"{t.id}\t{t.kind.value}\t{t.status.value}\t{t.name}")
            if page.next is None:
                break
            cursor = page.next


@tenants.command("suspend")
@click.argument("tenant_id")
def suspend(tenant_id: str) -> None:
    with container() as c:
        c.tenants.suspend(Principal.system(), tenant_id)
        click.echo(f"suspended {tenant_id}")
