"""SQL adapters for deliveries and their attempts: the state machine's storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, and_, bindparam, case, exists, func, insert, or_, select, update

from hub.delivery.model import (
    INBOX,
    OPEN_STATES,
    AttemptRecord,
    Delivery,
    DeliveryStatus,
    Outcome,
    StoredMessage,
)
from hub.persistence import tables as t
from hub.persistence.message_repositories import _message
from hub.persistence.record_repositories import _is_postgres
from hub.persistence.together import insert_together, queue
from hub.ports import AttemptRepository, DeliveryRepository


def _delivery(row: Any) -> Delivery:
    return Delivery(id=row.id, message_id=row.message_id, recipient=row.recipient_tenant_id,
                    connector=row.connector, basis=row.basis, status=DeliveryStatus(row.status),
                    urgent=row.urgent, attempts=row.attempts, max_attempts=row.max_attempts,
                    created_at=row.created_at, next_attempt_at=row.next_attempt_at,
                    delivered_at=row.delivered_at, acknowledged_at=row.acknowledged_at,
                    deadline=row.deadline, last_error=row.last_error,
                    status_reason=row.status_reason, endpoint_id=row.endpoint_id,
                    redrives=row.redrives, request_id=row.request_id)


_OPEN = [s.value for s in OPEN_STATES]

# Statements on the hot path are built once: building and cache-keying a statement costs more
# CPU than sending it (SQLAlchemy then reuses the compiled form).
_d = t.deliveries
_INSERT_DELIVERY = insert(_d)
_INSERT_ATTEMPT = insert(t.delivery_attempts)
_CLAIM = (update(_d).where(
    _d.c.id.in_(bindparam("ids", expanding=True)) & _d.c.status.in_(_OPEN)
    & or_(_d.c.next_attempt_at.is_(None), _d.c.next_attempt_at <= bindparam("now"))
    & or_(_d.c.lease_until.is_(None), _d.c.lease_until < bindparam("now")))
    .values(lease_until=bindparam("lease_until"), attempts=_d.c.attempts + 1)
    .returning(*_d.c))
_MARK_DELIVERED = (update(_d).where(_d.c.id.in_(bindparam("ids", expanding=True)))
                   .values(status=DeliveryStatus.DELIVERED.value, delivered_at=bindparam("now"),
                           lease_until=None, last_error=None))
_ACKNOWLEDGE = (update(_d).where(
    _d.c.id.in_(bindparam("ids", expanding=True)) & (_d.c.recipient_tenant_id == bindparam("r"))
    & (_d.c.status == DeliveryStatus.DELIVERED.value) & (_d.c.connector == INBOX))
    .values(status=DeliveryStatus.ACKNOWLEDGED.value, acknowledged_at=bindparam("now")))
_ACKNOWLEDGED = select(_d).where(
    _d.c.id.in_(bindparam("ids", expanding=True)) & (_d.c.recipient_tenant_id == bindparam("r"))
    & (_d.c.connector == INBOX)
    & _d.c.status.in_([DeliveryStatus.DELIVERED.value, DeliveryStatus.ACKNOWLEDGED.value]))

#: A page of a recipient's inbox with its messages (every poll asks it): built once, with and
#: without the cursor of the previous page.
_INBOX = (select(_d, *[c.label(f"m_{c.name}") for c in t.messages.c],
                 t.message_keys.c.wrapped_key.label("m_wrapped_key"))
          .join(t.messages, t.messages.c.id == _d.c.message_id)
          .outerjoin(t.message_keys, t.message_keys.c.message_id == t.messages.c.id)
          .where((_d.c.recipient_tenant_id == bindparam("recipient"))
                 & _d.c.status.in_(bindparam("states", expanding=True))
                 & (_d.c.connector == INBOX) & _d.c.delivered_at.is_not(None))
          .order_by(_d.c.delivered_at, _d.c.id).limit(bindparam("limit")))
_INBOX_AFTER = _INBOX.where(or_(
    _d.c.delivered_at > bindparam("at"),
    and_(_d.c.delivered_at == bindparam("at"), _d.c.id > bindparam("last_id"))))


class SqlDeliveryRepository(DeliveryRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_many(self, items: Sequence[Delivery], dispatched_at: datetime) -> None:
        if not items:
            return
        rows = [{
            "id": d.id, "message_id": d.message_id, "recipient_tenant_id": d.recipient,
            "connector": d.connector, "endpoint_id": d.endpoint_id, "basis": d.basis,
            "status": d.status.value, "urgent": d.urgent, "attempts": d.attempts,
            "max_attempts": d.max_attempts, "created_at": d.created_at,
            "next_attempt_at": d.next_attempt_at, "dispatched_at": dispatched_at,
            "deadline": d.deadline, "redrives": 0, "request_id": d.request_id} for d in items]
        if not queue(self._conn, [(t.deliveries, rows)]):
            self._conn.execute(_INSERT_DELIVERY, rows)

    def get(self, delivery_id: str) -> Delivery | None:
        row = self._conn.execute(select(t.deliveries).where(t.deliveries.c.id == delivery_id)).first()
        return _delivery(row) if row else None

    def for_message(self, message_id: str) -> list[Delivery]:
        d = t.deliveries
        return [_delivery(r) for r in self._conn.execute(
            select(d).where(d.c.message_id == message_id).order_by(d.c.recipient_tenant_id))]

    def for_messages(self, message_ids: Sequence[str]) -> dict[str, list[Delivery]]:
        d = t.deliveries
        found: dict[str, list[Delivery]] = {m: [] for m in message_ids}
        if message_ids:
            for r in self._conn.execute(select(d).where(d.c.message_id.in_(list(message_ids)))
                                        .order_by(d.c.recipient_tenant_id)):
                found[r.message_id].append(_delivery(r))
        return found

    def claim_many(self, ids: Sequence[str], now: datetime, lease_until: datetime) -> list[Delivery]:
        """Claim several in one statement (UPDATE … RETURNING); returns those claimed."""
        if not ids:
            return []
        rows = self._conn.execute(_CLAIM, {"ids": list(ids), "now": now,
                                           "lease_until": lease_until}).all()
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
            self._conn.execute(_MARK_DELIVERED, {"ids": list(ids), "now": now})

    def acknowledge_many(self, ids: Sequence[str], recipient: str, now: datetime) -> list[Delivery]:
        """Acknowledge the recipient's delivered inbox items; returns every one of the ids that
        is the recipient's inbox item (acknowledged now or before)."""
        params = {"ids": list(ids), "r": recipient, "now": now}
        self._conn.execute(_ACKNOWLEDGE, params)
        rows = self._conn.execute(_ACKNOWLEDGED, params)
        return [_delivery(r) for r in rows]

    def consents_of_open_items(self, limit: int) -> list[str]:
        d, dec = t.deliveries, t.decisions
        rows = self._conn.execute(
            select(dec.c.consent_id).distinct().join(d, (d.c.message_id == dec.c.message_id)
                                                      & (d.c.recipient_tenant_id
                                                         == dec.c.recipient_tenant_id))
            .where((dec.c.phase == "intake") & dec.c.consent_id.is_not(None)
                   & (d.c.status == DeliveryStatus.DELIVERED.value) & (d.c.connector == INBOX))
            .order_by(dec.c.consent_id).limit(limit))
        return [r[0] for r in rows]

    def withdraw_on_consent(self, consent_id: str, now: datetime,
                            reason: str) -> list[Delivery]:
        d, dec = t.deliveries, t.decisions
        on_consent = select(dec.c.id).where(
            (dec.c.message_id == d.c.message_id)
            & (dec.c.recipient_tenant_id == d.c.recipient_tenant_id)
            & (dec.c.phase == "intake") & (dec.c.consent_id == consent_id))
        query = select(d).where((d.c.status == DeliveryStatus.DELIVERED.value)
                                & (d.c.connector == INBOX) & exists(on_consent))
        if _is_postgres(self._conn):
            query = query.with_for_update()
        found = [_delivery(r) for r in self._conn.execute(query)]
        if found:
            self._conn.execute(update(d).where(d.c.id.in_([x.id for x in found])).values(
                status=DeliveryStatus.INGETROKKEN.value, status_reason=reason, lease_until=None,
                next_attempt_at=None))
        return found

    def inbox(self, recipient: str, *, after: tuple[datetime, str] | None, limit: int,
              include_acknowledged: bool) -> list[tuple[Delivery, StoredMessage]]:
        """Inbox items with their messages, in one query; withdrawn ones (``ingetrokken``)
        that had reached the inbox are listed too."""
        m = t.messages
        states = [DeliveryStatus.DELIVERED.value, DeliveryStatus.INGETROKKEN.value]
        if include_acknowledged:
            states.append(DeliveryStatus.ACKNOWLEDGED.value)
        params: dict[str, Any] = {"recipient": recipient, "states": states, "limit": limit}
        if after is not None:
            params["at"], params["last_id"] = after
        out = []
        for r in self._conn.execute(_INBOX if after is None else _INBOX_AFTER, params):
            mapping = r._mapping
            message_row = SimpleNamespace(**{c.name: mapping[f"m_{c.name}"] for c in m.c},
                                          wrapped_key=mapping["m_wrapped_key"])
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
                       recipient: str | None = None, endpoint_id: str | None = None,
                       created_from: datetime | None = None,
                       created_to: datetime | None = None) -> list[Delivery]:
        d = t.deliveries
        query = select(d).where(d.c.status == status.value).order_by(d.c.id).limit(limit)
        if after is not None:
            query = query.where(d.c.id > after)
        if recipient is not None:
            query = query.where(d.c.recipient_tenant_id == recipient)
        if endpoint_id is not None:
            query = query.where(d.c.endpoint_id == endpoint_id)
        if created_from is not None:
            query = query.where(d.c.created_at >= created_from)
        if created_to is not None:
            query = query.where(d.c.created_at < created_to)
        return [_delivery(r) for r in self._conn.execute(query)]

    def redrive(self, delivery_id: str, now: datetime) -> None:
        d = t.deliveries
        self._conn.execute(update(d).where(d.c.id == delivery_id).values(
            status=DeliveryStatus.PENDING.value, attempts=0, next_attempt_at=now,
            dispatched_at=now, lease_until=None, status_reason=None,
            redrives=d.c.redrives + 1))

    def defer_many(self, ids: Sequence[str], until: datetime) -> None:
        if ids:
            d = t.deliveries
            self._conn.execute(update(d).where(d.c.id.in_(list(ids))).values(
                attempts=case((d.c.attempts > 0, d.c.attempts - 1), else_=0),
                lease_until=None, dispatched_at=None, next_attempt_at=until))

    def count_by_status(self) -> dict[str, int]:
        d = t.deliveries
        return {r[0]: r[1] for r in self._conn.execute(
            select(d.c.status, func.count()).group_by(d.c.status))}


class SqlAttemptRepository(AttemptRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_many(self, records: Sequence[AttemptRecord]) -> None:
        rows = [{"delivery_id": a.delivery_id, "number": a.number, "started_at": a.started_at,
                 "duration_ms": a.duration_ms, "outcome": a.outcome.value,
                 "error_code": a.error_code, "response_status": a.response_status}
                for a in records]
        if not rows or queue(self._conn, [(t.delivery_attempts, rows)]):
            return
        if self._conn.dialect.name == "postgresql":
            insert_together(self._conn, [(t.delivery_attempts, rows)])
        else:
            self._conn.execute(_INSERT_ATTEMPT, rows)

    def for_delivery(self, delivery_id: str) -> list[AttemptRecord]:
        a = t.delivery_attempts

        return [AttemptRecord(r.delivery_id, r.number, r.started_at, r.duration_ms,
                              Outcome(r.outcome), r.error_code, r.response_status)
                for r in self._conn.execute(select(a).where(a.c.delivery_id == delivery_id)
                                            .order_by(a.c.id))]
