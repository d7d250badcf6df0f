"""API keys: issue (shown once), list, revoke, and authenticate a presented key."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from tenants.clock import Clock, utcnow
from tenants.credentials import generate_key, key_matches, parse_key_id
from tenants.errors import InvalidCredentials, InvalidInput, NotFound, TenantSuspended
from tenants.model import ApiKey, Principal, Scope, Tenant
from tenants.pagination import Page, paginate
from tenants.services._common import UowFactory, require_hub_admin, visible_tenant

log = logging.getLogger("ketenhub.keys")


class KeyService:
    def __init__(self, uow: UowFactory, clock: Clock = utcnow,
                 screen: Callable[[object], None] = lambda value: None,
                 last_used_resolution: timedelta = timedelta(seconds=60),
                 read_uow: UowFactory | None = None, cache_ttl_s: float = 0.0) -> None:
        self._uow = uow
        #: For the lookup every request makes; writes go through ``uow``.
        self._read_uow = read_uow or uow
        self._clock = clock
        #: Raises when a label holds a BSN or medical data (wired to the privacy guard).
        self._screen = screen
        self._resolution = last_used_resolution
        #: key id → ((key, tenant), loaded at): every request authenticates, and a key and its
        #: tenant change rarely. Revocation and tenant changes in this process clear it at
        #: once; another process's changes apply within the TTL (as the directory's do).
        self._cache_ttl = cache_ttl_s
        self._cache: dict[str, tuple[tuple[ApiKey, Tenant], float]] = {}
        self._cache_lock = threading.Lock()

    def invalidate(self) -> None:
        """Forget cached keys and tenants (a key was revoked or a tenant changed)."""
        with self._cache_lock:
            self._cache.clear()

    def issue(self, principal: Principal, tenant_id: str, *, name: str, scopes: Iterable[Scope],
              expires_at: datetime | None = None) -> tuple[ApiKey, str]:
        """A new key for the tenant. The plaintext is returned here and never again."""
        scopes = frozenset(scopes)
        now = self._clock()
        if not scopes:
            raise InvalidInput(details=[{"field": "/scopes", "rule": "validation.required"}])
        if expires_at is not None and expires_at <= now:
            raise InvalidInput(details=[{"field": "/expires_at", "rule": "validation.in_past"}])
        self._screen({"name": name})
        material = generate_key()
        with self._uow() as uow:
            tenant = visible_tenant(uow, principal, tenant_id)
            if tenant.is_operator:
                require_hub_admin(principal)
            key = ApiKey(id=material.key_id, tenant_id=tenant_id, name=name.strip(),
                         scopes=scopes, secret_hash=material.secret_hash, created_at=now,
                         expires_at=expires_at)
            uow.keys.add(key)
            uow.audit.record(action="key.issued", tenant_id=tenant_id, actor=principal.key_id,
                             subject_id=key.id, facts={"scopes": sorted(scopes)}, at=now)
            uow.commit()
        log.info("api key issued", extra={"key_id": key.id, "tenant_id": tenant_id})
        return key, material.plaintext

    def list(self, principal: Principal, tenant_id: str, *, after: str | None = None,
             limit: int | None = None) -> Page[ApiKey]:
        with self._uow() as uow:
            visible_tenant(uow, principal, tenant_id)
            return paginate(lambda a, n: uow.keys.list_for_tenant(tenant_id, after=a, limit=n),
                            after, limit, key=lambda k: k.id)

    def revoke(self, principal: Principal, tenant_id: str, key_id: str) -> ApiKey:
        with self._uow() as uow:
            visible_tenant(uow, principal, tenant_id)
            key = uow.keys.get(key_id)
            if key is None or key.tenant_id != tenant_id:
                raise NotFound()
            if key.revoked_at is None:
                key = replace(key, revoked_at=self._clock())
                uow.keys.mark_revoked(key.id, key.revoked_at)
                uow.audit.record(action="key.revoked", tenant_id=tenant_id,
                                 actor=principal.key_id, subject_id=key.id, facts={},
                                 at=key.revoked_at)
                uow.commit()
            self.invalidate()
        log.info("api key revoked", extra={"key_id": key_id, "tenant_id": tenant_id})
        return key

    def authenticate(self, presented: str) -> Principal:
        """The principal behind a presented key, or InvalidCredentials / TenantSuspended."""
        key_id = parse_key_id(presented)
        if key_id is None:
            raise InvalidCredentials()
        now = self._clock()
        found = self._key_with_tenant(key_id)
        if found is None or not key_matches(presented, found[0].secret_hash):
            raise InvalidCredentials()
        key, tenant = found
        if not key.is_usable_at(now):
            log.info("api key refused", extra={"key_id": key_id, "reason": "expired_or_revoked"})
            raise InvalidCredentials()
        if not tenant.is_active:
            raise TenantSuspended()
        if key.last_used_at is None or now - key.last_used_at >= self._resolution:
            with self._uow() as uow:
                uow.keys.touch(key.id, now)
                uow.commit()
            with self._cache_lock:
                if key_id in self._cache:
                    self._cache[key_id] = ((replace(key, last_used_at=now), tenant),
                                           self._cache[key_id][1])
        return Principal(tenant_id=tenant.id, key_id=key.id, scopes=key.scopes,
                         is_hub_admin=tenant.is_operator and Scope.ADMIN in key.scopes)

    def _key_with_tenant(self, key_id: str) -> tuple[ApiKey, Tenant] | None:
        if self._cache_ttl > 0:
            with self._cache_lock:
                cached = self._cache.get(key_id)
            if cached is not None and time.monotonic() - cached[1] < self._cache_ttl:
                return cached[0]
        with self._read_uow() as uow:
            found = uow.keys.get_with_tenant(key_id)
        if found is not None and self._cache_ttl > 0:
            with self._cache_lock:
                self._cache[key_id] = (found, time.monotonic())
        return found
