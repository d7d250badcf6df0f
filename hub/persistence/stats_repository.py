"""SQL adapter of the statistics: the aggregate store, recidive situations, the rollup's cursor
and the batched reads the rollup makes past it (one query per table per batch)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import fields, replace
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Connection, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from hub.persistence import tables as t
from hub.stats.model import (
    CountKey,
    Cursor,
    Episode,
    FeedEntry,
    MessageFacts,
    RegiecheckFacts,
    TermijnFacts,
)
from hub.stats.ports import StatsRepository

CURSOR_ID = 1
#: Every count is also kept per month: metric ``m:<metric>`` on the month's first day.
MONTHLY = "m:"
_CHUNK = 500
_c, _e, _k = t.stats_counts, t.stats_episodes, t.stats_cursor
_KEY = ("network_id", "metric", "day", "area", "pc4", "categorie", "source_kind",
        "message_type", "partner", "flow", "bucket")
_EPISODE_KEY = ("network_id", "address_ref", "categorie")
_EPISODE_FIELDS = tuple(f.name for f in fields(Episode))


def _chunks(ids: Sequence[str]) -> list[list[str]]:
    unique = sorted(set(ids))
    return [unique[i:i + _CHUNK] for i in range(0, len(unique), _CHUNK)]


class SqlStatsRepository(StatsRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._pg = conn.dialect.name == "postgresql"

    def _insert(self, table):  # noqa: ANN001, ANN202 - a dialect's INSERT with ON CONFLICT
        return (postgresql if self._pg else sqlite).insert(table)

    # --- cursor --------------------------------------------------------------------------

    def cursor(self) -> Cursor:
        row = self._conn.execute(select(_k.c.seq, _k.c.bijgewerkt_tot).where(
            _k.c.id == CURSOR_ID)).first()
        return Cursor(row.seq, row.bijgewerkt_tot) if row else Cursor(0, None)

    def claim_cursor(self, *, wait: bool) -> Cursor | None:
        query = select(_k.c.seq, _k.c.bijgewerkt_tot).where(_k.c.id == CURSOR_ID)
        row = self._conn.execute(query.with_for_update(skip_locked=not wait)).first()
        if row is not None:
            return Cursor(row.seq, row.bijgewerkt_tot)
        if self._conn.execute(select(_k.c.id).where(_k.c.id == CURSOR_ID)).first() is not None:
            return None  # another rollup holds it
        self._conn.execute(self._insert(_k).values(id=CURSOR_ID, seq=0, bijgewerkt_tot=None)
                           .on_conflict_do_nothing())
        row = self._conn.execute(query.with_for_update()).first()
        return Cursor(row.seq, row.bijgewerkt_tot)

    def save_cursor(self, cursor: Cursor) -> None:
        self._conn.execute(_k.update().where(_k.c.id == CURSOR_ID).values(
            seq=cursor.seq, bijgewerkt_tot=cursor.bijgewerkt_tot))

    # --- reads past the cursor -----------------------------------------------------------

    def feed(self, after: int, upto: int, actions: Sequence[str], limit: int,
             ) -> list[FeedEntry]:
        a = t.audit_log
        rows = self._conn.execute(
            select(a.c.seq, a.c.action, a.c.tenant_id, a.c.subject_id, a.c.at, a.c.facts)
            .where((a.c.seq > after) & (a.c.seq <= upto) & a.c.action.in_(list(actions)))
            .order_by(a.c.seq).limit(limit))
        return [FeedEntry(r.seq, r.action, r.tenant_id, r.subject_id, r.at, json.loads(r.facts))
                for r in rows]

    def messages(self, ids: Sequence[str]) -> dict[str, MessageFacts]:
        m, d = t.messages, t.decisions
        found: dict[str, MessageFacts] = {}
        for chunk in _chunks(ids):
            permits: dict[str, list] = {}
            for r in self._conn.execute(
                    select(d.c.message_id, d.c.network_id, d.c.recipient_tenant_id)
                    .where(d.c.message_id.in_(chunk) & (d.c.decision == "permit")
                           & (d.c.phase == "intake"))):
                permits.setdefault(r.message_id, []).append(r)
            for r in self._conn.execute(
                    select(m.c.id, m.c.sender_tenant_id, m.c.type, m.c.received_at, m.c.routing)
                    .where(m.c.id.in_(chunk))):
                own = permits.get(r.id, [])
                found[r.id] = MessageFacts(
                    r.id, r.sender_tenant_id, r.type, r.received_at, json.loads(r.routing),
                    tuple(sorted({p.network_id for p in own if p.network_id})),
                    tuple(sorted({p.recipient_tenant_id for p in own})))
        return found

    def termijnen(self, ids: Sequence[str]) -> dict[str, TermijnFacts]:
        x = t.termijnen
        return {r.id: TermijnFacts(r.id, r.flow, r.network_id, r.owed_by, r.meldpunt)
                for chunk in _chunks(ids) for r in self._conn.execute(
                    select(x.c.id, x.c.flow, x.c.network_id, x.c.owed_by, x.c.meldpunt)
                    .where(x.c.id.in_(chunk)))}

    def regiechecks(self, ids: Sequence[str]) -> dict[str, RegiecheckFacts]:
        r_ = t.regiechecks
        return {r.id: RegiecheckFacts(r.id, r.network_id, r.created_at)
                for chunk in _chunks(ids) for r in self._conn.execute(
                    select(r_.c.id, r_.c.network_id, r_.c.created_at).where(r_.c.id.in_(chunk)))}

    # --- recidive situations -------------------------------------------------------------

    def episodes(self, network_id: str, address_refs: Sequence[str]) -> list[Episode]:
        return [Episode(**dict(r._mapping)) for chunk in _chunks(address_refs)
                for r in self._conn.execute(select(_e).where(
                    (_e.c.network_id == network_id) & _e.c.address_ref.in_(chunk)))]

    def save_episodes(self, episodes: Sequence[Episode]) -> None:
        if not episodes:
            return
        stmt = self._insert(_e)
        stmt = stmt.on_conflict_do_update(
            index_elements=list(_EPISODE_KEY),
            set_={c.name: stmt.excluded[c.name] for c in _e.columns if c.name not in _EPISODE_KEY})
        self._conn.execute(stmt, [{f: getattr(e, f) for f in _EPISODE_FIELDS} for e in episodes])

    def forget_episodes(self, started_before: date) -> int:
        return self._conn.execute(delete(_e).where(_e.c.started_on < started_before)).rowcount

    # --- the aggregate store -------------------------------------------------------------

    def add_counts(self, counts: Mapping[CountKey, int]) -> None:
        if not counts:
            return
        counts = _with_months(counts)
        if self._pg:
            self._copy_counts(counts)
            return
        stmt = self._insert(_c)
        stmt = stmt.on_conflict_do_update(index_elements=list(_KEY),
                                          set_={"n": _c.c.n + stmt.excluded.n})
        # Plain attribute reads: dataclasses.asdict deep-copies and cost most of a rollup.
        self._conn.execute(stmt, [{**{f: getattr(k, f) for f in _KEY}, "month": k.month, "n": n}
                                  for k, n in counts.items()])

    def _copy_counts(self, counts: Mapping[CountKey, int]) -> None:
        """PostgreSQL: COPY the batch into a temporary table, then one INSERT … ON CONFLICT
        adds it (a rollup batch may touch tens of thousands of cells)."""
        columns = ", ".join((*_KEY, "month", "n"))
        self._conn.exec_driver_sql(
            "CREATE TEMPORARY TABLE IF NOT EXISTS stats_counts_in "
            "(LIKE stats_counts INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
        cursor = self._conn.connection.driver_connection.cursor()
        with cursor.copy(f"COPY stats_counts_in ({columns}) FROM STDIN") as copy:
            for k, n in counts.items():
                copy.write_row((*(getattr(k, f) for f in _KEY), k.month, n))
        self._conn.exec_driver_sql(
            f"INSERT INTO stats_counts ({columns}) SELECT {columns} FROM stats_counts_in "
            f"ON CONFLICT ({', '.join(_KEY)}) DO UPDATE SET n = stats_counts.n + excluded.n")
        self._conn.exec_driver_sql("DELETE FROM stats_counts_in")

    def sums(self, network_id: str, metrics: Sequence[str], first: date, last: date,
             dims: Sequence[str]) -> list[tuple[tuple, str, int]]:
        """Whole months from the monthly rows, the days before and after them from the daily
        rows: a query reads about as many rows for five years as for one."""
        columns = [_c.c[d] for d in dims]
        summed: dict[tuple[tuple, str], int] = {}

        def add(names: list[str], when: ColumnElement[bool]) -> None:
            for r in self._conn.execute(
                    select(*columns, _c.c.metric, func.sum(_c.c.n).label("n"))
                    .where((_c.c.network_id == network_id) & _c.c.metric.in_(names) & when)
                    .group_by(*columns, _c.c.metric)):
                key = (tuple(r[:len(dims)]), r.metric.removeprefix(MONTHLY))
                summed[key] = summed.get(key, 0) + int(r.n)

        months = _whole_months(first, last)
        if months is None:
            add(list(metrics), (_c.c.day >= first) & (_c.c.day <= last))
        else:
            start, end = months  # the first day of the first and of the last whole month
            add([MONTHLY + x for x in metrics], (_c.c.day >= start) & (_c.c.day <= end))
            add(list(metrics), ((_c.c.day >= first) & (_c.c.day < start))
                | ((_c.c.day >= _next_month(end)) & (_c.c.day <= last)))
        return [(dims_, metric, n) for (dims_, metric), n in summed.items()]


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _whole_months(first: date, last: date) -> tuple[date, date] | None:
    """The first days of the first and the last month lying wholly in [first, last]."""
    start = first if first.day == 1 else _next_month(first)
    end = last.replace(day=1)
    if _next_month(last) - timedelta(days=1) != last:
        end = (end - timedelta(days=1)).replace(day=1)
    return (start, end) if start <= end else None


def _with_months(counts: Mapping[CountKey, int]) -> dict[CountKey, int]:
    """The counts and their monthly sums (metric ``m:<metric>`` on the month's first day)."""
    out = dict(counts)
    for k, n in counts.items():
        monthly = replace(k, metric=MONTHLY + k.metric, day=k.day.replace(day=1))
        out[monthly] = out.get(monthly, 0) + n
    return out
