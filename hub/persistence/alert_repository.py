"""SQL adapter of the alert port: raise, list newest first, claim for the e-mail notifier."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from hub.alerts.model import Alert
from hub.persistence import tables as t
from hub.ports import AlertRepository

_a = t.alerts


def _alert(row: Any) -> Alert:
    return Alert(id=row.id, kind=row.kind, tenant_id=row.tenant_id, subject_id=row.subject_id,
                 detail=row.detail, raised_at=row.raised_at, notified_at=row.notified_at)


class SqlAlertRepository(AlertRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def raise_alert(self, *, kind: str, tenant_id: str | None, subject_id: str | None,
                    detail: str | None, at: datetime) -> None:
        self._conn.execute(insert(_a).values(kind=kind, tenant_id=tenant_id,
                                             subject_id=subject_id, detail=detail, raised_at=at))

    def raise_many(self, alerts: Sequence[tuple[str, str | None, str | None, str | None]],
                   at: datetime) -> None:
        if alerts:
            self._conn.execute(insert(_a), [
                {"kind": kind, "tenant_id": tenant_id, "subject_id": subject_id,
                 "detail": detail, "raised_at": at}
                for kind, tenant_id, subject_id, detail in alerts])

    def list(self, *, kind: str | None = None) -> list[dict]:
        """Every alert, oldest first, as plain rows (for tests and the CLI)."""
        query = select(_a).order_by(_a.c.id)
        if kind:
            query = query.where(_a.c.kind == kind)
        return [dict(r._mapping) for r in self._conn.execute(query)]

    def page(self, *, tenant_id: str | None, after_id: int | None, limit: int) -> Sequence[Alert]:
        query = select(_a).order_by(_a.c.id.desc()).limit(limit)
        if tenant_id is not None:
            query = query.where(_a.c.tenant_id == tenant_id)
        if after_id is not None:
            query = query.where(_a.c.id < after_id)
        return [_alert(r) for r in self._conn.execute(query)]

    def claim_unnotified(self, limit: int) -> Sequence[Alert]:
        query = select(_a).where(_a.c.notified_at.is_(None)).order_by(_a.c.id).limit(limit)
        if self._conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return [_alert(r) for r in self._conn.execute(query)]

    def mark_notified(self, alert_ids: Sequence[int], at: datetime) -> None:
        if alert_ids:
            self._conn.execute(update(_a).where(_a.c.id.in_(list(alert_ids)))
                               .values(notified_at=at))
