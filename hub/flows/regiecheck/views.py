"""What the asker and an asked partner see of a check (plain JSON-ready dicts)."""

from __future__ import annotations

from hub.flows.regiecheck.model import AskedPartner, PartnerStatus, Regiecheck


def asker_view(check: Regiecheck, contacts: dict[str, dict]) -> dict:
    """Every partner's status, answer time and, where ``bekend``, the contact."""
    partners = []
    for p in check.partners:
        row = {"tenant": p.tenant_id, "status": p.status.value, "deadline": p.deadline,
               "answered_at": p.answered_at, "late": p.late}
        if p.status is PartnerStatus.BEKEND and p.tenant_id in contacts:
            row["contact"] = contacts[p.tenant_id]
        partners.append(row)
    return {"id": check.id, "status": check.status.value, "deadline": check.deadline,
            "created_at": check.created_at, "soort": check.soort,
            "overlastsoorten": list(check.overlastsoorten),
            "kenmerk_afzender": check.kenmerk_afzender, "zaak_kenmerk": check.zaak_kenmerk,
            "partners": partners}


def partner_view(check: Regiecheck, own: AskedPartner) -> dict:
    """An asked partner's own question and answer; nothing of the other partners."""
    return {"id": check.id, "gevraagd_door": check.asker, "created_at": check.created_at,
            "soort": check.soort, "overlastsoorten": list(check.overlastsoorten),
            "deadline": own.deadline, "status": own.status.value,
            "answered_at": own.answered_at, "late": own.late}
