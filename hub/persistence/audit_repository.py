"""SQL adapter of the processing log. Entries recorded in a unit of work are chained when it
commits: the chain head row is locked, the entries are placed after it and the head moves on,
all in the committing transaction — so several processes append one after another, the lock is
held only for the last statements of a transaction, and a rolled-back change leaves no entry."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from hub.audit.chain import GENESIS, AuditRecord, ChainedEntry, chain
from hub.persistence import tables as t
from hub.persistence.together import SELECT_NOTHING, Body, insert_bodies, run
from hub.ports import AuditRepository

HEAD_ID = 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_a = t.audit_log
_h = t.audit_chain_head
_INSERT = insert(_a)
_HEAD = select(_h.c.seq, _h.c.hash).where(_h.c.id == HEAD_ID)
_HEAD_LOCKED = _HEAD.with_for_update()
#: Built once, like the other statements here: every committing transaction with entries runs
#: them (building and cache-keying a statement costs more CPU than sending it).
_MOVE_HEAD = update(_h).where(_h.c.id == HEAD_ID).values(
    seq=bindparam("new_seq"), hash=bindparam("new_hash"), updated_at=bindparam("at"))
#: On PostgreSQL the head's move rides in the statement that inserts the entries.
_PG_MOVE_HEAD = f"UPDATE {_h.name} SET seq = %s, hash = %s, updated_at = %s WHERE id = %s"
_COLUMNS = (_a.c.seq, _a.c.at, _a.c.action, _a.c.tenant_id, _a.c.actor, _a.c.subject_id,
            _a.c.basis, _a.c.purpose, _a.c.subject_ref, _a.c.trace_id, _a.c.facts,
            _a.c.prev_hash, _a.c.hash)


def _entry(row) -> ChainedEntry:  # noqa: ANN001 - a result row
    return ChainedEntry(seq=row.seq, at=row.at, activity=row.action, tenant_id=row.tenant_id,
                        actor=row.actor, object=row.subject_id, basis=row.basis,
                        purpose=row.purpose, subject_ref=row.subject_ref, trace_id=row.trace_id,
                        facts=row.facts, prev_hash=row.prev_hash, hash=row.hash)


def _row(e: ChainedEntry) -> dict:
    return {"seq": e.seq, "at": e.at, "action": e.activity, "tenant_id": e.tenant_id,
            "actor": e.actor, "subject_id": e.object, "basis": e.basis, "purpose": e.purpose,
            "subject_ref": e.subject_ref, "trace_id": e.trace_id, "facts": e.facts,
            "prev_hash": e.prev_hash, "hash": e.hash}


class SqlAuditRepository(AuditRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._pending: list[AuditRecord] = []

    def record(self, *, action: str, tenant_id: str | None, actor: str | None,
               subject_id: str | None, facts: dict, at: datetime, basis: str | None = None,
               subject_ref: str | None = None, trace_id: str | None = None,
               purpose: str | None = None) -> None:
        """Record one processing activity; it is chained when the unit of work commits."""
        self._pending.append(AuditRecord(
            activity=action, at=at, tenant_id=tenant_id, actor=actor, object=subject_id,
            basis=basis, purpose=purpose, subject_ref=subject_ref, trace_id=trace_id,
            facts=facts))

    def add(self, record: AuditRecord) -> None:
        self._pending.append(record)

    def flush(self, *, with_bodies: Sequence[Body] = (), tail: str = SELECT_NOTHING) -> None:
        """Chain the recorded entries (called by the unit of work right before it commits).
        On PostgreSQL ``with_bodies`` (queued inserts) and ``tail`` go in the same statement
        as the entries and the head's move."""
        if not self._pending:
            run(self._conn, with_bodies, tail=tail)
            return
        records, self._pending = self._pending, []
        head = self._locked_head()
        entries = chain(records, head.seq, head.hash)
        last = entries[-1]
        if self._conn.dialect.name == "postgresql":
            move: Body = (_PG_MOVE_HEAD, [last.seq, last.hash, records[-1].at.astimezone(UTC),
                                          HEAD_ID])
            run(self._conn, [*with_bodies, *insert_bodies(self._conn, _a, [_row(e) for e in entries]),
                             move], tail=tail)
            return
        self._conn.execute(_INSERT, [_row(e) for e in entries])
        self._conn.execute(_MOVE_HEAD, {"new_seq": last.seq, "new_hash": last.hash,
                                        "at": records[-1].at})

    def lock_head(self) -> None:
        """Take the chain head's lock now (it is held until the transaction ends)."""
        self._locked_head()

    def _locked_head(self):  # noqa: ANN202 - a result row
        head = self._conn.execute(_HEAD_LOCKED).first()
        if head is None:
            self._create_head()
            head = self._conn.execute(_HEAD_LOCKED).first()
        return head

    def discard(self) -> None:
        self._pending.clear()

    def _create_head(self) -> None:
        """The head row is made by the migration; a database built otherwise gets it here."""
        values = {"id": HEAD_ID, "seq": 0, "hash": GENESIS, "updated_at": _EPOCH}
        dialect = postgresql if self._conn.dialect.name == "postgresql" else sqlite
        self._conn.execute(dialect.insert(_h).values(**values).on_conflict_do_nothing())

    # --- reading ---------------------------------------------------------------------------

    def head(self) -> tuple[int, str] | None:
        row = self._conn.execute(_HEAD).first()
        return (row.seq, row.hash) if row is not None else None

    def entries(self, *, after: int | None, limit: int, tenant_id: str | None = None,
                activity: str | None = None) -> list[ChainedEntry]:
        query = select(*_COLUMNS).order_by(_a.c.seq).limit(limit)
        if after is not None:
            query = query.where(_a.c.seq > after)
        if tenant_id is not None:
            query = query.where(_a.c.tenant_id == tenant_id)
        if activity is not None:
            query = query.where(_a.c.action == activity)
        return [_entry(r) for r in self._conn.execute(query)]

    def walk(self, *, upto: int | None, batch: int = 2000) -> Iterator[ChainedEntry]:
        """Every entry in chain order (up to seq ``upto`` when given), fetched in batches."""
        after = 0
        while True:
            query = select(*_COLUMNS).where(_a.c.seq > after).order_by(_a.c.seq).limit(batch)
            if upto is not None:
                query = query.where(_a.c.seq <= upto)
            rows = [_entry(r) for r in self._conn.execute(query)]
            yield from rows
            if len(rows) < batch:
                return
            after = rows[-1].seq

    def list(self, *, tenant_id: str | None = None, action: str | None = None) -> list[dict]:
        """Entries as dicts (``facts`` parsed), oldest first — for tests and tools."""
        query = select(_a).order_by(_a.c.seq)
        if tenant_id:
            query = query.where(_a.c.tenant_id == tenant_id)
        if action:
            query = query.where(_a.c.action == action)
        return [{**dict(r._mapping), "facts": json.loads(r.facts)}
                for r in self._conn.execute(query)]
