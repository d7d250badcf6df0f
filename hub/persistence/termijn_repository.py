"""SQL adapter of the termijnen port: one table of terms for every flow, read by the watcher
through the index on ``due_at`` (its cost grows with what is due, not with what runs)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, insert, or_, select, update

from hub.flows.termijnen.model import Termijn, TermijnStatus
from hub.flows.termijnen.ports import TermijnRepository
from hub.persistence import tables as t
from hub.persistence.record_repositories import _is_postgres
from hub.persistence.together import queue

_t = t.termijnen
_LOPEND = TermijnStatus.LOPEND.value
_INSERT = insert(_t)
_DUE = (select(_t).where(_t.c.due_at <= bindparam("now")).order_by(_t.c.due_at)
        .limit(bindparam("limit")))
_DUE_LOCKED = _DUE.with_for_update(skip_locked=True)
#: The terms of a page of inbox items (every inbox poll asks it): built once.
_FOR_SUBJECTS = (select(_t).where(_t.c.subject_id.in_(bindparam("subjects", expanding=True)))
                 .order_by(_t.c.id))
_STATE_COLUMNS = ("status", "due_at", "reminded_at", "settled_at", "met_by")
_SAVE_MANY = update(_t).where(_t.c.id == bindparam("tid")).values(
    **{c: bindparam(c) for c in _STATE_COLUMNS})


def _termijn(row: Any) -> Termijn:
    return Termijn(id=row.id, flow=row.flow, subject_id=row.subject_id, owed_by=row.owed_by,
                   owed_to=row.owed_to, werkdagen=row.werkdagen,
                   gehaald_door=tuple(json.loads(row.gehaald_door)), started_at=row.started_at,
                   deadline=row.deadline, status=TermijnStatus(row.status),
                   network_id=row.network_id, delivery_id=row.delivery_id, meldpunt=row.meldpunt,
                   remind_at=row.remind_at, due_at=row.due_at, reminded_at=row.reminded_at,
                   settled_at=row.settled_at, met_by=row.met_by)


def _row(x: Termijn) -> dict:
    return {"id": x.id, "flow": x.flow, "network_id": x.network_id, "subject_id": x.subject_id,
            "delivery_id": x.delivery_id, "owed_by": x.owed_by, "owed_to": x.owed_to,
            "meldpunt": x.meldpunt, "werkdagen": x.werkdagen,
            "gehaald_door": json.dumps(list(x.gehaald_door)), "started_at": x.started_at,
            "deadline": x.deadline, "remind_at": x.remind_at, "status": x.status.value,
            "due_at": x.due_at, "reminded_at": x.reminded_at, "settled_at": x.settled_at,
            "met_by": x.met_by}


class SqlTermijnRepository(TermijnRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_many(self, termijnen: Sequence[Termijn]) -> None:
        rows = [_row(x) for x in termijnen]
        if rows and not queue(self._conn, [(_t, rows)]):
            self._conn.execute(_INSERT, rows)

    def get(self, termijn_id: str) -> Termijn | None:
        row = self._conn.execute(select(_t).where(_t.c.id == termijn_id)).first()
        return _termijn(row) if row else None

    def open_for(self, flow: str, subject_ids: Sequence[str], owed_by: str) -> list[Termijn]:
        if not subject_ids:
            return []
        return [_termijn(r) for r in self._conn.execute(select(_t).where(
            (_t.c.flow == flow) & _t.c.subject_id.in_(list(subject_ids))
            & (_t.c.owed_by == owed_by) & (_t.c.status == _LOPEND)))]

    def for_subjects(self, subject_ids: Sequence[str]) -> list[Termijn]:
        if not subject_ids:
            return []
        return [_termijn(r) for r in self._conn.execute(
            _FOR_SUBJECTS, {"subjects": sorted(set(subject_ids))})]

    def claim_due(self, now: datetime, limit: int) -> list[Termijn]:
        query = _DUE_LOCKED if _is_postgres(self._conn) else _DUE
        return [_termijn(r) for r in self._conn.execute(query, {"now": now, "limit": limit})]

    def save(self, termijn: Termijn) -> None:
        row = _row(termijn)
        self._conn.execute(update(_t).where(_t.c.id == termijn.id)
                           .values(**{c: row[c] for c in _STATE_COLUMNS}))

    def save_many(self, termijnen: Sequence[Termijn]) -> None:
        if termijnen:
            rows = [_row(x) for x in termijnen]
            self._conn.execute(_SAVE_MANY, [{"tid": r["id"], **{c: r[c] for c in _STATE_COLUMNS}}
                                            for r in rows])

    def settle(self, termijn: Termijn) -> bool:
        row = _row(termijn)
        result = self._conn.execute(
            update(_t).where((_t.c.id == termijn.id) & (_t.c.status == _LOPEND))
            .values(**{c: row[c] for c in _STATE_COLUMNS}))
        return result.rowcount == 1

    def list_for(self, tenant_id: str, *, status: TermijnStatus | None,
                 after: tuple[datetime, str] | None, limit: int) -> list[Termijn]:
        query = select(_t).where(or_(_t.c.owed_by == tenant_id, _t.c.owed_to == tenant_id,
                                     _t.c.meldpunt == tenant_id))
        if status is not None:
            query = query.where(_t.c.status == status.value)
        if after is not None:
            at, last_id = after
            query = query.where(or_(_t.c.deadline > at,
                                    and_(_t.c.deadline == at, _t.c.id > last_id)))
        query = query.order_by(_t.c.deadline, _t.c.id).limit(limit)
        return [_termijn(r) for r in self._conn.execute(query)]
