"""The in-memory twin of the subject repository."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hub.inzage.ports import SubjectRepository, SubjectRow


class MemorySubjectRepository(SubjectRepository):
    """Works on the staged tables of a memory unit of work (``subjects``: a list of rows)."""

    def __init__(self, tables: Any) -> None:
        self._t = tables

    def add_many(self, rows: Sequence[SubjectRow]) -> None:
        self._t.subjects.extend(rows)

    def about(self, kind: str, refs: Sequence[str]) -> list[SubjectRow]:
        wanted = set(refs)
        return [r for r in self._t.subjects if r.kind == kind and r.subject_ref in wanted]

    def of_messages(self, message_ids: Sequence[str]) -> list[SubjectRow]:
        wanted = set(message_ids)
        return [r for r in self._t.subjects if r.message_id in wanted]
