"""In-memory twin of ``TermijnRepository`` for unit tests (the SQL one is the reference)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from hub.errors import DuplicateKey
from hub.flows.termijnen.model import Termijn, TermijnStatus
from hub.flows.termijnen.ports import TermijnRepository


class MemoryTermijnRepository(TermijnRepository):
    def __init__(self, rows: dict[str, Termijn] | None = None) -> None:
        self.rows: dict[str, Termijn] = {} if rows is None else rows

    def add_many(self, termijnen: Sequence[Termijn]) -> None:
        for x in termijnen:
            if x.id in self.rows or any((o.flow, o.subject_id, o.owed_by) == (x.flow, x.subject_id, x.owed_by)
                   for o in self.rows.values()):
                raise DuplicateKey()
            self.rows[x.id] = x

    def get(self, termijn_id: str) -> Termijn | None:
        return self.rows.get(termijn_id)

    def open_for(self, flow: str, subject_ids: Sequence[str], owed_by: str) -> list[Termijn]:
        return [x for x in self.rows.values() if x.flow == flow and x.subject_id in subject_ids
                and x.owed_by == owed_by and x.status is TermijnStatus.LOPEND]

    def for_subjects(self, subject_ids: Sequence[str]) -> list[Termijn]:
        return sorted((x for x in self.rows.values() if x.subject_id in subject_ids),
                      key=lambda x: x.id)

    def claim_due(self, now: datetime, limit: int) -> list[Termijn]:
        due = [x for x in self.rows.values() if x.due_at is not None and x.due_at <= now]
        return sorted(due, key=lambda x: x.due_at)[:limit]  # type: ignore[arg-type,return-value]

    def save(self, termijn: Termijn) -> None:
        self.rows[termijn.id] = replace(self.rows[termijn.id], status=termijn.status,
                                        due_at=termijn.due_at, reminded_at=termijn.reminded_at,
                                        settled_at=termijn.settled_at, met_by=termijn.met_by)

    def settle(self, termijn: Termijn) -> bool:
        if self.rows[termijn.id].status is not TermijnStatus.LOPEND:
            return False
        self.save(termijn)
        return True

    def list_for(self, tenant_id: str, *, status: TermijnStatus | None,
                 after: tuple[datetime, str] | None, limit: int) -> list[Termijn]:
        rows = sorted((x for x in self.rows.values()
                       if tenant_id in (x.owed_by, x.owed_to, x.meldpunt)
                       and (status is None or x.status is status)),
                      key=lambda x: (x.deadline, x.id))
        if after is not None:
            rows = [x for x in rows if (x.deadline, x.id) > after]
        return rows[:limit]
