"""The SQL side of :mod:`hub.monitoring`: three grouped counts, no row is read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, select

from hub.monitoring import MonitoringSnapshot
from hub.persistence import tables as t


class SqlMonitoringRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def snapshot(self, now: datetime) -> MonitoringSnapshot:
        d, o, a = t.deliveries, t.outbox, t.alerts
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
        return MonitoringSnapshot(
            deliveries=deliveries, outbox_backlog=backlog,
            outbox_oldest_age_s=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
            alerts=alerts)
