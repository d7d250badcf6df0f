"""The inzage report: per message what an AVG art. 15 answer needs, as the caller may see it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from hub.delivery.model import Delivery, DeliveryStatus, StoredMessage
from tenants.model import Principal
from tenants.verwerkingen import Verwerking, for_message

#: Why a message is in the report: it names the person, it was shared on the person's consent
#: (as the client of a consent), it belongs to the zaak of such a message (a reactie, the
#: afsluiting), or it is about the person's address while registered there.
VIA_PERSOON = "persoon"
VIA_TOESTEMMING = "toestemming"
VIA_ADRES = "adres"
VIA_ZAAK = "zaak"

BEWAARD = "bewaard"
VERNIETIGD = "vernietigd"

#: Of a recipient's deliveries (inbox, push endpoints) the most advanced state is reported.
_PROGRESS = {s: i for i, s in enumerate((
    DeliveryStatus.INGETROKKEN, DeliveryStatus.BLOCKED, DeliveryStatus.DEAD,
    DeliveryStatus.PENDING, DeliveryStatus.RETRYING, DeliveryStatus.DELIVERED,
    DeliveryStatus.ACKNOWLEDGED))}


@dataclass(frozen=True)
class Found:
    """A message in the report and why."""

    message_id: str
    via: str


def visible(principal: Principal, message: StoredMessage, deliveries: Sequence[Delivery]) -> bool:
    """A tenant's privacy officer answers for its own processing: messages its tenant sent or
    received (a delivery was made out to it); the hub admin sees every message."""
    return principal.is_hub_admin or message.sender == principal.tenant_id or any(
        d.recipient == principal.tenant_id for d in deliveries)


def state_of(message: StoredMessage) -> str:
    """``vernietigd`` once retention shredded the payload (its key is gone), else ``bewaard``."""
    return VERNIETIGD if getattr(message, "shredded_at", None) is not None else BEWAARD


def entry(principal: Principal, found: Found, message: StoredMessage,
          deliveries: Sequence[Delivery], decisions: Sequence[dict],
          register_of: Callable[[str | None], Sequence[Verwerking]]) -> dict:
    """One message of the report. A tenant that only received it sees its own row of the
    recipients; the sender sees every recipient's decision and basis but a consent id only
    where it is the recipient itself (a sender never learns a recipient's consent)."""
    own = principal.tenant_id
    intake = [d for d in decisions if d["phase"] == "intake"]
    if not principal.is_hub_admin and message.sender != own:
        intake = [d for d in intake if d["recipient_tenant_id"] == own]
    state = state_of(message)
    recipients = []
    for d in intake:
        mine = [x for x in deliveries if x.recipient == d["recipient_tenant_id"]]
        best = max(mine, key=lambda x: _PROGRESS.get(x.status, 0), default=None)
        show_consent = principal.is_hub_admin or d["recipient_tenant_id"] == own
        recipients.append({
            "recipient": d["recipient_tenant_id"], "decision": d["decision"],
            "basis": d["basis"], "reason": d["reason"], "network_id": d["network_id"],
            "consent_id": d["consent_id"] if show_consent else None,
            "consent_version": d["consent_version"] if show_consent else None,
            "status": (VERNIETIGD if state == VERNIETIGD and best is not None
                       else best.status.value if best is not None else None),
            "delivered_at": best.delivered_at if best is not None else None,
            "acknowledged_at": best.acknowledged_at if best is not None else None})
    permit = next((d for d in intake if d["decision"] == "permit"), None)
    basis = permit["basis"] if permit else (intake[0]["basis"] if intake else None)
    network = permit["network_id"] if permit else None
    activity = for_message(register_of(network), message.type, basis)
    return {"message_id": message.id, "type": message.type, "received_at": message.received_at,
            "sender": message.sender, "via": found.via, "basis": basis,
            "activity": activity.id if activity else None,
            "purpose": activity.doel if activity else None,
            "categories": list(activity.categorieen) if activity else [],
            "status": state, "recipients": recipients}


def sort_key(item: dict) -> tuple[datetime, str]:
    return item["received_at"], item["message_id"]
