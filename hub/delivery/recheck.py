"""The policy decided again for a delivery on its way (the worker's re-check before each
attempt, a redrive's fresh check): the facts as at intake, the client's consents as they are
now."""

from __future__ import annotations

from consent.policy import MessageFacts
from hub.delivery.model import StoredMessage
from hub.ports import HubUnitOfWork
from hub.routing.rules import subject_from_facts

#: The decision phases of a delivery's re-checks.
DELIVERY_PHASE = "delivery"
REDRIVE_PHASE = "redrive"


def facts_now(uow: HubUnitOfWork, message: StoredMessage, recipient: str) -> MessageFacts:
    """The facts as at intake, with the client's consents as they are *now*."""
    subject = subject_from_facts(message.routing, recipient, uow.consents.for_client)
    return MessageFacts(type=message.type, sender=message.sender, urgent=message.urgent,
                        subjects={recipient: subject} if subject else {},
                        justification="on record" if message.routing.get("justified") else None,
                        network_id=message.routing.get("hub_network"))
