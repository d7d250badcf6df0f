"""SQL adapter for the samenloop's signalen per address pseudonym."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import (
    Connection,
    Date,
    Integer,
    String,
    bindparam,
    cast,
    func,
    insert,
    null,
    select,
    union_all,
)
from sqlalchemy.dialects import sqlite

from hub.flows.samenloop.ports import AddressMeldpunt, AtAddress, SamenloopRepository
from hub.flows.zaken.model import ZaakStatus
from hub.persistence import tables as t
from hub.persistence.together import insert_bodies, queue, run
from hub.persistence.types import UtcDateTime

_s = t.samenloop_signalen
_mo = t.samenloop_maanden
_z = t.zaken
_INSERT = insert(_s)
#: Adds a month's signalen to its count (the rows of one statement name each month once).
_ADD_MONTH = ("ON CONFLICT (address_ref, meldpunt, maand) "
              "DO UPDATE SET n = samenloop_maanden.n + EXCLUDED.n")
_UPSERT_MONTH = sqlite.insert(_mo)
_ADD_MONTH_SQLITE = _UPSERT_MONTH.on_conflict_do_update(
    index_elements=["address_ref", "meldpunt", "maand"],
    set_={"n": _mo.c.n + _UPSERT_MONTH.excluded.n})
# Built once (intake runs it per transaction): building and cache-keying a statement costs
# more CPU than running it. The IN lists take every pseudonym and meldpunt of the batch; the
# pairs not asked for are dropped after (a batch names one or two meldpunten). A row per
# counted pair (kenmerk NULL): the months after the first one of the window from the monthly
# counts, the first month's signalen themselves; and a row per open zaak (count NULL).
_IN_KEYS = {"refs": bindparam("refs", expanding=True),
            "meldpunten": bindparam("meldpunten", expanding=True)}
_AT_ADDRESSES = union_all(
    select(_mo.c.address_ref.label("ref"), _mo.c.meldpunt, func.sum(_mo.c.n).label("n"),
           cast(null(), String).label("kenmerk"), cast(null(), UtcDateTime())
           .label("opened_at"), cast(null(), String).label("zaak_id"))
    .where(_mo.c.address_ref.in_(_IN_KEYS["refs"]) & _mo.c.meldpunt.in_(_IN_KEYS["meldpunten"])
           & (_mo.c.maand > bindparam("first_month", type_=Date())))
    .group_by(_mo.c.address_ref, _mo.c.meldpunt),
    select(_s.c.address_ref, _s.c.meldpunt, func.count(), cast(null(), String),
           cast(null(), UtcDateTime()), cast(null(), String))
    .where(_s.c.address_ref.in_(_IN_KEYS["refs"]) & _s.c.meldpunt.in_(_IN_KEYS["meldpunten"])
           & (_s.c.received_at >= bindparam("since"))
           & (_s.c.received_at < bindparam("month_after", type_=UtcDateTime())))
    .group_by(_s.c.address_ref, _s.c.meldpunt),
    select(_z.c.address_key, _z.c.meldpunt, cast(null(), Integer), _z.c.kenmerk,
           _z.c.opened_at, _z.c.id)
    .where(_z.c.address_key.in_(_IN_KEYS["refs"]) & _z.c.meldpunt.in_(_IN_KEYS["meldpunten"])
           & (_z.c.status == ZaakStatus.OPEN.value)))


def month_of(at: datetime) -> date:
    """The first day of ``at``'s month, in UTC."""
    at = at.astimezone(UTC)
    return date(at.year, at.month, 1)


def _month_after(first: date) -> datetime:
    return datetime(first.year + first.month // 12, first.month % 12 + 1, 1, tzinfo=UTC)


class SqlSamenloopRepository(SamenloopRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_many(self, rows: Sequence[tuple[str, str, str]], at: datetime) -> None:
        values = [{"address_ref": ref, "meldpunt": meldpunt, "message_id": message_id,
                   "received_at": at} for ref, meldpunt, message_id in rows]
        if not values:
            return
        months = Counter((ref, meldpunt) for ref, meldpunt, _ in rows)
        counted = [{"address_ref": ref, "meldpunt": meldpunt, "maand": month_of(at), "n": n}
                   for (ref, meldpunt), n in sorted(months.items())]
        if self._conn.dialect.name != "postgresql":
            self._conn.execute(_INSERT, values)
            self._conn.execute(_ADD_MONTH_SQLITE, counted)
        elif queue(self._conn, [(_s, values)]):
            queue(self._conn, [(_mo, counted)], suffix=_ADD_MONTH)
        else:
            run(self._conn, [*insert_bodies(self._conn, _s, values),
                             *insert_bodies(self._conn, _mo, counted, _ADD_MONTH)])

    def counts(self, keys: Sequence[AddressMeldpunt],
               since: datetime) -> dict[AddressMeldpunt, int]:
        return {key: found.signalen for key, found in self.at_addresses(keys, since).items()
                if found.signalen}

    def at_addresses(self, keys: Sequence[AddressMeldpunt],
                     since: datetime) -> dict[AddressMeldpunt, AtAddress]:
        wanted = set(keys)
        if not wanted:
            return {}
        counts: dict[AddressMeldpunt, int] = {}
        zaken: dict[AddressMeldpunt, tuple] = {}
        first = month_of(since)
        for r in self._conn.execute(_AT_ADDRESSES, {"refs": sorted({r for r, _ in wanted}),
                                                    "meldpunten": sorted({m for _, m in wanted}),
                                                    "since": since, "first_month": first,
                                                    "month_after": _month_after(first)}):
            key = (r.ref, r.meldpunt)
            if key not in wanted:
                continue
            if r.kenmerk is None:
                counts[key] = counts.get(key, 0) + r.n
            elif key not in zaken or (r.opened_at, r.zaak_id) > zaken[key][:2]:
                zaken[key] = (r.opened_at, r.zaak_id, r.kenmerk)
        return {key: AtAddress(counts.get(key, 0), zaken[key][2] if key in zaken else None)
                for key in wanted if key in counts or key in zaken}

