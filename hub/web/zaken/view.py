"""What the zaak pages show of a ``ZaakView``: the timeline as rows, per item its recipients
with decision, status, times and term; the toewijzingsadvies by name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub.flows.zaken.model import Ontvanger, TimelineItem, Via, ZaakView
from hub.intake.catalogue import (
    AFSLUITING,
    REGIECHECK_VRAAG,
    SIGNAAL,
    SIGNAAL_REACTIE,
    TOEWIJZING,
    TOEWIJZING_REACTIE,
    URGENT,
)
from hub.web.format import termijn_met_status
from hub.web.inbox.forms import REACTIE_LABELS
from hub.web.inbox.view import type_label
from hub.web.tenants import tenant_name
from hub.web.zaken.forms import REDEN_LABELS

DELIVERY_LABELS = {"pending": "wordt afgeleverd", "delivered": "afgeleverd, nog niet gelezen",
                   "acknowledged": "ontvangen", "retrying": "nieuwe poging volgt",
                   "dead": "niet afgeleverd", "blocked": "tegengehouden",
                   "ingetrokken": "ingetrokken"}
REGIECHECK_LABELS = {"gevraagd": "gevraagd", "bekend": "bekend", "onbekend": "niet bekend",
                     "verlopen": "verlopen"}


@dataclass(frozen=True)
class Recipient:
    name: str
    decision: str
    status: str
    received_at: datetime | None
    read_at: datetime | None
    deadline: datetime | None
    term: str
    late: bool


@dataclass(frozen=True)
class Entry:
    """One item of the timeline."""

    at: datetime
    label: str
    sender: str
    summary: str
    link: str | None
    recipients: tuple[Recipient, ...]


def _label(text: str | None) -> str:
    return (text or "").replace("_", " ")


def summary_of(item: TimelineItem) -> str:
    f = item.facts
    if item.type == SIGNAAL:
        parts = [_label(f.get("soort")), ", ".join(_label(c) for c in f.get("categorieen", ()))]
        if f.get("urgentie") == "urgent":
            parts.append("urgent")
        text = "; ".join(p for p in parts if p)
    elif item.type == TOEWIJZING:
        text = f"aan {tenant_name(f['aan'])}" if f.get("aan") else ""
    elif item.type == TOEWIJZING_REACTIE:
        text = {True: "geaccepteerd", False: "geweigerd"}.get(f.get("geaccepteerd"), "")
    elif item.type == AFSLUITING:
        text = f"reden: {REDEN_LABELS.get(f.get('reden') or '', _label(f.get('reden')))}"
    elif item.type == SIGNAAL_REACTIE:
        text = REACTIE_LABELS.get(f.get("status") or "", _label(f.get("status"))).lower()
    elif item.type == REGIECHECK_VRAAG:
        text = {"open": "loopt"}.get(f.get("status"), _label(f.get("status")))
    elif item.type == URGENT:
        text = "GGD en politie direct geïnformeerd"
    else:
        text = ""
    if item.via is Via.KOPPELING:
        text = f"{text} (door u aan de zaak gekoppeld)".strip()
    return text


def _term(o: Ontvanger, now: datetime, met_without_term: bool) -> tuple[str, bool]:
    """The recipient's term in werkdagen, and whether it runs late."""
    text, state = termijn_met_status(o.deadline, now, o.termijn_status, met=met_without_term,
                                     answered=o.answered_at is not None)
    return text, state == "te_laat"


def _recipient(item: TimelineItem, o: Ontvanger, now: datetime) -> Recipient:
    name = tenant_name(o.tenant)
    if o.decision != "permit":
        return Recipient(name, "niet gedeeld", "", None, None, None, "", False)
    if item.type == REGIECHECK_VRAAG:
        status = REGIECHECK_LABELS.get(o.status or "", _label(o.status))
        text, late = _term(o, now, met_without_term=o.status != "gevraagd")
        return Recipient(name, "gedeeld", status, None, o.answered_at, o.deadline, text, late)
    status = DELIVERY_LABELS.get(o.status or "", _label(o.status) or "nog niet afgeleverd")
    text, late = _term(o, now, met_without_term=o.status == "acknowledged")
    return Recipient(name, "gedeeld", status, o.delivered_at, o.acknowledged_at or o.answered_at,
                     o.deadline, text, late)


def timeline(view: ZaakView, now: datetime, own: str) -> list[Entry]:
    """The zaak's items, newest last, each with its recipients; ``own`` is the viewer."""
    out = []
    for item in view.items:
        link = None
        if item.type == REGIECHECK_VRAAG and item.facts.get("regiecheck_id"):
            link = f"/regiechecks/{item.facts['regiecheck_id']}"
        elif item.message_id and item.sender == own:
            link = f"/berichten/{item.message_id}"
        out.append(Entry(at=item.at, label=type_label(item.type), sender=tenant_name(item.sender),
                         summary=summary_of(item), link=link,
                         recipients=tuple(_recipient(item, o, now)
                                          for o in item.ontvangers)))
    return out


def advies_of(view: ZaakView) -> list[tuple[str, list[str]]]:
    """Per categorie of the zaak, the names of the partners the network advises."""
    return [(_label(a.categorie), [tenant_name(t) for t in a.partners]) for a in view.advies]
