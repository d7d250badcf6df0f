"""SQL adapter for the samenloop's signalen per address pseudonym."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, Integer, String, bindparam, cast, func, insert, null, select, union_all

from hub.flows.samenloop.ports import AddressMeldpunt, AtAddress, SamenloopRepository
from hub.flows.zaken.model import ZaakStatus
from hub.persistence import tables as t
from hub.persistence.together import queue
from hub.persistence.types import UtcDateTime

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

_z = t.zaken
#: ``_COUNTS`` and the open zaken at the same addresses in one query: a row per counted pair
#: (kenmerk NULL), and one per open zaak (count NULL), newest first among the latter.
_AT_ADDRESSES = union_all(
    select(_s.c.address_ref.label("ref"), _s.c.meldpunt, func.count().label("n"),
           cast(null(), String).label("kenmerk"), cast(null(), UtcDateTime())
           .label("opened_at"), cast(null(), String).label("zaak_id"))
    .where(_s.c.address_ref.in_(bindparam("refs", expanding=True))
           & _s.c.meldpunt.in_(bindparam("meldpunten", expanding=True))
           & (_s.c.received_at >= bindparam("since")))
    .group_by(_s.c.address_ref, _s.c.meldpunt),
    select(_z.c.address_key, _z.c.meldpunt, cast(null(), Integer), _z.c.kenmerk,
           _z.c.opened_at, _z.c.id)
    .where(_z.c.address_key.in_(bindparam("refs", expanding=True))
           & _z.c.meldpunt.in_(bindparam("meldpunten", expanding=True))
           & (_z.c.status == ZaakStatus.OPEN.value)))


class SqlSamenloopRepository(SamenloopRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_many(self, rows: Sequence[tuple[str, str, str]], at: datetime) -> None:
        values = [{"address_ref": ref, "meldpunt": meldpunt, "message_id": message_id,
                   "received_at": at} for ref, meldpunt, message_id in rows]
        if values and not queue(self._conn, [(_s, values)]):
            self._conn.execute(_INSERT, values)

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

    def at_addresses(self, keys: Sequence[AddressMeldpunt],
                     since: datetime) -> dict[AddressMeldpunt, AtAddress]:
        wanted = set(keys)
        if not wanted:
            return {}
        counts: dict[AddressMeldpunt, int] = {}
        zaken: dict[AddressMeldpunt, tuple] = {}
        for r in self._conn.execute(_AT_ADDRESSES, {"refs": sorted({r for r, _ in wanted}),
                                                    "meldpunten": sorted({m for _, m in wanted}),
                                                    "since": since}):
            key = (r.ref, r.meldpunt)
            if key not in wanted:
                continue
            if r.kenmerk is None:
                counts[key] = r.n
            elif key not in zaken or (r.opened_at, r.zaak_id) > zaken[key][:2]:
                zaken[key] = (r.opened_at, r.zaak_id, r.kenmerk)
        return {key: AtAddress(counts.get(key, 0), zaken[key][2] if key in zaken else None)
                for key in wanted if key in counts or key in zaken}

