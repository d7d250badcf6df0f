"""Messages, deliveries and decisions as the hub's domain sees them (no SQLAlchemy here)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from connectors.base import Outcome

__all__ = ["OPEN_STATES", "AttemptRecord", "Delivery", "DeliveryStatus", "Outcome",
           "StoredMessage", "delivery_identity"]

_IDENTITY = uuid.UUID("6f1c2a52-0b7e-4f0e-9a43-6b6574656e68")


#: The connector alias of the pull inbox: every permitted recipient gets an inbox delivery.
INBOX = "inbox"


def delivery_identity(message_id: str, recipient: str) -> str:
    """The one id a recipient sees for a message on every channel: its inbox item's
    ``delivery_id``, the webhook's ``webhook-id``, the AMQP ``message_id`` and the e-mail's
    kenmerk. Derived from the message and the recipient, so no channel needs to look it up."""
    return str(uuid.uuid5(_IDENTITY, f"{message_id}/{recipient}"))


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    ACKNOWLEDGED = "acknowledged"
    RETRYING = "retrying"
    DEAD = "dead"
    BLOCKED = "blocked"
    #: Taken back before the recipient acknowledged it: the consent it rested on was withdrawn
    #: or expired. Listed in the inbox without its payload.
    INGETROKKEN = "ingetrokken"


#: States from which a delivery may still be attempted.
OPEN_STATES = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


@dataclass(frozen=True)
class Delivery:
    id: str
    message_id: str
    recipient: str
    connector: str
    basis: str
    status: DeliveryStatus
    urgent: bool
    attempts: int
    max_attempts: int
    created_at: datetime
    next_attempt_at: datetime | None = None
    delivered_at: datetime | None = None
    acknowledged_at: datetime | None = None
    deadline: datetime | None = None
    last_error: str | None = None
    status_reason: str | None = None
    endpoint_id: str | None = None
    redrives: int = 0
    #: The HTTP request that created it: the worker logs its attempts under that id.
    request_id: str | None = None

    @property
    def queue(self) -> str:
        return "urgent" if self.urgent else self.connector


@dataclass(frozen=True)
class StoredMessage:
    """A message as stored: the event only as ciphertext, routing facts without personal data."""

    id: str
    sender: str
    source: str
    event_id: str
    type: str
    urgent: bool
    received_at: datetime
    key_version: int
    payload: bytes
    payload_sha256: str
    routing: dict
    answer: dict
    correlation: str | None = None
    #: The message's own data key, wrapped by the sender's data key ``key_version``; None for
    #: messages sealed before per-message keys, and once shredded.
    wrapped_key: bytes | None = None
    #: Until when its legal bases require keeping it (a zaak may hold it longer).
    retain_until: datetime | None = None
    #: When retention destroyed its data key (the payload is gone, the skeleton stays).
    shredded_at: datetime | None = None

    @property
    def shredded(self) -> bool:
        return self.shredded_at is not None


@dataclass(frozen=True)
class AttemptRecord:
    delivery_id: str
    number: int
    started_at: datetime
    duration_ms: int
    outcome: Outcome
    error_code: str | None = None
    response_status: int | None = None


#: A push target of a recipient: (connector alias, endpoint id, its max attempts or None).
PushTarget = tuple[str, str, int | None]


def fan_out(message_id: str, recipient: str, basis: str, pushes: Sequence[PushTarget], *,
            urgent: bool, now: datetime, max_attempts: int,
            request_id: str | None) -> list[Delivery]:
    """A permitted recipient's deliveries of a message: its inbox always (the id derived from
    message and recipient), and one per active push endpoint."""
    targets = [(INBOX, None, max_attempts)] + [
        (connector, endpoint_id, own or max_attempts) for connector, endpoint_id, own in pushes]
    return [Delivery(id=delivery_identity(message_id, recipient)
                     if connector == INBOX else str(uuid.uuid4()),
                     message_id=message_id, recipient=recipient, connector=connector,
                     basis=basis, status=DeliveryStatus.PENDING, urgent=urgent, attempts=0,
                     max_attempts=attempts, created_at=now, next_attempt_at=now,
                     endpoint_id=endpoint_id, request_id=request_id)
            for connector, endpoint_id, attempts in targets]
