"""SQL adapters for messages, deliveries, decisions, attempts, the outbox, alerts and audit."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, text, update

from consent.policy import Decision
from hub.delivery.model import (
    OPEN_STATES,
    AttemptRecord,
    Delivery,
    DeliveryStatus,
    StoredMessage,
)
from hub.persistence import tables as t

OUTBOX_CHANNEL = "ketenhub_outbox"


def _is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


class SqlDataKeyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def current(self, tenant_id: str) -> tuple[int, bytes] | None:
        k = t.tenant_data_keys
        row = self._conn.execute(
            select(k.c.version, k.c.wrapped_key)
            .where((k.c.tenant_id == tenant_id) & k.c.retired_at.is_(None))
            .order_by(k.c.version.desc()).limit(1)).first()
        return (row.version, row.wrapped_key) if row else None

    def get(self, tenant_id: str, version: int) -> bytes | None:
        k = t.tenant_data_keys
        return self._conn.execute(select(k.c.wrapped_key).where(
            (k.c.tenant_id == tenant_id) & (k.c.version == version))).scalar()

    def add(self, tenant_id: str, version: int, wrapped: bytes, master_key_id: str,
            at: datetime) -> None:
        self._conn.execute(insert(t.tenant_data_keys).values(
            tenant_id=tenant_id, version=version, wrapped_key=wrapped,
            master_key_id=master_key_id, created_at=at))


def _message(row: Any) -> StoredMessage:
    return StoredMessage(id=row.id, sender=row.sender_tenant_id, source=row.source,
                         event_id=row.event_id, type=row.type, urgent=row.urgent,
                         received_at=row.received_at, key_version=row.key_version,
                         payload=row.payload, payload_sha256=row.payload_sha256,
                         routing=json.loads(row.routing), answer=json.loads(row.answer),
                         correlation=row.correlation)


class SqlMessageRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def recipients_of(self, message_id: str) -> tuple[str, list[str]] | None:
        m, d = t.messages, t.deliveries
        sender = self._conn.execute(select(m.c.sender_tenant_id).where(m.c.id == message_id)).scalar()
        if sender is None:
            return None
        rows = self._conn.execute(select(d.c.recipient_tenant_id).where(d.c.message_id == message_id))
        return sender, [r[0] for r in rows]

    def correlated_recipients(self, message_type: str, correlation: str, sender: str) -> list[str]:
        m, d = t.messages, t.deliveries
        rows = self._conn.execute(
            select(d.c.recipient_tenant_id).distinct().join(m, d.c.message_id == m.c.id)
            .where((m.c.type == message_type) & (m.c.correlation == correlation)
                   & (m.c.sender_tenant_id == sender)))
        return sorted(r[0] for r in rows)

    def add(self, m: StoredMessage) -> None:
        self._conn.execute(insert(t.messages).values(
            id=m.id, sender_tenant_id=m.sender, source=m.source, event_id=m.event_id,
            type=m.type, urgent=m.urgent, received_at=m.received_at, key_version=m.key_version,
            payload=m.payload, payload_sha256=m.payload_sha256,
            routing=json.dumps(m.routing, sort_keys=True), answer=json.dumps(m.answer),
            correlation=m.correlation))

    def get(self, message_id: str) -> StoredMessage | None:
        row = self._conn.execute(select(t.messages).where(t.messages.c.id == message_id)).first()
        return _message(row) if row else None

    def get_many_without_payload(self, ids: Sequence[str]) -> dict[str, StoredMessage]:
        """Messages by id, leaving the (possibly large) ciphertext out."""
        m = t.messages
        cols = [c for c in m.c if c.name != "payload"]
        rows = self._conn.execute(select(*cols).where(m.c.id.in_(list(set(ids)))))
        return {r.id: _message(SimpleNamespace(**r._mapping, payload=b"")) for r in rows}

    def find_answer(self, sender: str, source: str, event_id: str) -> dict | None:
        m = t.messages
        answer = self._conn.execute(select(m.c.answer).where(
            (m.c.sender_tenant_id == sender) & (m.c.source == source)
            & (m.c.event_id == event_id))).scalar()
        return json.loads(answer) if answer else None

    def correlated_senders(self, message_type: str, correlation: str, recipient: str) -> list[str]:
        """Senders of messages of ``message_type`` with this correlation that went to
        ``recipient`` (e.g. the meldpunt that asked this partner to take up a case)."""
        m, d = t.messages, t.deliveries
        rows = self._conn.execute(
            select(m.c.sender_tenant_id).distinct().join(d, d.c.message_id == m.c.id)
            .where((m.c.type == message_type) & (m.c.correlation == correlation)
                   & (d.c.recipient_tenant_id == recipient)))
        return sorted(r[0] for r in rows)


def _delivery(row: Any) -> Delivery:
    return Delivery(id=row.id, message_id=row.message_id, recipient=row.recipient_tenant_id,
                    connector=row.connector, basis=row.basis, status=DeliveryStatus(row.status),
                    urgent=row.urgent, attempts=row.attempts, max_attempts=row.max_attempts,
                    created_at=row.created_at, next_attempt_at=row.next_attempt_at,
                    delivered_at=row.delivered_at, acknowledged_at=row.acknowledged_at,
                    deadline=row.deadline, last_error=row.last_error,
                    status_reason=row.status_reason, endpoint_id=row.endpoint_id,
                    redrives=row.redrives)


_OPEN = [s.value for s in OPEN_STATES]


class SqlDeliveryRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_many(self, items: Sequence[Delivery], dispatched_at: datetime) -> None:
        if not items:
            return
        self._conn.execute(insert(t.deliveries), [{
            "id": d.id, "message_id": d.message_id, "recipient_tenant_id": d.recipient,
            "connector": d.connector, "endpoint_id": d.endpoint_id, "basis": d.basis,
            "status": d.status.value, "urgent": d.urgent, "attempts": d.attempts,
            "max_attempts": d.max_attempts, "created_at": d.created_at,
            "next_attempt_at": d.next_attempt_at, "dispatched_at": dispatched_at,
            "deadline": d.deadline, "redrives": 0} for d in items])

    def get(self, delivery_id: str) -> Delivery | None:
        row = self._conn.execute(select(t.deliveries).where(t.deliveries.c.id == delivery_id)).first()
        return _delivery(row) if row else None

    def for_message(self, message_id: str) -> list[Delivery]:
        d = t.deliveries
        return [_delivery(r) for r in self._conn.execute(
            select(d).where(d.c.message_id == message_id).order_by(d.c.recipient_tenant_id))]

    def claim(self, delivery_id: str, now: datetime, lease_until: datetime) -> Delivery | None:
        """Take an open, due, unleased delivery for one attempt; None when someone else has it
        or there is nothing to do."""
        found = self.claim_many([delivery_id], now, lease_until)
        return found[0] if found else None

    def claim_many(self, ids: Sequence[str], now: datetime, lease_until: datetime) -> list[Delivery]:
        """Claim several in one statement (UPDATE … RETURNING); returns those claimed."""
        if not ids:
            return []
        d = t.deliveries
        rows = self._conn.execute(
            update(d).where(
                d.c.id.in_(list(ids)) & d.c.status.in_(_OPEN)
                & or_(d.c.next_attempt_at.is_(None), d.c.next_attempt_at <= now)
                & or_(d.c.lease_until.is_(None), d.c.lease_until < now))
            .values(lease_until=lease_until, attempts=d.c.attempts + 1)
            .returning(*d.c)).all()
        return [_delivery(r) for r in rows]

    def finish(self, delivery_id: str, *, status: DeliveryStatus, now: datetime,
               next_attempt_at: datetime | None = None, error: str | None = None,
               reason: str | None = None) -> None:
        values: dict[str, Any] = {"status": status.value, "lease_until": None,
                                  "last_error": error}
        if status is DeliveryStatus.DELIVERED:
            values["delivered_at"] = now
        if status is DeliveryStatus.RETRYING:
            values.update(next_attempt_at=next_attempt_at, dispatched_at=None)
        if reason is not None:
            values["status_reason"] = reason
        self._conn.execute(update(t.deliveries).where(t.deliveries.c.id == delivery_id)
                           .values(**values))

    def mark_delivered(self, ids: Sequence[str], now: datetime) -> None:
        if ids:
            self._conn.execute(update(t.deliveries).where(t.deliveries.c.id.in_(list(ids))).values(
                status=DeliveryStatus.DELIVERED.value, delivered_at=now, lease_until=None,
                last_error=None))

    def acknowledge(self, delivery_id: str, recipient: str, now: datetime) -> Delivery | None:
        found = self.acknowledge_many([delivery_id], recipient, now)
        return found[0] if found else None

    def acknowledge_many(self, ids: Sequence[str], recipient: str, now: datetime) -> list[Delivery]:
        """Acknowledge the recipient's delivered inbox items; returns every one of the ids that
        is the recipient's inbox item (acknowledged now or before)."""
        d = t.deliveries
        ids = list(ids)
        self._conn.execute(update(d).where(
            d.c.id.in_(ids) & (d.c.recipient_tenant_id == recipient)
            & (d.c.status == DeliveryStatus.DELIVERED.value) & (d.c.connector == "inbox"))
            .values(status=DeliveryStatus.ACKNOWLEDGED.value, acknowledged_at=now))
        rows = self._conn.execute(select(d).where(
            d.c.id.in_(ids) & (d.c.recipient_tenant_id == recipient) & (d.c.connector == "inbox")
            & d.c.status.in_([DeliveryStatus.DELIVERED.value,
                              DeliveryStatus.ACKNOWLEDGED.value])))
        return [_delivery(r) for r in rows]

    def inbox(self, recipient: str, *, after: tuple[datetime, str] | None, limit: int,
              include_acknowledged: bool) -> list[tuple[Delivery, StoredMessage]]:
        """Inbox items with their messages, in one query."""
        d, m = t.deliveries, t.messages
        states = [DeliveryStatus.DELIVERED.value]
        if include_acknowledged:
            states.append(DeliveryStatus.ACKNOWLEDGED.value)
        message_cols = [c.label(f"m_{c.name}") for c in m.c]
        query = (select(d, *message_cols).join(m, m.c.id == d.c.message_id)
                 .where((d.c.recipient_tenant_id == recipient) & d.c.status.in_(states)
                        & (d.c.connector == "inbox"))
                 .order_by(d.c.delivered_at, d.c.id).limit(limit))
        if after is not None:
            at, last_id = after
            query = query.where(or_(d.c.delivered_at > at,
                                    and_(d.c.delivered_at == at, d.c.id > last_id)))
        out = []
        for r in self._conn.execute(query):
            mapping = r._mapping
            message_row = SimpleNamespace(**{c.name: mapping[f"m_{c.name}"] for c in m.c})
            out.append((_delivery(r), _message(message_row)))
        return out

    def due_for_dispatch(self, now: datetime, stale_before: datetime, limit: int) -> list[Delivery]:
        """Open deliveries that are due and have no live dispatch: never dispatched since their
        last attempt, or dispatched so long ago that the bus message must be lost."""
        d = t.deliveries
        query = (select(d).where(
            d.c.status.in_(_OPEN)
            & or_(d.c.next_attempt_at.is_(None), d.c.next_attempt_at <= now)
            & or_(d.c.lease_until.is_(None), d.c.lease_until < now)
            & or_(d.c.dispatched_at.is_(None), d.c.dispatched_at < stale_before))
            .order_by(d.c.next_attempt_at).limit(limit))
        if _is_postgres(self._conn):
            query = query.with_for_update(skip_locked=True)
        return [_delivery(r) for r in self._conn.execute(query)]

    def mark_dispatched(self, ids: Sequence[str], now: datetime) -> None:
        if ids:
            self._conn.execute(update(t.deliveries).where(t.deliveries.c.id.in_(ids))
                               .values(dispatched_at=now))

    def list_by_status(self, status: DeliveryStatus, *, after: str | None, limit: int,
                       recipient: str | None = None) -> list[Delivery]:
        d = t.deliveries
        query = select(d).where(d.c.status == status.value).order_by(d.c.id).limit(limit)
        if after is not None:
            query = query.where(d.c.id > after)
        if recipient is not None:
            query = query.where(d.c.recipient_tenant_id == recipient)
        return [_delivery(r) for r in self._conn.execute(query)]

    def redrive(self, delivery_id: str, now: datetime) -> None:
        d = t.deliveries
        self._conn.execute(update(d).where(d.c.id == delivery_id).values(
            status=DeliveryStatus.PENDING.value, attempts=0, next_attempt_at=now,
            dispatched_at=now, lease_until=None, status_reason=None,
            redrives=d.c.redrives + 1))

    def count_by_status(self) -> dict[str, int]:
        d = t.deliveries
        return {r[0]: r[1] for r in self._conn.execute(
            select(d.c.status, func.count()).group_by(d.c.status))}


class SqlAttemptRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, a: AttemptRecord) -> None:
        self._conn.execute(insert(t.delivery_attempts).values(
            delivery_id=a.delivery_id, number=a.number, started_at=a.started_at,
            duration_ms=a.duration_ms, outcome=a.outcome.value, error_code=a.error_code,
            response_status=a.response_status))

    def add_many(self, records: Sequence[AttemptRecord]) -> None:
        if records:
            self._conn.execute(insert(t.delivery_attempts), [
                {"delivery_id": a.delivery_id, "number": a.number, "started_at": a.started_at,
                 "duration_ms": a.duration_ms, "outcome": a.outcome.value,
                 "error_code": a.error_code, "response_status": a.response_status}
                for a in records])

    def for_delivery(self, delivery_id: str) -> list[AttemptRecord]:
        a = t.delivery_attempts
        from hub.delivery.model import Outcome

        return [AttemptRecord(r.delivery_id, r.number, r.started_at, r.duration_ms,
                              Outcome(r.outcome), r.error_code, r.response_status)
                for r in self._conn.execute(select(a).where(a.c.delivery_id == delivery_id)
                                            .order_by(a.c.id))]


class SqlDecisionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_many(self, message_id: str, phase: str, decisions: Iterable[Decision],
                 at: datetime) -> None:
        rows = [{"message_id": message_id, "recipient_tenant_id": d.recipient, "phase": phase,
                 "decision": "permit" if d.permit else "deny", "basis": d.basis,
                 "reason": d.reason, "network_id": d.network_id, "consent_id": d.consent_id,
                 "consent_version": d.consent_version, "client_ref": d.client_ref,
                 "review_required": d.review_required, "decided_at": at} for d in decisions]
        if rows:
            self._conn.execute(insert(t.decisions), rows)

    def add_once(self, message_id: str, phase: str, decision: Decision, at: datetime) -> None:
        """Record the decision unless one exists for (message, recipient, phase) already — a
        recipient's inbox and endpoint deliveries share one delivery-phase decision."""
        self.add_once_many([(message_id, phase, decision)], at)

    def add_once_many(self, items: Sequence[tuple[str, str, Decision]], at: datetime) -> None:
        if not items:
            return
        if self._conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        rows = [{"message_id": message_id, "recipient_tenant_id": d.recipient, "phase": phase,
                 "decision": "permit" if d.permit else "deny", "basis": d.basis,
                 "reason": d.reason, "network_id": d.network_id, "consent_id": d.consent_id,
                 "consent_version": d.consent_version, "client_ref": d.client_ref,
                 "review_required": d.review_required, "decided_at": at}
                for message_id, phase, d in items]
        self._conn.execute(dialect_insert(t.decisions).on_conflict_do_nothing(
            index_elements=["message_id", "recipient_tenant_id", "phase"]), rows)

    def list(self, *, after: int | None, limit: int, message_id: str | None = None,
             client_ref: str | None = None, tenant: str | None = None) -> list[dict]:
        """Decisions by id; ``tenant`` keeps those about messages it sent or was to receive."""
        dt, m = t.decisions, t.messages
        query = select(dt).order_by(dt.c.id).limit(limit)
        if after is not None:
            query = query.where(dt.c.id > after)
        if message_id is not None:
            query = query.where(dt.c.message_id == message_id)
        if client_ref is not None:
            query = query.where(dt.c.client_ref == client_ref)
        if tenant is not None:
            sent = select(m.c.id).where((m.c.id == dt.c.message_id)
                                        & (m.c.sender_tenant_id == tenant)).exists()
            query = query.where(or_(dt.c.recipient_tenant_id == tenant, sent))
        return [dict(r._mapping) for r in self._conn.execute(query)]

    def for_message(self, message_id: str) -> list[dict]:
        dt = t.decisions
        return [dict(r._mapping) for r in self._conn.execute(
            select(dt).where(dt.c.message_id == message_id).order_by(dt.c.id))]


class SqlOutboxRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_many(self, entries: Sequence[tuple[str, str]], at: datetime) -> None:
        """Queue (delivery id, queue name) pairs; on PostgreSQL wake the relays at commit."""
        if not entries:
            return
        self._conn.execute(insert(t.outbox), [
            {"delivery_id": delivery_id, "queue": queue, "created_at": at}
            for delivery_id, queue in entries])
        if _is_postgres(self._conn):
            self._conn.execute(text(f"NOTIFY {OUTBOX_CHANNEL}"))

    def claim_batch(self, limit: int) -> list[tuple[int, str, str]]:
        o = t.outbox
        query = select(o.c.id, o.c.delivery_id, o.c.queue).order_by(o.c.id).limit(limit)
        if _is_postgres(self._conn):
            query = query.with_for_update(skip_locked=True)
        return [(r.id, r.delivery_id, r.queue) for r in self._conn.execute(query)]

    def remove(self, ids: Sequence[int]) -> None:
        if ids:
            self._conn.execute(delete(t.outbox).where(t.outbox.c.id.in_(ids)))

    def count(self) -> int:
        return self._conn.execute(select(func.count()).select_from(t.outbox)).scalar_one()


class SqlAlertRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def raise_alert(self, *, kind: str, tenant_id: str | None, subject_id: str | None,
                    detail: str | None, at: datetime) -> None:
        self._conn.execute(insert(t.alerts).values(kind=kind, tenant_id=tenant_id,
                                                   subject_id=subject_id, detail=detail,
                                                   raised_at=at))

    def list(self, *, kind: str | None = None) -> list[dict]:
        a = t.alerts
        query = select(a).order_by(a.c.id)
        if kind:
            query = query.where(a.c.kind == kind)
        return [dict(r._mapping) for r in self._conn.execute(query)]


class SqlAuditRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def record(self, *, action: str, tenant_id: str | None, actor: str | None,
               subject_id: str | None, facts: dict, at: datetime) -> None:
        self._conn.execute(insert(t.audit_log).values(
            action=action, tenant_id=tenant_id, actor=actor, subject_id=subject_id,
            facts=json.dumps(facts, sort_keys=True), at=at))

    def list(self, *, tenant_id: str | None = None, action: str | None = None) -> list[dict]:
        a = t.audit_log
        query = select(a).order_by(a.c.id)
        if tenant_id:
            query = query.where(a.c.tenant_id == tenant_id)
        if action:
            query = query.where(a.c.action == action)
        return [{**dict(r._mapping), "facts": json.loads(r.facts)} for r in self._conn.execute(query)]
