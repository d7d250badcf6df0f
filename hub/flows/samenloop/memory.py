"""The in-memory twin of the samenloop repository."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from hub.flows.samenloop.ports import AddressMeldpunt, SamenloopRepository


class MemorySamenloopRepository(SamenloopRepository):
    """Works on the staged tables of a memory unit of work (``samenloop``: a list of rows)."""

    def __init__(self, tables: Any) -> None:
        self._t = tables

    def add_many(self, rows: Sequence[tuple[str, str, str]], at: datetime) -> None:
        self._t.samenloop.extend((ref, meldpunt, message_id, at)
                                 for ref, meldpunt, message_id in rows)

    def counts(self, keys: Sequence[AddressMeldpunt],
               since: datetime) -> dict[AddressMeldpunt, int]:
        wanted, found = set(keys), {}
        for ref, meldpunt, _, at in self._t.samenloop:
            if (ref, meldpunt) in wanted and at >= since:
                found[(ref, meldpunt)] = found.get((ref, meldpunt), 0) + 1
        return found
