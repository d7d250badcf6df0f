"""SQL adapters for messages and the tenants' data keys."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, tuple_, update

from hub.delivery.model import (
    StoredMessage,
)
from hub.persistence import tables as t
from hub.persistence.together import insert_together, queue
from hub.ports import DataKeyRepository, MessageRepository

_INSERT_MESSAGE = insert(t.messages)
_INSERT_KEY = insert(t.message_keys)
_m = t.messages
_mk = t.message_keys
_FULL = select(_m, _mk.c.wrapped_key).outerjoin(_mk, _mk.c.message_id == _m.c.id)
_WITH_PAYLOAD = _FULL.where(_m.c.id.in_(bindparam("ids", expanding=True)))
_WITHOUT_PAYLOAD = select(*[c for c in _m.c if c.name != "payload"]).where(
    _m.c.id.in_(bindparam("ids", expanding=True)))


class SqlDataKeyRepository(DataKeyRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def current(self, tenant_id: str) -> tuple[int, bytes] | None:
        k = t.tenant_data_keys
        row = self._conn.execute(
            select(k.c.version, k.c.wrapped_key)
            .where((k.c.tenant_id == tenant_id) & k.c.retired_at.is_(None))
            .order_by(k.c.version.desc()).limit(1)).first()
        return (row.version, row.wrapped_key) if row else None

    def get(self, tenant_id: str, version: int) -> bytes | None:
        k = t.tenant_data_keys
        return self._conn.execute(select(k.c.wrapped_key).where(
            (k.c.tenant_id == tenant_id) & (k.c.version == version))).scalar()

    def add(self, tenant_id: str, version: int, wrapped: bytes, master_key_id: str,
            at: datetime) -> None:
        self._conn.execute(insert(t.tenant_data_keys).values(
            tenant_id=tenant_id, version=version, wrapped_key=wrapped,
            master_key_id=master_key_id, created_at=at))

    def retire_before(self, tenant_id: str, version: int, at: datetime) -> int:
        k = t.tenant_data_keys
        return self._conn.execute(update(k).where(
            (k.c.tenant_id == tenant_id) & (k.c.version < version) & k.c.retired_at.is_(None))
            .values(retired_at=at)).rowcount

    def wrapped_by_other(self, master_key_id: str, limit: int) -> list[tuple[str, int, bytes]]:
        k = t.tenant_data_keys
        query = (select(k.c.tenant_id, k.c.version, k.c.wrapped_key)
                 .where(k.c.master_key_id != master_key_id)
                 .order_by(k.c.tenant_id, k.c.version).limit(limit))
        if self._conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return [(r.tenant_id, r.version, r.wrapped_key) for r in self._conn.execute(query)]

    def rewrap(self, tenant_id: str, version: int, wrapped: bytes, master_key_id: str) -> None:
        k = t.tenant_data_keys
        self._conn.execute(update(k).where((k.c.tenant_id == tenant_id) & (k.c.version == version))
                           .values(wrapped_key=wrapped, master_key_id=master_key_id))

    def count_by_master(self) -> dict[str, int]:
        k = t.tenant_data_keys
        rows = self._conn.execute(select(k.c.master_key_id, func.count()).group_by(
            k.c.master_key_id))
        return {r[0]: r[1] for r in rows}

    def get_secret(self, name: str) -> tuple[bytes, str] | None:
        s = t.hub_secrets
        row = self._conn.execute(select(s.c.wrapped, s.c.master_key_id)
                                 .where(s.c.name == name)).first()
        return (row.wrapped, row.master_key_id) if row else None

    def put_secret(self, name: str, wrapped: bytes, master_key_id: str, at: datetime) -> None:
        s = t.hub_secrets
        changed = self._conn.execute(update(s).where(s.c.name == name).values(
            wrapped=wrapped, master_key_id=master_key_id, updated_at=at)).rowcount
        if not changed:
            self._conn.execute(insert(s).values(name=name, wrapped=wrapped,
                                                master_key_id=master_key_id, updated_at=at))


def _message(row: Any) -> StoredMessage:
    return StoredMessage(id=row.id, sender=row.sender_tenant_id, source=row.source,
                         event_id=row.event_id, type=row.type, urgent=row.urgent,
                         received_at=row.received_at, key_version=row.key_version,
                         payload=row.payload, payload_sha256=row.payload_sha256,
                         routing=json.loads(row.routing), answer=json.loads(row.answer),
                         correlation=row.correlation,
                         wrapped_key=getattr(row, "wrapped_key", None),
                         retain_until=row.retain_until, shredded_at=row.shredded_at)


class SqlMessageRepository(MessageRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def recipients_of(self, message_id: str) -> tuple[str, list[str]] | None:
        m, d = t.messages, t.deliveries
        sender = self._conn.execute(select(m.c.sender_tenant_id).where(m.c.id == message_id)).scalar()
        if sender is None:
            return None
        rows = self._conn.execute(select(d.c.recipient_tenant_id).where(d.c.message_id == message_id))
        return sender, [r[0] for r in rows]

    def correlated_recipients(self, message_type: str, correlation: str, sender: str) -> list[str]:
        m, d = t.messages, t.deliveries
        rows = self._conn.execute(
            select(d.c.recipient_tenant_id).distinct().join(m, d.c.message_id == m.c.id)
            .where((m.c.type == message_type) & (m.c.correlation == correlation)
                   & (m.c.sender_tenant_id == sender)))
        return sorted(r[0] for r in rows)

    def add_many(self, messages: Sequence[StoredMessage]) -> None:
        if not messages:
            return
        rows = [{
            "id": m.id, "sender_tenant_id": m.sender, "source": m.source,
            "event_id": m.event_id, "type": m.type, "urgent": m.urgent,
            "received_at": m.received_at, "key_version": m.key_version, "payload": m.payload,
            "payload_sha256": m.payload_sha256,
            "routing": json.dumps(m.routing, sort_keys=True), "answer": json.dumps(m.answer),
            "correlation": m.correlation, "retain_until": m.retain_until,
            "shredded_at": m.shredded_at} for m in messages]
        keys = [{"message_id": m.id, "tenant_id": m.sender, "key_version": m.key_version,
                 "wrapped_key": m.wrapped_key} for m in messages if m.wrapped_key is not None]
        # The same transaction; on PostgreSQL one statement for both tables.
        if self._conn.dialect.name == "postgresql":
            if not queue(self._conn, [(_m, rows), (_mk, keys)]):
                insert_together(self._conn, [(_m, rows), (_mk, keys)])
            return
        self._conn.execute(_INSERT_MESSAGE, rows)
        if keys:
            self._conn.execute(_INSERT_KEY, keys)

    def get(self, message_id: str) -> StoredMessage | None:
        row = self._conn.execute(_FULL.where(_m.c.id == message_id)).first()
        return _message(row) if row else None

    def get_many(self, ids: Sequence[str]) -> dict[str, StoredMessage]:
        rows = self._conn.execute(_WITH_PAYLOAD, {"ids": list(set(ids))})
        return {r.id: _message(r) for r in rows}

    def get_many_without_payload(self, ids: Sequence[str]) -> dict[str, StoredMessage]:
        """Messages by id, leaving the (possibly large) ciphertext out."""
        rows = self._conn.execute(_WITHOUT_PAYLOAD, {"ids": list(set(ids))})
        return {r.id: _message(SimpleNamespace(**r._mapping, payload=b"")) for r in rows}

    def find_answers(self, sender: str,
                     keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], tuple[dict, str]]:
        """The stored answers of earlier messages by (source, event id), each with the SHA-256
        of the message it answered, in one query."""
        if not keys:
            return {}
        m = t.messages
        rows = self._conn.execute(
            select(m.c.source, m.c.event_id, m.c.answer, m.c.payload_sha256).where(
                (m.c.sender_tenant_id == sender)
                & tuple_(m.c.source, m.c.event_id).in_(sorted(set(keys)))))
        return {(r.source, r.event_id): (json.loads(r.answer), r.payload_sha256) for r in rows}

    def correlated_senders(self, message_type: str, correlation: str, recipient: str) -> list[str]:
        """Senders of messages of ``message_type`` with this correlation that went to
        ``recipient`` (e.g. the meldpunt that asked this partner to take up a case)."""
        m, d = t.messages, t.deliveries
        rows = self._conn.execute(
            select(m.c.sender_tenant_id).distinct().join(d, d.c.message_id == m.c.id)
            .where((m.c.type == message_type) & (m.c.correlation == correlation)
                   & (d.c.recipient_tenant_id == recipient)))
        return sorted(r[0] for r in rows)

    def correlated_received(self, message_type: str, correlation: str,
                            recipient: str) -> dict[str, str]:
        m, d = t.messages, t.deliveries
        rows = self._conn.execute(
            select(m.c.id, m.c.sender_tenant_id).distinct().join(d, d.c.message_id == m.c.id)
            .where((m.c.type == message_type) & (m.c.correlation == correlation)
                   & (d.c.recipient_tenant_id == recipient)))
        return {r.id: r.sender_tenant_id for r in rows}
