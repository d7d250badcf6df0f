"""SQL adapter for the subject pseudonyms stored with each message (inzage)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, insert, select

from hub.inzage.ports import SubjectRepository, SubjectRow
from hub.persistence import tables as t
from hub.persistence.together import queue

_s = t.message_subjects
_INSERT = insert(_s)
_ABOUT = select(_s).where((_s.c.kind == bindparam("kind"))
                          & _s.c.subject_ref.in_(bindparam("refs", expanding=True)))
_OF = select(_s).where(_s.c.message_id.in_(bindparam("ids", expanding=True)))


def _row(r) -> SubjectRow:  # noqa: ANN001 - a result row
    return SubjectRow(message_id=r.message_id, kind=r.kind, subject_ref=r.subject_ref,
                      received_at=r.received_at)


class SqlSubjectRepository(SubjectRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_many(self, rows: Sequence[SubjectRow]) -> None:
        values = [{"message_id": r.message_id, "kind": r.kind, "subject_ref": r.subject_ref,
                   "received_at": r.received_at} for r in rows]
        if values and not queue(self._conn, [(t.message_subjects, values)]):
            self._conn.execute(_INSERT, values)

    def about(self, kind: str, refs: Sequence[str]) -> list[SubjectRow]:
        if not refs:
            return []
        return [_row(r) for r in self._conn.execute(_ABOUT, {"kind": kind, "refs": list(refs)})]

    def of_messages(self, message_ids: Sequence[str]) -> list[SubjectRow]:
        if not message_ids:
            return []
        return [_row(r) for r in self._conn.execute(_OF, {"ids": list(message_ids)})]
