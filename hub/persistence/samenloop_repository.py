"""SQL adapter for the samenloop's signalen per address pseudonym."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, bindparam, func, insert, select

from hub.flows.samenloop.ports import AddressMeldpunt, SamenloopRepository
from hub.persistence import tables as t

_s = t.samenloop_signalen
# Built once (intake runs them per transaction): building and cache-keying a statement costs
# more CPU than running it. The IN lists take every pseudonym and meldpunt of the batch; the
# pairs not asked for are dropped after (a batch names one or two meldpunten).
_INSERT = insert(_s)
_COUNTS = (select(_s.c.address_ref, _s.c.meldpunt, func.count().label("n"))
           .where(_s.c.address_ref.in_(bindparam("refs", expanding=True))
                  & _s.c.meldpunt.in_(bindparam("meldpunten", expanding=True))
                  & (_s.c.received_at >= bindparam("since")))
           .group_by(_s.c.address_ref, _s.c.meldpunt))


class SqlSamenloopRepository(SamenloopRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_many(self, rows: Sequence[tuple[str, str, str]], at: datetime) -> None:
        if rows:
            self._conn.execute(_INSERT, [
                {"address_ref": ref, "meldpunt": meldpunt, "message_id": message_id,
                 "received_at": at} for ref, meldpunt, message_id in rows])

    def counts(self, keys: Sequence[AddressMeldpunt],
               since: datetime) -> dict[AddressMeldpunt, int]:
        wanted = set(keys)
        if not wanted:
            return {}
        rows = self._conn.execute(_COUNTS, {"refs": sorted({r for r, _ in wanted}),
                                            "meldpunten": sorted({m for _, m in wanted}),
                                            "since": since})
        return {(r.address_ref, r.meldpunt): r.n for r in rows
                if (r.address_ref, r.meldpunt) in wanted}
