"""Sharing decisions as the pages show them: Dutch words for decision, basis, phase and reason,
organisations by name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from hub.web.inbox.view import BASIS_LABELS
from hub.web.tenants import tenant_name

DECISION_LABELS = {"permit": "toegestaan", "deny": "geweigerd"}
PHASE_LABELS = {"intake": "bij ontvangst", "delivery": "bij aflevering",
                "redrive": "bij opnieuw aanbieden", "withdrawal": "bij intrekken"}
REASON_LABELS = {
    "no consent": "geen toestemming",
    "consent expired": "toestemming verlopen",
    "consent withdrawn": "toestemming ingetrokken",
    "consent not yet valid": "toestemming nog niet ingegaan",
    "consent denies recipient": "toestemming sluit deze ontvanger uit",
    "not in network": "geen deelnemer van het netwerk",
    "noodsituatie requires an urgent message": "een noodsituatie vraagt een urgent bericht",
    "noodsituatie requires a justification": "een noodsituatie vraagt een onderbouwing",
    "recipient suspended": "ontvanger geschorst",
    "sender suspended": "afzender geschorst",
}


@dataclass(frozen=True)
class DecisionRow:
    id: int
    message_id: str
    recipient: str
    phase: str
    decision: str
    permit: bool
    basis: str
    reason: str
    consent_id: str | None
    consent_version: int | None
    decided_at: datetime


def reason_text(reason: str | None) -> str:
    """The policy's reason in Dutch; ``convenant west`` style reasons name their basis."""
    if not reason:
        return ""
    if reason in REASON_LABELS:
        return REASON_LABELS[reason]
    word, _, rest = reason.partition(" ")
    if word in BASIS_LABELS:
        return f"{BASIS_LABELS[word]} {rest}".strip()
    return reason


def shown(rows: Iterable[dict]) -> list[DecisionRow]:
    return [DecisionRow(id=r["id"], message_id=r["message_id"],
                        recipient=tenant_name(r["recipient_tenant_id"]),
                        phase=PHASE_LABELS.get(r["phase"], r["phase"]),
                        decision=DECISION_LABELS.get(r["decision"], r["decision"]),
                        permit=r["decision"] == "permit",
                        basis=BASIS_LABELS.get(r["basis"] or "", r["basis"] or "geen"),
                        reason=reason_text(r["reason"]), consent_id=r.get("consent_id"),
                        consent_version=r.get("consent_version"), decided_at=r["decided_at"])
            for r in rows]
