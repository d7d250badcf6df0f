from __future__ import annotations

from datetime import UTC, datetime

import click

from hub.cli._context import container
from tenants.model import Principal, Scope, TenantKind

OPERATOR_ID = "ketenhub"


@click.group(help="API-sleutels en de sleutels van de versleuteling.")
def keys() -> None:
    pass


@keys.command("issue", help="Geef een sleutel uit; die wordt één keer getoond.")
@click.option("--tenant", "tenant_id", default=None, help="Tenant id")
@click.option("--hub-admin", is_flag=True, help="A hub admin key (creates the operator tenant)")
@click.option("--scope", "scopes", multiple=True, type=click.Choice([s.value for s in Scope]))
@click.option("--name", default="cli")
@click.option("--expires-at", type=click.DateTime(), default=None, help="UTC")
def issue(tenant_id: str | None, hub_admin: bool, scopes: tuple[str, ...], name: str,
          expires_at: datetime | None) -> None:
    system = Principal.system()
    if bool(tenant_id) == hub_admin:
        raise click.UsageError("give either --tenant or --hub-admin")
    with container() as c:
        if hub_admin:
            operator = c.tenants.operator()
            if operator is None:
                operator = c.tenants.create(system, tenant_id=OPERATOR_ID, name="Ketenhub beheer",
                                            kind=TenantKind.OVERIG, is_operator=True)
            tenant_id = operator.id
            chosen = frozenset(Scope)
        else:
            chosen = frozenset(Scope(s) for s in scopes)
            if not chosen:
                raise click.UsageError("give at least one --scope")
        key, plaintext = c.keys.issue(system, tenant_id, name=name, scopes=chosen,
                                      expires_at=expires_at.replace(tzinfo=UTC) if expires_at else None)
        click.echo(f"key id {key.id} for {tenant_id} (shown once):", err=True)
        click.echo(plaintext)


@keys.command("revoke")
@click.option("--tenant", "tenant_id", required=True)
@click.argument("key_id")
def revoke(tenant_id: str, key_id: str) -> None:
    with container() as c:
        c.keys.revoke(Principal.system(), tenant_id, key_id)
        click.echo(f"revoked {key_id}")


@keys.command("rotate-master", help="Verpak alle datasleutels opnieuw onder de nieuwe hoofdsleutel "
              "(KETENHUB_MASTER_KEY), met de vorige in KETENHUB_MASTER_KEY_PREVIOUS.")
def rotate_master() -> None:
    with container(quiet=True) as c:
        result = c.key_rotation.rotate_master(actor="cli")
    click.echo(f"Hoofdsleutel {result.master_key_id}: {result.rewrapped} datasleutel(s) opnieuw "
               f"verpakt.")
    if result.unreadable:
        click.echo(f"{result.unreadable} datasleutel(s) konden met de opgegeven sleutels niet "
                   "worden geopend; geef de sleutel waarmee ze verpakt zijn op in "
                   "KETENHUB_MASTER_KEY_PREVIOUS en voer dit opnieuw uit.", err=True)
        raise SystemExit(1)


@keys.command("rotate-data", help="Een nieuwe datasleutel voor de nieuwe berichten van een tenant; "
              "oude berichten blijven leesbaar tot ze vernietigd worden.")
@click.option("--tenant", "tenant_id", required=True, help="Tenant id")
def rotate_data(tenant_id: str) -> None:
    with container(quiet=True) as c:
        version = c.key_rotation.rotate_data(tenant_id, actor="cli")
    click.echo(f"Nieuwe datasleutel voor {tenant_id}: versie {version}. Lopende processen "
               "gebruiken hem binnen KETENHUB_DATA_KEY_REFRESH_S seconden.")
