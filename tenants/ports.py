"""Ports: what the tenants services need from storage. Adapters live in ``hub.persistence``
(SQL) and ``tenants.memory`` (in-memory double for unit tests)."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from datetime import datetime
from types import TracebackType

from tenants.accounts import Credentials, WebSession
from tenants.model import ApiKey, Network, Role, Tenant, User


class TenantRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, tenant: Tenant) -> None: ...

    @abc.abstractmethod
    def get(self, tenant_id: str) -> Tenant | None: ...

    @abc.abstractmethod
    def list(self, *, after: str | None, limit: int, only: str | None = None) -> Sequence[Tenant]:
        """Tenants ordered by id, with id > ``after``; ``only`` restricts to one tenant."""

    @abc.abstractmethod
    def update(self, tenant: Tenant) -> None: ...

    @abc.abstractmethod
    def operator(self) -> Tenant | None:
        """The hub operator's own tenant, if one exists."""


class ApiKeyRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, key: ApiKey) -> None: ...

    @abc.abstractmethod
    def get(self, key_id: str) -> ApiKey | None: ...

    @abc.abstractmethod
    def get_with_tenant(self, key_id: str) -> tuple[ApiKey, Tenant] | None:
        """The key and its tenant in one read (every API request authenticates)."""

    @abc.abstractmethod
    def list_for_tenant(self, tenant_id: str, *, after: str | None, limit: int) -> Sequence[ApiKey]: ...

    @abc.abstractmethod
    def mark_revoked(self, key_id: str, at: datetime) -> None: ...

    @abc.abstractmethod
    def touch(self, key_id: str, at: datetime) -> None:
        """Record that the key was used at ``at``."""


class NetworkRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, network: Network) -> None: ...

    @abc.abstractmethod
    def get(self, network_id: str) -> Network | None: ...

    @abc.abstractmethod
    def list(self, *, after: str | None, limit: int, party: str | None = None) -> Sequence[Network]:
        """Networks ordered by id; ``party`` restricts to networks that tenant is party of."""

    @abc.abstractmethod
    def replace(self, network: Network) -> None: ...

    @abc.abstractmethod
    def lock(self, network_id: str) -> None:
        """Hold the network against other writers until the unit of work ends (a change reads
        the current version and writes it in one go)."""


class UserRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, user: User) -> None: ...

    @abc.abstractmethod
    def get(self, user_id: str) -> User | None: ...

    @abc.abstractmethod
    def list_for_tenant(self, tenant_id: str, *, after: str | None, limit: int) -> Sequence[User]: ...

    @abc.abstractmethod
    def email_taken(self, tenant_id: str, email: str) -> bool: ...

    @abc.abstractmethod
    def set_roles(self, user_id: str, roles: frozenset[Role]) -> None: ...

    # -- web login (credentials are never part of ``User``) --

    @abc.abstractmethod
    def by_username(self, username: str) -> User | None: ...

    @abc.abstractmethod
    def credentials(self, user_id: str) -> Credentials | None:
        """The stored login data; ``totp_secret`` still sealed (the service opens it)."""

    @abc.abstractmethod
    def save_credentials(self, credentials: Credentials) -> None: ...


class WebSessionRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, session: WebSession) -> None: ...

    @abc.abstractmethod
    def get(self, session_id: str) -> WebSession | None: ...

    @abc.abstractmethod
    def save(self, session: WebSession) -> None: ...

    @abc.abstractmethod
    def delete(self, session_id: str) -> None: ...

    @abc.abstractmethod
    def delete_for_user(self, user_id: str) -> None: ...


class ProcessingLog(abc.ABC):
    """The processing log: every change writes one entry in its own transaction (the hub
    chains the entries, see ``hub.audit``). Ids, codes, hashes and pseudonyms only."""

    @abc.abstractmethod
    def record(self, *, action: str, tenant_id: str | None, actor: str | None,
               subject_id: str | None, facts: dict, at: datetime, basis: str | None = None,
               subject_ref: str | None = None, trace_id: str | None = None,
               purpose: str | None = None) -> None:
        """One processing activity (``action``) on an object (``subject_id``)."""


class UnitOfWork(abc.ABC):
    """One transaction: commit, or leaving the block rolls everything back. Each package's
    unit of work names its repositories on top of this."""

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...


class TenantsUnitOfWork(UnitOfWork):
    """One transaction over the tenants repositories."""

    tenants: TenantRepository
    keys: ApiKeyRepository
    networks: NetworkRepository
    users: UserRepository
    audit: ProcessingLog
    web_sessions: WebSessionRepository
