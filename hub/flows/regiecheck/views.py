"""What the asker and an asked partner see of a check (plain JSON-ready dicts)."""

from __future__ import annotations

from hub.flows.calendar import Werkdagen
from hub.flows.regiecheck.model import AskedPartner, PartnerStatus, Regiecheck
from tenants.model import REGIECHECK_FLOW


def termijn_fields(check: Regiecheck, partner: AskedPartner, calendar: Werkdagen) -> dict:
    """A partner's answer term as every delivery with a term shows it (API.md §Termijnen):
    ``termijn`` ``{"flow": "regiecheck", "werkdagen"}`` — counted back from the deadline on
    the network's calendar — and ``termijn_status``: ``lopend`` until it answers or the
    check expires, ``gehaald`` answered in time, ``verlopen`` expired or answered late."""
    if partner.status is PartnerStatus.GEVRAAGD:
        status = "lopend"
    elif partner.status is PartnerStatus.VERLOPEN or partner.late:
        status = "verlopen"
    else:
        status = "gehaald"
    werkdagen = calendar.werkdagen_left(check.created_at, partner.deadline)
    return {"termijn": {"flow": REGIECHECK_FLOW, "werkdagen": werkdagen},
            "termijn_status": status}


def asker_view(check: Regiecheck, contacts: dict[str, dict],
               calendar: Werkdagen | None = None) -> dict:
    """Every partner's status, term, answer time and, where ``bekend``, the contact."""
    calendar = calendar or Werkdagen()
    partners = []
    for p in check.partners:
        row = {"tenant": p.tenant_id, "status": p.status.value, "deadline": p.deadline,
               **termijn_fields(check, p, calendar), "answered_at": p.answered_at,
               "late": p.late}
        if p.status is PartnerStatus.BEKEND and p.tenant_id in contacts:
            row["contact"] = contacts[p.tenant_id]
        partners.append(row)
    return {"id": check.id, "status": check.status.value, "deadline": check.deadline,
            "created_at": check.created_at, "soort": check.soort,
            "overlastsoorten": list(check.overlastsoorten),
            "kenmerk_afzender": check.kenmerk_afzender, "zaak_kenmerk": check.zaak_kenmerk,
            "partners": partners}


def partner_view(check: Regiecheck, own: AskedPartner, calendar: Werkdagen | None = None) -> dict:
    """An asked partner's own question, term and answer; nothing of the other partners."""
    return {"id": check.id, "gevraagd_door": check.asker, "created_at": check.created_at,
            "soort": check.soort, "overlastsoorten": list(check.overlastsoorten),
            "deadline": own.deadline, **termijn_fields(check, own, calendar or Werkdagen()),
            "status": own.status.value,
            "answered_at": own.answered_at, "late": own.late}
