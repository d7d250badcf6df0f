"""In-memory double of the tenants storage port, for unit tests. Commit copies, rollback drops."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from tenants.accounts import Credentials, WebSession
from tenants.model import ApiKey, Network, Role, Tenant, User
from tenants.ports import (
    ApiKeyRepository,
    NetworkRepository,
    ProcessingLog,
    TenantRepository,
    TenantsUnitOfWork,
    UserRepository,
    WebSessionRepository,
)


class MemoryStore:
    """The 'database': dictionaries of committed state shared by units of work."""

    def __init__(self) -> None:
        self.tenants: dict[str, Tenant] = {}
        self.keys: dict[str, ApiKey] = {}
        self.networks: dict[str, Network] = {}
        self.users: dict[str, User] = {}
        self.credentials: dict[str, Credentials] = {}
        self.web_sessions: dict[str, WebSession] = {}
        #: The processing log's entries (dicts), oldest first.
        self.audit: list[dict] = []


class _Tenants(TenantRepository):
    def __init__(self, rows: dict[str, Tenant]) -> None:
        self.rows = rows

    def add(self, tenant: Tenant) -> None:
        self.rows[tenant.id] = tenant

    def get(self, tenant_id: str) -> Tenant | None:
        return self.rows.get(tenant_id)

    def list(self, *, after: str | None, limit: int, only: str | None = None) -> Sequence[Tenant]:
        rows = sorted((t for t in self.rows.values() if only is None or t.id == only),
                      key=lambda t: t.id)
        return [t for t in rows if after is None or t.id > after][:limit]

    def update(self, tenant: Tenant) -> None:
        self.rows[tenant.id] = tenant

    def operator(self) -> Tenant | None:
        return next((t for t in self.rows.values() if t.is_operator), None)


class _Keys(ApiKeyRepository):
    def __init__(self, rows: dict[str, ApiKey], tenants: dict[str, Tenant]) -> None:
        self.rows = rows
        self.tenants = tenants

    def get_with_tenant(self, key_id: str) -> tuple[ApiKey, Tenant] | None:
        key = self.rows.get(key_id)
        tenant = self.tenants.get(key.tenant_id) if key else None
        return (key, tenant) if key and tenant else None

    def add(self, key: ApiKey) -> None:
        self.rows[key.id] = key

    def get(self, key_id: str) -> ApiKey | None:
        return self.rows.get(key_id)

    def list_for_tenant(self, tenant_id: str, *, after: str | None, limit: int) -> Sequence[ApiKey]:
        rows = sorted((k for k in self.rows.values() if k.tenant_id == tenant_id), key=lambda k: k.id)
        return [k for k in rows if after is None or k.id > after][:limit]

    def mark_revoked(self, key_id: str, at: datetime) -> None:
        self.rows[key_id] = replace(self.rows[key_id], revoked_at=at)

    def touch(self, key_id: str, at: datetime) -> None:
        self.rows[key_id] = replace(self.rows[key_id], last_used_at=at)


class _Networks(NetworkRepository):
    def __init__(self, rows: dict[str, Network]) -> None:
        self.rows = rows

    def add(self, network: Network) -> None:
        self.rows[network.id] = network

    def get(self, network_id: str) -> Network | None:
        return self.rows.get(network_id)

    def list(self, *, after: str | None, limit: int, party: str | None = None) -> Sequence[Network]:
        rows = sorted((n for n in self.rows.values() if party is None or party in n.party_ids()),
                      key=lambda n: n.id)
        return [n for n in rows if after is None or n.id > after][:limit]

    def replace(self, network: Network) -> None:
        self.rows[network.id] = network

    def lock(self, network_id: str) -> None:
        """Nothing to hold: one process, and a unit of work commits its copy whole."""


class _Users(UserRepository):
    def __init__(self, rows: dict[str, User], credentials: dict[str, Credentials]) -> None:
        self.rows = rows
        self.creds = credentials

    def add(self, user: User) -> None:
        self.rows[user.id] = user

    def get(self, user_id: str) -> User | None:
        return self.rows.get(user_id)

    def list_for_tenant(self, tenant_id: str, *, after: str | None, limit: int) -> Sequence[User]:
        rows = sorted((u for u in self.rows.values() if u.tenant_id == tenant_id), key=lambda u: u.id)
        return [u for u in rows if after is None or u.id > after][:limit]

    def email_taken(self, tenant_id: str, email: str) -> bool:
        return any(u.tenant_id == tenant_id and u.email == email for u in self.rows.values())

    def set_roles(self, user_id: str, roles: frozenset[Role]) -> None:
        self.rows[user_id] = replace(self.rows[user_id], roles=roles)

    def by_username(self, username: str) -> User | None:
        found = next((c for c in self.creds.values() if c.username == username), None)
        return self.rows.get(found.user_id) if found else None

    def credentials(self, user_id: str) -> Credentials | None:
        if user_id not in self.rows:
            return None
        return self.creds.get(user_id) or Credentials(user_id=user_id, username=None,
                                                      password_hash=None)

    def save_credentials(self, credentials: Credentials) -> None:
        self.creds[credentials.user_id] = credentials


class _WebSessions(WebSessionRepository):
    def __init__(self, rows: dict[str, WebSession]) -> None:
        self.rows = rows

    def add(self, session: WebSession) -> None:
        self.rows[session.id] = session

    def get(self, session_id: str) -> WebSession | None:
        return self.rows.get(session_id)

    def save(self, session: WebSession) -> None:
        self.rows[session.id] = session

    def delete(self, session_id: str) -> None:
        self.rows.pop(session_id, None)

    def delete_for_user(self, user_id: str) -> None:
        for sid in [s.id for s in self.rows.values() if s.user_id == user_id]:
            del self.rows[sid]


_TABLES = ("tenants", "keys", "networks", "users", "credentials", "web_sessions")


class MemoryProcessingLog(ProcessingLog):
    """Entries as dicts (``action``, ``tenant_id``, ``subject_id``, ``facts`` …) in a list."""

    def __init__(self, entries: list[dict]) -> None:
        self.entries = entries

    def record(self, *, action: str, tenant_id: str | None, actor: str | None,
               subject_id: str | None, facts: dict, at: datetime, basis: str | None = None,
               subject_ref: str | None = None, trace_id: str | None = None,
               purpose: str | None = None) -> None:
        self.entries.append({"action": action, "tenant_id": tenant_id, "actor": actor,
                             "subject_id": subject_id, "facts": dict(facts), "at": at,
                             "basis": basis, "subject_ref": subject_ref, "trace_id": trace_id,
                             "purpose": purpose})


class MemoryUnitOfWork(TenantsUnitOfWork):
    """Works on a copy of the store; ``commit`` publishes the copy, anything else discards it."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._stage()
        self.commits = 0

    def _stage(self) -> None:
        self._work = copy.copy(self._store)
        for name in _TABLES:
            setattr(self._work, name, dict(getattr(self._store, name)))
        self.tenants = _Tenants(self._work.tenants)
        self.keys = _Keys(self._work.keys, self._work.tenants)
        self.networks = _Networks(self._work.networks)
        self.users = _Users(self._work.users, self._work.credentials)
        self.web_sessions = _WebSessions(self._work.web_sessions)
        self._audit_entries = list(self._store.audit)
        self.audit = MemoryProcessingLog(self._audit_entries)

    def __enter__(self) -> MemoryUnitOfWork:
        self._stage()
        return self

    def commit(self) -> None:
        for name in _TABLES:
            setattr(self._store, name, dict(getattr(self._work, name)))
        self._store.audit = list(self._audit_entries)
        self.commits += 1

    def rollback(self) -> None:
        self._stage()
