"""SQL adapter of the web sessions port."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from hub.persistence import tables as t
from tenants.accounts import Stage, WebSession
from tenants.ports import WebSessionRepository


def _session(row: Any) -> WebSession:
    return WebSession(id=row.id, user_id=row.user_id, tenant_id=row.tenant_id,
                      stage=Stage(row.stage), created_at=row.created_at,
                      last_seen_at=row.last_seen_at)


class SqlWebSessionRepository(WebSessionRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, session: WebSession) -> None:
        self._conn.execute(insert(t.web_sessions).values(
            id=session.id, user_id=session.user_id, tenant_id=session.tenant_id,
            stage=session.stage.value, created_at=session.created_at,
            last_seen_at=session.last_seen_at))

    def get(self, session_id: str) -> WebSession | None:
        row = self._conn.execute(
            select(t.web_sessions).where(t.web_sessions.c.id == session_id)).first()
        return _session(row) if row else None

    def save(self, session: WebSession) -> None:
        self._conn.execute(update(t.web_sessions).where(t.web_sessions.c.id == session.id).values(
            stage=session.stage.value, last_seen_at=session.last_seen_at))

    def delete(self, session_id: str) -> None:
        self._conn.execute(delete(t.web_sessions).where(t.web_sessions.c.id == session_id))

    def delete_for_user(self, user_id: str) -> None:
        self._conn.execute(delete(t.web_sessions).where(t.web_sessions.c.user_id == user_id))
