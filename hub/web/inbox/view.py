"""What the inbox pages show of a delivered message: labels instead of JSON keys, the term in
werkdagen, and the order people work in (new and late first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub.intake.catalogue import (
    AFSLUITING,
    HUURACHTERSTAND,
    REGIECHECK_ANTWOORD,
    REGIECHECK_HERINNERING,
    REGIECHECK_VERLOPEN,
    REGIECHECK_VRAAG,
    SIGNAAL,
    SIGNAAL_REACTIE,
    TOEWIJZING,
    TOEWIJZING_REACTIE,
    URGENT,
    URGENT_MELDING,
)
from hub.web.format import termijn

TYPE_LABELS = {
    SIGNAAL: "Signaal",
    SIGNAAL_REACTIE: "Reactie op signaal",
    HUURACHTERSTAND: "Huurachterstand",
    URGENT: "Urgent",
    URGENT_MELDING: "Bericht over urgente zaak",
    TOEWIJZING: "Toewijzing",
    TOEWIJZING_REACTIE: "Reactie op toewijzing",
    AFSLUITING: "Afsluiting",
    REGIECHECK_VRAAG: "Regiecheck-vraag",
    REGIECHECK_ANTWOORD: "Regiecheck-antwoord",
    REGIECHECK_HERINNERING: "Regiecheck-herinnering",
    REGIECHECK_VERLOPEN: "Regiecheck verlopen",
}

STATUS_LABELS = {"delivered": "nieuw", "acknowledged": "ontvangen",
                 "ingetrokken": "ingetrokken (toestemming vervallen)",
                 "vernietigd": "vernietigd (bewaartermijn verstreken)"}
BASIS_LABELS = {"convenant": "convenant", "consent": "toestemming",
                "wettelijke_plicht": "wettelijke plicht", "noodsituatie": "noodsituatie"}

FIELD_LABELS = {
    "soort": "Soort", "categorieen": "Overlastsoorten", "adres": "Adres", "postcode": "Postcode",
    "huisnummer": "Huisnummer", "huisletter": "Huisletter", "toevoeging": "Toevoeging",
    "woonplaats": "Woonplaats", "omschrijving": "Omschrijving", "waargenomen_op": "Waargenomen op",
    "van": "Van", "tot": "Tot", "melder_type": "Melder", "urgentie": "Urgentie",
    "kenmerk_afzender": "Kenmerk van de afzender", "signaal_id": "Signaal", "status": "Status",
    "toelichting": "Toelichting", "maanden_achterstand": "Maanden achterstand",
    "personen": "Personen", "achternaam": "Achternaam", "voorvoegsel": "Voorvoegsel",
    "voornamen": "Voornamen", "voorletters": "Voorletters", "geboortedatum": "Geboortedatum",
    "situatieschets": "Situatieschets", "contact": "Contact", "naam": "Naam",
    "functie": "Functie", "telefoon": "Telefoon", "email": "E-mail",
    "rechtvaardiging": "Rechtvaardiging", "zaak_kenmerk": "Zaakkenmerk", "aan": "Aan",
    "geaccepteerd": "Geaccepteerd", "reden": "Reden", "regiecheck_id": "Regiecheck",
    "bekend": "Bekend", "deadline": "Uiterlijk", "rol": "Rol",
    "niet_beantwoord": "Niet beantwoord door",
}

#: The order of the filters on the inbox page, with their labels.
FILTERS = (("alles", "Alles"), ("nieuw", "Nieuw"), ("loopt", "Termijn loopt"),
           ("te_laat", "Te laat"))


@dataclass(frozen=True)
class Row:
    """One line of the inbox."""

    delivery_id: str
    type_label: str
    sender: str
    address: str
    received: datetime | None
    term: str
    term_state: str
    status: str
    is_new: bool


@dataclass(frozen=True)
class Entry:
    """One label–value pair of a message's data; ``children`` for nested parts."""

    label: str
    value: str = ""
    children: tuple[Entry, ...] = ()


def type_label(message_type: str) -> str:
    return TYPE_LABELS.get(message_type, message_type.removeprefix("nl.ketenhub.")
                           .removesuffix(".v1").replace(".", " ").capitalize())


def address_of(data: dict) -> str:
    adres = data.get("adres") if isinstance(data, dict) else None
    if not isinstance(adres, dict) or not adres.get("postcode"):
        return ""
    pc = str(adres["postcode"])
    number = f"{adres.get('huisnummer', '')}{adres.get('huisletter', '')}"
    extra = f"-{adres['toevoeging']}" if adres.get("toevoeging") else ""
    return f"{pc[:4]} {pc[4:]} {number}{extra}".strip()


def row_of(item: dict, sender_name: str, now: datetime) -> Row:
    is_new = item["status"] == "delivered"
    term, state = termijn(item.get("deadline"), now, met=not is_new)
    event = item["event"] or {}  # taken back (ingetrokken) or shredded: no payload any more
    gone = "Vernietigd bericht" if item.get("vernietigd") else "Ingetrokken bericht"
    return Row(delivery_id=item["delivery_id"],
               type_label=type_label(event["type"]) if event else gone,
               sender=sender_name, address=address_of(event.get("data") or {}),
               received=item.get("delivered_at"), term=term, term_state=state,
               status=STATUS_LABELS["vernietigd"] if item.get("vernietigd")
               else STATUS_LABELS.get(item["status"], item["status"]), is_new=is_new)


def ordered(rows: list[Row], chosen: str) -> list[Row]:
    """New first (late ones before running ones, then by deadline), then the rest newest first."""
    if chosen == "nieuw":
        rows = [r for r in rows if r.is_new]
    elif chosen in ("loopt", "te_laat"):
        rows = [r for r in rows if r.term_state == chosen]
    rank = {"te_laat": 0, "loopt": 1}
    newest_first = sorted(rows, key=lambda r: r.received or datetime.min, reverse=True)
    return sorted(newest_first, key=lambda r: (not r.is_new, rank.get(r.term_state, 2)))


def entries(data: object) -> tuple[Entry, ...]:
    """The data as label–value pairs, nested parts as groups; never raw JSON."""
    if not isinstance(data, dict):
        return ()
    out = []
    for key, value in data.items():
        label = FIELD_LABELS.get(key, key.replace("_", " ").capitalize())
        if isinstance(value, dict):
            out.append(Entry(label, children=entries(value)))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            out.extend(Entry(f"{label} {i}", children=entries(v)) for i, v in enumerate(value, 1))
        else:
            out.append(Entry(label, _text(value)))
    return tuple(out)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if value is None:
        return ""
    text = str(value)
    return text.replace("_", " ") if text.isidentifier() else text
