"""SQL adapters for what the pipeline records beside messages: decisions and outbox rows
(ids, codes and hashes; never payload text). Alerts and audit entries have their own modules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Connection, Select, bindparam, delete, func, insert, or_, select, text

from consent.policy import Decision
from hub.persistence import tables as t
from hub.persistence.together import insert_together, queue
from hub.ports import (
    DecisionFilter,
    DecisionRepository,
    OutboxRepository,
    decision_row,
)

OUTBOX_CHANNEL = "ketenhub_outbox"


def _is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


_INSERT_DECISION = insert(t.decisions)
_INSERT_OUTBOX = insert(t.outbox)
_NOTIFY_AFTER = f"SELECT pg_notify('{OUTBOX_CHANNEL}', '')"
_o = t.outbox
_OUTBOX_BATCH = select(_o.c.id, _o.c.delivery_id, _o.c.queue).order_by(_o.c.id).limit(
    bindparam("limit"))
_OUTBOX_BATCH_LOCKED = _OUTBOX_BATCH.with_for_update(skip_locked=True)
_OUTBOX_REMOVE = delete(_o).where(_o.c.id.in_(bindparam("ids", expanding=True)))


_DECISION_COLUMNS = ("message_id", "recipient_tenant_id", "phase", "decision", "basis",
                     "reason", "network_id", "consent_id", "consent_version", "client_ref",
                     "review_required", "decided_at")
#: A permitted delivery decision is recorded once per message and recipient.
_ONCE = ("ON CONFLICT (message_id, recipient_tenant_id, phase) "
         "WHERE decision = 'permit' AND phase = 'delivery' DO NOTHING")
#: Written out, because SQLAlchemy does not cache the compiled form of an ON CONFLICT insert
#: (it would compile it on every delivery); the same SQL runs on PostgreSQL and SQLite.
_INSERT_DECISION_ONCE = text(
    f"INSERT INTO decisions ({', '.join(_DECISION_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in _DECISION_COLUMNS)}) "
    f"{_ONCE}",
).bindparams(*[bindparam(c, type_=t.decisions.c[c].type) for c in _DECISION_COLUMNS])


class SqlDecisionRepository(DecisionRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_many(self, items: Iterable[tuple[str, Decision]], phase: str, at: datetime) -> None:
        """Record (message id, decision) pairs of one phase in one statement."""
        rows = [decision_row(message_id, phase, d, at) for message_id, d in items]
        if rows and not queue(self._conn, [(t.decisions, rows)]):
            self._conn.execute(_INSERT_DECISION, rows)

    def add_once_many(self, items: Sequence[tuple[str, str, Decision]], at: datetime) -> None:
        if not items:
            return
        rows = [decision_row(message_id, phase, d, at) for message_id, phase, d in items]
        if _is_postgres(self._conn):
            # Never queued: two deliveries of one message may race for this row, and it must
            # be written before the audit head's lock in every transaction (lock order).
            insert_together(self._conn, [(t.decisions, rows)], suffix=_ONCE)
            return
        self._conn.execute(_INSERT_DECISION_ONCE, rows)

    def list(self, *, after: int | None, limit: int, message_id: str | None = None,
             client_ref: str | None = None, tenant: str | None = None,
             where: DecisionFilter | None = None) -> list[dict]:
        """Decisions by id; ``tenant`` keeps those about messages it sent or was to receive."""
        dt, m = t.decisions, t.messages
        query = select(dt).order_by(dt.c.id).limit(limit)
        if where is not None:
            query = _narrowed(query, where)
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

    def for_messages(self, message_ids: Sequence[str]) -> dict[str, list[dict]]:
        dt = t.decisions
        found: dict[str, list[dict]] = {m: [] for m in message_ids}
        if message_ids:
            for r in self._conn.execute(select(dt).where(dt.c.message_id.in_(list(message_ids)))
                                        .order_by(dt.c.id)):
                found[r.message_id].append(dict(r._mapping))
        return found


def _narrowed(query: Select, where: DecisionFilter) -> Select:
    dt = t.decisions
    for column, value in (("decision", where.decision), ("basis", where.basis),
                          ("consent_id", where.consent_id)):
        if value is not None:
            query = query.where(dt.c[column] == value)
    if where.since is not None:
        query = query.where(dt.c.decided_at >= where.since)
    if where.before is not None:
        query = query.where(dt.c.decided_at < where.before)
    return query


class SqlOutboxRepository(OutboxRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_many(self, entries: Sequence[tuple[str, str]], at: datetime) -> None:
        """Queue (delivery id, queue name) pairs; on PostgreSQL wake the relays at commit."""
        if not entries:
            return
        rows = [{"delivery_id": delivery_id, "queue": queue, "created_at": at}
                for delivery_id, queue in entries]
        if _is_postgres(self._conn):
            # The rows and the wake-up in one statement (NOTIFY is sent at commit).
            if not queue(self._conn, [(_o, rows)], tail=_NOTIFY_AFTER):
                insert_together(self._conn, [(_o, rows)], tail=_NOTIFY_AFTER)
            return
        self._conn.execute(_INSERT_OUTBOX, rows)

    def claim_batch(self, limit: int) -> list[tuple[int, str, str]]:
        query = _OUTBOX_BATCH_LOCKED if _is_postgres(self._conn) else _OUTBOX_BATCH
        return [(r.id, r.delivery_id, r.queue)
                for r in self._conn.execute(query, {"limit": limit})]

    def remove(self, ids: Sequence[int]) -> None:
        if ids:
            self._conn.execute(_OUTBOX_REMOVE, {"ids": list(ids)})

    def count(self) -> int:
        return self._conn.execute(select(func.count()).select_from(t.outbox)).scalar_one()


