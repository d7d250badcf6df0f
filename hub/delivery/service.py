"""What tenants see of deliveries: their inbox, acknowledgements, the sender's status view,
and the admin's dead letters and redrive."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from consent.policy import Decision, PolicyDecisionPoint
from hub.crypto.vault import PayloadVault
from hub.delivery.model import INBOX, AttemptRecord, Delivery, DeliveryStatus, StoredMessage
from hub.delivery.recheck import REDRIVE_PHASE, facts_now
from hub.errors import ResourceNotFound, StateConflict
from hub.flows.samenloop.hook import samenloop_for
from hub.flows.termijnen.service import term_fields, terms_of
from hub.ports import HubUnitOfWork
from tenants.directory import Directory
from tenants.model import Principal
from tenants.pagination import Page, clamp_limit, decode_cursor, encode_cursor

#: The most dead deliveries one bulk redrive starts over (call again for the rest).
REDRIVE_WINDOW_MAX = 1000


def _inbox_cursor(d: Delivery) -> str:
    return encode_cursor(f"{d.delivered_at.isoformat()}|{d.id}")


def _parse_inbox_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    raw = decode_cursor(cursor)
    if not raw or "|" not in raw:
        return None
    at, _, delivery_id = raw.partition("|")
    try:
        return datetime.fromisoformat(at), delivery_id
    except ValueError:
        return None


class DeliveryService:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], vault: PayloadVault,
                 clock: Callable[[], datetime], on_redrive: Callable[[], None],
                 pdp: PolicyDecisionPoint, directory: Directory,
                 read_uow: Callable[[], HubUnitOfWork] | None = None) -> None:
        self._uow = uow
        #: A redrive decides the policy afresh (and records it) before starting over.
        self._pdp = pdp
        self._directory = directory
        #: For the reads partners repeat all day (inbox polls, status views): no transaction.
        self._read_uow = read_uow or uow
        self._vault = vault
        self._clock = clock
        self._on_redrive = on_redrive

    def inbox(self, principal: Principal, *, after: str | None = None, limit: int | None = None,
              include_acknowledged: bool = False) -> Page[dict]:
        size = clamp_limit(limit)
        with self._read_uow() as uow:
            rows = uow.deliveries.inbox(principal.tenant_id, after=_parse_inbox_cursor(after),
                                        limit=size + 1, include_acknowledged=include_acknowledged)
            more = len(rows) > size
            rows = rows[:size]
            items = []
            terms = terms_of(uow, [m.id for _, m in rows])
            for d, m in rows:
                event = None if d.status is DeliveryStatus.INGETROKKEN else self._event(uow, m)
                items.append({"delivery_id": d.id, "message_id": m.id, "sender": m.sender,
                              "status": d.status.value, "basis": d.basis,
                              "vernietigd": m.shredded,
                              "delivered_at": d.delivered_at, "deadline": d.deadline,
                              **term_fields(terms.get((m.id, d.recipient))),
                              "event": event, "samenloop": samenloop_for(m.routing, d.recipient)})
        return Page(items=items, next=_inbox_cursor(rows[-1][0]) if more else None)

    def inbox_item(self, principal: Principal, delivery_id: str) -> dict:
        """One item of the caller's inbox with its event and the decisions about the caller
        (the web's message page). Another tenant's delivery is not found, like a missing one."""
        with self._read_uow() as uow:
            d = uow.deliveries.get(delivery_id)
            if d is None or d.recipient != principal.tenant_id or d.connector != INBOX \
                    or d.status not in (DeliveryStatus.DELIVERED, DeliveryStatus.ACKNOWLEDGED):
                raise ResourceNotFound()
            m = uow.messages.get(d.message_id)
            event = self._event(uow, m)
            decisions = [x for x in uow.decisions.for_message(m.id)
                         if x["recipient_tenant_id"] == principal.tenant_id]
            termijn = terms_of(uow, [m.id]).get((m.id, d.recipient))
        return {"delivery_id": d.id, "message_id": m.id, "sender": m.sender, "type": m.type,
                "status": d.status.value, "basis": d.basis, "delivered_at": d.delivered_at,
                "acknowledged_at": d.acknowledged_at, "deadline": d.deadline,
                **term_fields(termijn), "event": event,
                "vernietigd": m.shredded,
                "decisions": [{"phase": x["phase"], "decision": x["decision"],
                               "basis": x["basis"], "network_id": x["network_id"],
                               "consent_id": x["consent_id"], "decided_at": x["decided_at"]}
                              for x in decisions]}

    def _event(self, uow: HubUnitOfWork, m: StoredMessage) -> dict | None:
        """The message's CloudEvent; None once retention shredded it (no payload served)."""
        if m.shredded:
            return None
        return json.loads(self._vault.open_message(uow.data_keys, m.sender, m.key_version,
                                                   m.wrapped_key, m.payload, m.id.encode()))

    def acknowledge(self, principal: Principal, delivery_id: str) -> Delivery:
        with self._uow() as uow:
            now = self._clock()
            found = uow.deliveries.acknowledge(delivery_id, principal.tenant_id, now)
            if found is None:
                raise ResourceNotFound()
            _audit_acks(uow, principal, [found], now)
            uow.commit()
        return found

    def acknowledge_many(self, principal: Principal, delivery_ids: list[str]) -> dict:
        """Acknowledge a page at once. Ids that are not your inbox items are listed as
        not found, exactly like ids that do not exist."""
        with self._uow() as uow:
            now = self._clock()
            found = uow.deliveries.acknowledge_many(delivery_ids, principal.tenant_id, now)
            _audit_acks(uow, principal, found, now)
            uow.commit()
        known = {d.id for d in found}
        return {"acknowledged": [i for i in delivery_ids if i in known],
                "not_found": [i for i in delivery_ids if i not in known]}

    def message_status(self, principal: Principal, message_id: str) -> dict:
        with self._read_uow() as uow:
            m = uow.messages.get(message_id)
            if m is None or m.sender != principal.tenant_id:
                raise ResourceNotFound()
            deliveries = uow.deliveries.for_message(message_id)
            decisions = uow.decisions.for_message(message_id)
            terms = terms_of(uow, [message_id])
        denied = [d for d in decisions if d["phase"] == "intake" and d["decision"] == "deny"]
        return {
            "id": m.id, "type": m.type, "received_at": m.received_at, "source": m.source,
            "event_id": m.event_id, "status": "vernietigd" if m.shredded else "accepted",
            "retain_until": m.retain_until, "shredded_at": m.shredded_at,
            "deliveries": [{**_delivery_view(d), **term_fields(terms.get((m.id, d.recipient)))}
                           for d in deliveries] + [
                {"recipient": d["recipient_tenant_id"], "decision": "deny", "basis": d["basis"],
                 "reason": d["reason"], "status": None, "attempts": 0} for d in denied],
        }

    def list_by_status(self, principal: Principal, status: DeliveryStatus, *,
                       after: str | None = None, limit: int | None = None) -> Page[Delivery]:
        size = clamp_limit(limit)
        recipient = None if principal.is_hub_admin else principal.tenant_id
        with self._uow() as uow:
            rows = uow.deliveries.list_by_status(status, after=decode_cursor(after),
                                                 limit=size + 1, recipient=recipient)
        more = len(rows) > size
        rows = rows[:size]
        return Page(items=rows, next=encode_cursor(rows[-1].id) if more else None)

    def redrive(self, principal: Principal, delivery_id: str) -> Delivery:
        """A dead delivery is decided afresh (a decision of phase ``redrive``): permitted, it
        starts over — attempts reset, dispatched at once; denied, it is blocked with the
        reason. The worker re-checks again before the attempt."""
        with self._uow() as uow:
            d = self._visible(uow, principal, delivery_id)
            if d.status is not DeliveryStatus.DEAD:
                raise StateConflict("Alleen een dode aflevering kan opnieuw worden aangeboden.")
            again = self._start_over(uow, principal, [d], self._clock())
            uow.commit()
        if again:
            self._on_redrive()
        with self._uow() as uow:
            return uow.deliveries.get(delivery_id)

    def redrive_window(self, principal: Principal, *, endpoint_id: str | None = None,
                       created_from: datetime | None = None,
                       created_to: datetime | None = None) -> dict[str, int]:
        """Every dead delivery of the caller (a hub admin: of anyone) in a window of creation
        times and/or of one endpoint is decided afresh, up to ``REDRIVE_WINDOW_MAX`` per call:
        the permitted start over, the denied are blocked. Returns how many of each."""
        recipient = None if principal.is_hub_admin else principal.tenant_id
        with self._uow() as uow:
            dead = uow.deliveries.list_by_status(
                DeliveryStatus.DEAD, after=None, limit=REDRIVE_WINDOW_MAX, recipient=recipient,
                endpoint_id=endpoint_id, created_from=created_from, created_to=created_to)
            again = self._start_over(uow, principal, dead, self._clock())
            uow.commit()
        if again:
            self._on_redrive()
        return {"redriven": len(again), "blocked": len(dead) - len(again)}

    def attempts(self, principal: Principal, delivery_id: str) -> list[AttemptRecord]:
        """The attempt log of a delivery addressed to the caller (hub admin: any)."""
        with self._read_uow() as uow:
            self._visible(uow, principal, delivery_id)
            return uow.attempts.for_delivery(delivery_id)

    @staticmethod
    def _visible(uow: HubUnitOfWork, principal: Principal, delivery_id: str) -> Delivery:
        d = uow.deliveries.get(delivery_id)
        if d is None or not (principal.is_hub_admin or d.recipient == principal.tenant_id):
            raise ResourceNotFound()
        return d

    def _start_over(self, uow: HubUnitOfWork, principal: Principal, dead: list[Delivery],
                    now: datetime) -> list[Delivery]:
        """Decide each dead delivery afresh and record it (phase ``redrive``, one statement):
        the permitted start over, the denied are blocked. Returns those started over."""
        if not dead:
            return []
        view = self._directory.snapshot()
        messages = uow.messages.get_many_without_payload(sorted({d.message_id for d in dead}))
        decided: list[tuple[str, Decision]] = []
        again: list[Delivery] = []
        for d in dead:
            decision = self._pdp.decide(facts_now(uow, messages[d.message_id], d.recipient),
                                        d.recipient, now, view)
            decided.append((d.message_id, decision))
            if decision.permit:
                uow.deliveries.redrive(d.id, now)
                again.append(d)
            else:
                uow.deliveries.finish(d.id, status=DeliveryStatus.BLOCKED, now=now,
                                      error=d.last_error, reason=decision.reason)
            uow.audit.record(action="delivery.redrive", tenant_id=d.recipient,
                             actor=principal.key_id, subject_id=d.id, trace_id=d.message_id,
                             basis=decision.basis, subject_ref=decision.client_ref,
                             facts={"decision": "permit" if decision.permit else "deny"}, at=now)
        uow.decisions.add_many(decided, REDRIVE_PHASE, now)
        uow.outbox.add_many([(d.id, d.queue) for d in again], now)
        return again


def _audit_acks(uow: HubUnitOfWork, principal: Principal, found: list[Delivery],
                now: datetime) -> None:
    """An entry for each delivery acknowledged now (a repeated acknowledgement adds none)."""
    for d in found:
        if d.acknowledged_at == now:
            uow.audit.record(action="delivery.acknowledged", tenant_id=d.recipient,
                             actor=principal.key_id, subject_id=d.id, trace_id=d.message_id,
                             basis=d.basis or None, facts={}, at=now)


def _delivery_view(d: Delivery) -> dict:
    return {"delivery_id": d.id, "recipient": d.recipient, "decision": "permit", "basis": d.basis,
            "status": d.status.value, "attempts": d.attempts, "connector": d.connector,
            "created_at": d.created_at, "next_attempt_at": d.next_attempt_at
            if d.status is DeliveryStatus.RETRYING else None,
            "delivered_at": d.delivered_at, "acknowledged_at": d.acknowledged_at,
            "deadline": d.deadline, "last_error": d.last_error, "reason": d.status_reason}
