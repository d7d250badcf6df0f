"""SQL adapter for push endpoints."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from hub.endpoints.model import Endpoint
from hub.persistence import tables as t
from hub.ports import EndpointRepository


def _endpoint(row: Any) -> Endpoint:
    return Endpoint(id=row.id, tenant_id=row.tenant_id, connector=row.connector,
                    config=json.loads(row.config), active=row.active, created_at=row.created_at,
                    updated_at=row.updated_at, disabled_reason=row.disabled_reason,
                    max_attempts=row.max_attempts,
                    types=tuple(json.loads(row.types)) if row.types is not None else None,
                    failing_since=row.failing_since)


def _types(e: Endpoint) -> str | None:
    return json.dumps(list(e.types)) if e.types is not None else None


class SqlEndpointRepository(EndpointRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, e: Endpoint, sealed: bytes, key_version: int) -> None:
        self._conn.execute(insert(t.endpoints).values(
            id=e.id, tenant_id=e.tenant_id, connector=e.connector, config=json.dumps(e.config),
            secrets=sealed, key_version=key_version, active=e.active, max_attempts=e.max_attempts,
            types=_types(e), created_at=e.created_at, updated_at=e.updated_at))

    def get(self, endpoint_id: str) -> tuple[Endpoint, bytes, int] | None:
        row = self._conn.execute(select(t.endpoints).where(t.endpoints.c.id == endpoint_id)).first()
        return (_endpoint(row), row.secrets, row.key_version) if row else None

    def list_for_tenant(self, tenant_id: str, *, after: str | None, limit: int) -> list[Endpoint]:
        e = t.endpoints
        query = select(e).where(e.c.tenant_id == tenant_id).order_by(e.c.id).limit(limit)
        if after is not None:
            query = query.where(e.c.id > after)
        return [_endpoint(r) for r in self._conn.execute(query)]

    def all_active(self) -> list[Endpoint]:
        e = t.endpoints
        return [_endpoint(r) for r in self._conn.execute(
            select(e).where(e.c.active.is_(True)).order_by(e.c.tenant_id, e.c.id))]

    def update_secrets(self, endpoint_id: str, sealed: bytes, key_version: int, at: datetime) -> None:
        self._conn.execute(update(t.endpoints).where(t.endpoints.c.id == endpoint_id).values(
            secrets=sealed, key_version=key_version, updated_at=at))

    def deactivate(self, endpoint_id: str, reason: str, at: datetime) -> None:
        self._conn.execute(update(t.endpoints).where(t.endpoints.c.id == endpoint_id).values(
            active=False, disabled_reason=reason, updated_at=at))

    def update(self, e: Endpoint) -> None:
        self._conn.execute(update(t.endpoints).where(t.endpoints.c.id == e.id).values(
            config=json.dumps(e.config), types=_types(e), max_attempts=e.max_attempts,
            updated_at=e.updated_at))

    def note_failure(self, endpoint_id: str, at: datetime) -> datetime | None:
        e = t.endpoints
        self._conn.execute(update(e).where((e.c.id == endpoint_id) & e.c.failing_since.is_(None))
                           .values(failing_since=at))
        return self._conn.execute(select(e.c.failing_since).where(e.c.id == endpoint_id)
                                  ).scalar_one_or_none()

    def note_success(self, endpoint_ids: Sequence[str]) -> None:
        e = t.endpoints
        if endpoint_ids:
            self._conn.execute(update(e).where(e.c.id.in_(list(endpoint_ids))
                                               & e.c.failing_since.is_not(None))
                               .values(failing_since=None))
