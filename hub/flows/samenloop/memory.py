"""The in-memory twin of the samenloop repository."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from hub.flows.samenloop.ports import AddressMeldpunt, AtAddress, SamenloopRepository
from hub.flows.zaken.model import ZaakStatus


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

    def at_addresses(self, keys: Sequence[AddressMeldpunt],
                     since: datetime) -> dict[AddressMeldpunt, AtAddress]:
        counts, wanted, newest = self.counts(keys, since), set(keys), {}
        for z in sorted(self._t.zaken.values(), key=lambda z: (z.opened_at, z.id), reverse=True):
            if z.status is ZaakStatus.OPEN and (z.address_key, z.meldpunt) in wanted:
                newest.setdefault((z.address_key, z.meldpunt), z.kenmerk)
        return {key: AtAddress(counts.get(key, 0), newest.get(key))
                for key in wanted if key in counts or key in newest}
