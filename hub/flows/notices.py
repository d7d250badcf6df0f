"""The hub's own events (``nl.ketenhub.termijn.*``): sent by the operator tenant through the
normal pipeline — a stored, sealed message, a decision record per recipient, an inbox delivery
and one per active push endpoint, and their outbox rows — all in the caller's transaction.

They carry ids, never personal data. The decision rests on the network the event is about:
its parties may be told (``convenant``); the delivery-time re-check decides the same way.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from consent.policy import MessageFacts, PolicyDecisionPoint
from hub.crypto.vault import PayloadVault
from hub.delivery.model import StoredMessage, fan_out
from hub.endpoints.model import Endpoint
from hub.retention.policy import retain_until
from hub.tracing import current_request_id
from tenants.directory import Snapshot
from tenants.model import Tenant, TenantKind

if TYPE_CHECKING:
    from hub.ports import HubUnitOfWork

#: The source of every event the hub itself sends.
HUB_SOURCE = "urn:nld:ketenhub:hub"
OPERATOR_ID = "ketenhub"
NOTICE_PHASE = "intake"


@dataclass(frozen=True)
class Notice:
    """One event of the hub to ``recipients``; ``event_id`` makes a repeat harmless."""

    type: str
    event_id: str
    data: dict
    recipients: tuple[str, ...]
    network_id: str | None


class HubNotices:
    def __init__(self, *, vault: PayloadVault, pdp: PolicyDecisionPoint, max_attempts: int,
                 active_endpoints: Callable[[Sequence[str]], list[Endpoint]]) -> None:
        self._vault = vault
        self._pdp = pdp
        self._max_attempts = max_attempts
        self._active_endpoints = active_endpoints

    def sender(self, uow: HubUnitOfWork, now: datetime) -> str:
        """The operator tenant, created on first use (as ``keys issue --hub-admin`` does)."""
        operator = uow.tenants.operator()
        if operator is None:
            operator = Tenant(id=OPERATOR_ID, name="Ketenhub beheer", kind=TenantKind.OVERIG,
                              created_at=now, updated_at=now, is_operator=True)
            uow.tenants.add(operator)
        return operator.id

    def send(self, uow: HubUnitOfWork, notices: Sequence[Notice], now: datetime, view: Snapshot) -> list[str]:
        """Store the notices with their decisions, deliveries and outbox rows; returns the
        message ids. The caller commits (and then wakes the relay)."""
        if not notices:
            return []
        sender = self.sender(uow, now)
        endpoints = self._active_endpoints(sorted({r for n in notices for r in n.recipients}))
        messages, deliveries, decisions = [], [], []
        for notice in notices:
            message_id = str(uuid.uuid4())
            facts = MessageFacts(type=notice.type, sender=sender, network_id=notice.network_id)
            decided = [self._pdp.decide(facts, r, now, view) for r in notice.recipients]
            event = {"specversion": "1.0", "id": notice.event_id, "source": HUB_SOURCE,
                     "type": notice.type, "time": now.isoformat(),
                     "datacontenttype": "application/json", "data": notice.data}
            plaintext = json.dumps(event, separators=(",", ":"), default=str).encode("utf-8")
            sealed = self._vault.seal_message(uow.data_keys, sender, plaintext,
                                              message_id.encode())
            messages.append(StoredMessage(
                id=message_id, sender=sender, source=HUB_SOURCE, event_id=notice.event_id,
                type=notice.type, urgent=False, received_at=now, key_version=sealed.key_version,
                payload=sealed.blob, payload_sha256=hashlib.sha256(plaintext).hexdigest(),
                wrapped_key=sealed.wrapped_key,
                retain_until=retain_until(now, decided, view.bewaartermijnen, {}),
                routing={"hub_network": notice.network_id},
                answer={"id": message_id, "status": "accepted",
                        "deliveries": [d.to_answer() for d in decided]}))
            decisions += [(message_id, d) for d in decided]
            for d in decided:
                if d.permit:
                    deliveries += fan_out(
                        message_id, d.recipient, d.basis or "",
                        [(e.connector, e.id, e.max_attempts) for e in endpoints
                         if e.wants(notice.type) and e.tenant_id == d.recipient],
                        urgent=False, now=now, max_attempts=self._max_attempts,
                        request_id=current_request_id())
        uow.messages.add_many(messages)
        uow.deliveries.add_many(deliveries, dispatched_at=now)
        uow.decisions.add_many(decisions, NOTICE_PHASE, now)
        uow.outbox.add_many([(d.id, d.queue) for d in deliveries], now)
        return [m.id for m in messages]

