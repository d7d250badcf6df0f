"""The SQL side of :mod:`hub.monitoring`: four grouped counts, no row is read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, case, func, select

from hub.monitoring import MonitoringSnapshot
from hub.persistence import tables as t


class SqlMonitoringRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def snapshot(self, now: datetime) -> MonitoringSnapshot:
        d, o, a, k = t.deliveries, t.outbox, t.alerts, t.termijnen
        deliveries = {(r.status, r.connector): r.n for r in self._conn.execute(
            select(d.c.status, d.c.connector, func.count().label("n"))
            .group_by(d.c.status, d.c.connector))}
        backlog, oldest = self._conn.execute(
            select(func.count(), func.min(o.c.created_at))).one()
        if isinstance(oldest, str):  # SQLite returns aggregates of dates as text
            oldest = datetime.fromisoformat(oldest)
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=now.tzinfo)
        alerts = {r.kind: r.n for r in self._conn.execute(
            select(a.c.kind, func.count().label("n")).group_by(a.c.kind))}
        late = case((k.c.deadline < now, 1), else_=0)
        termijnen_open: dict[str, int] = {}
        overdue: dict[str, int] = {}
        for r in self._conn.execute(
                select(k.c.flow, k.c.status, late.label("late"), func.count().label("n"))
                .where(k.c.status.in_(["lopend", "verlopen"]))
                .group_by(k.c.flow, k.c.status, late)):
            if r.status == "lopend":
                termijnen_open[r.flow] = termijnen_open.get(r.flow, 0) + r.n
            if r.status == "verlopen" or r.late:
                overdue[r.flow] = overdue.get(r.flow, 0) + r.n
        return MonitoringSnapshot(
            deliveries=deliveries, outbox_backlog=backlog,
            outbox_oldest_age_s=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
            alerts=alerts, termijnen_open=termijnen_open, termijnen_overdue=overdue)
