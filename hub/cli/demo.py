from __future__ import annotations

import hashlib
import json
import os
from datetime import timedelta
from pathlib import Path

import click

from hub.bootstrap import Container
from hub.cli._context import container
from tenants.demo import DemoServices, load_demo, source_for
from tenants.demo_users import load_demo_users
from tenants.model import Principal, Scope


@click.group(help="Demonetwerken (Amsterdam en Utrecht).")
def demo() -> None:
    pass


@demo.command("load", help="Laad de demonetwerken van Amsterdam en Utrecht en schrijf "
                           "demo-keys.json en demo-sources.json.")
@click.option("--if-empty", is_flag=True, help="Do nothing when tenants already exist.")
def load(if_empty: bool) -> None:
    with container(quiet=True) as c:
        c.migrate()
        keys_file = c.config.data_dir / "demo-keys.json"
        if c.tenants.list(Principal.system(), limit=1).items:
            if if_empty:
                click.echo(f"demo already loaded; keys in {keys_file.resolve()}")
                return
            raise click.ClickException("the database already holds tenants; demo not loaded")
        keys = load_demo(DemoServices(c.tenants, c.keys, c.networks))
        woning = _demo_begeleide_woning(c)
        people = load_demo_users(c.users, c.accounts,
                                 c.tenants.list(Principal.system(), limit=500).items)
        c.config.data_dir.mkdir(parents=True, exist_ok=True)
        _write_private(keys_file, keys)
        users_file = c.config.data_dir / "demo-users.json"
        _write_private(users_file, people)
        sources_file = c.config.data_dir / "demo-sources.json"
        sources = {tenant_id: source_for(tenant_id) for tenant_id in keys if tenant_id != "hub-admin"}
        sources_file.write_text(json.dumps(sources, indent=2), encoding="utf-8")
        click.echo(f"demo networks loaded (Amsterdam, Utrecht): {len(keys) - 1} tenants; API keys "
                   f"in {keys_file.resolve()}, each tenant's CloudEvents source in "
                   f"{sources_file.resolve()}")
        click.echo(f"web users (log in at /login) in {users_file.resolve()}")
        click.echo(f"begeleide woning of hvo-querido at {woning}: signalen from corporaties "
                   "about it reach hvo-querido on the client's consent")


def _write_private(path: Path, content: dict) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(content, fh, indent=2)


def _demo_begeleide_woning(c: Container) -> str:
    """A client of HVO-Querido with written consent for signalen from corporaties, living in a
    begeleide woning in Centrum — so the consent flow can be tried at once."""
    hvo = Principal(tenant_id="hvo-querido", key_id="demo", scopes=frozenset(Scope))
    now = c.clock()
    consent = c.consents.register(hvo, {
        "client": {"achternaam": "Voorbeeld", "voorletters": "D.", "geboortedatum": "1970-01-01"},
        # Organisations by tenant id (werkafspraak 10): the corporaties of the demo network.
        "recipients": ["ymere", "eigen-haard", "stadgenoot", "rochdale", "de-key",
                       "de-alliantie"],
        "categories": ["signaal_overlast", "signaal_zorg", "huurachterstand"],
        "purpose": "Overlast en zorgen rond de woning tijdig samen oppakken (demo).",
        "necessity": "Zonder signaal van de corporatie kan de begeleiding niet bijsturen.",
        "valid_until": now + timedelta(days=365),
        "evidence": {"sha256": hashlib.sha256(b"demo-toestemming").hexdigest(),
                     "signed_on": now.date().isoformat()}})
    c.woningen.register(hvo, {"adres": {"postcode": "1012AB", "huisnummer": 5},
                              "client_ref": consent.client_ref, "consent_id": consent.id,
                              "contractvorm": "intermediair"})
    return "1012AB 5"
