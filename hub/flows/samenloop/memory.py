"""The in-memory twin of the samenloop repository."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hub.flows.samenloop.ports import SamenloopRepository


class MemorySamenloopRepository(SamenloopRepository):
    """Works on the staged tables of a memory unit of work (``samenloop``: a list of rows)."""

    def __init__(self, tables: Any) -> None:
        self._t = tables

    def add(self, address_ref: str, meldpunt: str, message_id: str, at: datetime) -> None:
        self._t.samenloop.append((address_ref, meldpunt, message_id, at))

    def count(self, address_ref: str, meldpunt: str, since: datetime) -> int:
        return sum(1 for ref, m, _, at in self._t.samenloop
                   if (ref, m) == (address_ref, meldpunt) and at >= since)
