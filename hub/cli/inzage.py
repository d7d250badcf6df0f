"""``ketenhub inzage``: the inzage report for a person given as JSON on stdin (so that the
identity lands in no shell history or process list)."""

from __future__ import annotations

import json
import sys
from datetime import date

import click

from hub.cli._context import container
from hub.inzage.service import AdresPeriode
from tenants.model import Principal, Scope

_VIA = {"persoon": "noemt de persoon", "toestemming": "gedeeld op toestemming van de persoon",
        "zaak": "in de zaak van een bericht over de persoon",
        "adres": "over het adres waar de persoon stond ingeschreven"}


def _request(raw: object) -> tuple[dict, list[AdresPeriode]]:
    """``{"persoon": {...}, "adressen"?: [...]}`` or a bare persoon object."""
    if not isinstance(raw, dict):
        raise click.ClickException("Verwacht een JSON-object met de persoon.")
    persoon = raw.get("persoon", raw)
    if not isinstance(persoon, dict):
        raise click.ClickException("Verwacht een JSON-object met de persoon.")
    periods = []
    for i, item in enumerate(raw.get("adressen") or () if "persoon" in raw else ()):
        try:
            periods.append(AdresPeriode(dict(item["adres"]), _day(item.get("van")),
                                        _day(item.get("tot"))))
        except (TypeError, KeyError, ValueError):
            raise click.ClickException(f"adressen[{i}] is onleesbaar (adres, van, tot).") from None
    return persoon, periods


def _day(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


@click.command("inzage", help="Inzage (AVG art. 15): elk bericht over een persoon. Lees de "
                              "persoon als JSON van stdin: {\"persoon\": {...}, \"adressen\"?: "
                              "[...]}.")
@click.option("--tenant", default=None, help="Toon wat deze tenant verzond of ontving "
                                             "(standaard: alles, als hub-beheerder).")
@click.option("--json", "as_json", is_flag=True, help="Het rapport als JSON.")
def inzage(tenant: str | None, as_json: bool) -> None:
    try:
        raw = json.loads(sys.stdin.read() or "null")
    except ValueError:
        raise click.ClickException("De invoer is geen geldige JSON.") from None
    persoon, periods = _request(raw)
    principal = (Principal(tenant_id=tenant, key_id="cli", scopes=frozenset({Scope.AUDIT_READ}))
                 if tenant else Principal.system())
    with container(quiet=True) as c:
        report = c.inzage.report(principal, persoon, periods)
    if as_json:
        click.echo(json.dumps(report, default=str, indent=2, sort_keys=True))
        return
    messages = report["messages"]
    click.echo(f"Inzage voor betrokkene {report['subject_ref'][:16]}…: "
               f"{len(messages)} bericht(en).")
    for m in messages:
        click.echo(f"- {m['received_at']:%Y-%m-%d %H:%M} {m['type']} van {m['sender']} "
                   f"({_VIA[m['via']]}); grondslag {m['basis'] or 'geen'}, "
                   f"verwerking {m['activity'] or 'onbekend'}, status {m['status']}")
        click.echo(f"    bericht {m['message_id']}")
        if m["categories"]:
            click.echo(f"    gegevens: {', '.join(m['categories'])}")
        for r in m["recipients"]:
            consent = (f", toestemming {r['consent_id']} v{r['consent_version']}"
                       if r["consent_id"] else "")
            besluit = "toegestaan" if r["decision"] == "permit" else "geweigerd"
            click.echo(f"    aan {r['recipient']}: {besluit} ({r['basis'] or r['reason']})"
                       f"{consent}, status {r['status'] or '-'}")
