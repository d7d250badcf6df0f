"""Onboarding push endpoints without code: create (validated per connector, secrets sealed and
shown once), list (masked), disable, rotate the signing secret, send a test ping."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from connectors.base import AttemptResult, Connector, DeliveryRequest, Outcome
from connectors.netguard import NetGuard
from connectors.registry import (
    ENDPOINT_CONNECTORS,
    connector_class,
    mask_config,
    validate_endpoint_config,
)
from connectors.signing import new_webhook_secret
from hub.crypto.vault import PayloadVault
from hub.endpoints.model import (
    Endpoint,
    EndpointChange,
    EndpointSecrets,
    ResolvedEndpoint,
    SigningSecret,
)
from hub.errors import InvalidMessage, ResourceNotFound
from hub.intake.catalogue import EMITTED_TYPES, MESSAGE_TYPES
from hub.ports import HubUnitOfWork
from tenants.model import Principal
from tenants.pagination import Page, paginate

log = logging.getLogger("ketenhub.endpoints")

PING_TYPE = "nl.ketenhub.ping.v1"


def _aad(endpoint_id: str) -> bytes:
    return f"endpoint:{endpoint_id}".encode()


class EndpointService:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], vault: PayloadVault,
                 clock: Callable[[], datetime], connectors: Mapping[str, Connector],
                 read_uow: Callable[[], HubUnitOfWork] | None = None,
                 cache_ttl_s: float = 0.0, guard: NetGuard | None = None) -> None:
        self._uow = uow
        #: Checks a new endpoint's destination at save time (SSRF); the connectors check again
        #: on every connect.
        self._guard = guard or NetGuard()
        self._read_uow = read_uow or uow
        self._vault = vault
        self._clock = clock
        self._connectors = connectors
        #: Every accepted message asks which endpoints its recipients have; endpoints change
        #: rarely. Changes made through this service clear the cache at once.
        self._cache_ttl = cache_ttl_s
        self._cache: tuple[dict[str, list[Endpoint]], float] | None = None
        self._cache_lock = threading.Lock()

    def active_for(self, tenant_ids: Sequence[str]) -> list[Endpoint]:
        """The active push endpoints of these tenants (cached for ``cache_ttl_s``)."""
        if not tenant_ids:
            return []
        with self._cache_lock:
            cached = self._cache
        if cached is None or time.monotonic() - cached[1] >= self._cache_ttl:
            by_tenant: dict[str, list[Endpoint]] = {}
            with self._read_uow() as uow:
                for endpoint in uow.endpoints.all_active():
                    by_tenant.setdefault(endpoint.tenant_id, []).append(endpoint)
            cached = (by_tenant, time.monotonic())
            with self._cache_lock:
                self._cache = cached
        return [e for tenant_id in tenant_ids for e in cached[0].get(tenant_id, [])]

    def forget(self) -> None:
        """Drop the cached endpoints (one was created, disabled or found gone)."""
        with self._cache_lock:
            self._cache = None

    def _visible_tenant(self, uow: HubUnitOfWork, principal: Principal, tenant_id: str) -> None:
        if not principal.can_see_tenant(tenant_id) or uow.tenants.get(tenant_id) is None:
            raise ResourceNotFound()

    def _get(self, uow: HubUnitOfWork, principal: Principal, tenant_id: str,
             endpoint_id: str) -> tuple[Endpoint, EndpointSecrets]:
        self._visible_tenant(uow, principal, tenant_id)
        found = uow.endpoints.get(endpoint_id)
        if found is None or found[0].tenant_id != tenant_id:
            raise ResourceNotFound()
        endpoint, sealed, version = found
        return endpoint, self._open(uow, tenant_id, endpoint_id, sealed, version)

    def _open(self, uow: HubUnitOfWork, tenant_id: str, endpoint_id: str, sealed: bytes,
              version: int) -> EndpointSecrets:
        return EndpointSecrets.from_dict(json.loads(self._vault.open(
            uow.data_keys, tenant_id, version, sealed, _aad(endpoint_id))))

    def _seal(self, uow: HubUnitOfWork, tenant_id: str, endpoint_id: str,
              secrets: EndpointSecrets) -> tuple[int, bytes]:
        return self._vault.seal(uow.data_keys, tenant_id, json.dumps(secrets.to_dict()).encode(),
                                _aad(endpoint_id))

    def create(self, principal: Principal, tenant_id: str, *, connector: str, config: dict,
               max_attempts: int | None = None,
               types: Sequence[str] | None = None) -> tuple[Endpoint, str | None]:
        """The endpoint, and for a webhook its signing secret — returned this once only.
        ``types`` subscribes it to these event types only (None: every type)."""
        subscription = subscribed_types(types)
        if connector not in ENDPOINT_CONNECTORS:
            raise InvalidMessage("validation.choice", "Onbekende connector.",
                                 [{"field": "/connector", "rule": "validation.choice"}])
        with self._uow() as uow:  # authorise before validating: the config is resolved
            self._visible_tenant(uow, principal, tenant_id)
        public, secret_config = validate_endpoint_config(connector, config, self._guard)
        signing = new_webhook_secret() if connector_class(connector).signs else None
        now = self._clock()
        endpoint = Endpoint(id=str(uuid.uuid4()), tenant_id=tenant_id, connector=connector,
                            config=public, active=True, created_at=now, updated_at=now,
                            max_attempts=max_attempts, types=subscription)
        secrets = EndpointSecrets(signing=(SigningSecret(signing),) if signing else (),
                                  config=secret_config)
        with self._uow() as uow:
            self._visible_tenant(uow, principal, tenant_id)
            version, sealed = self._seal(uow, tenant_id, endpoint.id, secrets)
            uow.endpoints.add(endpoint, sealed, version)
            uow.audit.record(action="endpoint.created", tenant_id=tenant_id, actor=principal.key_id,
                             subject_id=endpoint.id, facts={"connector": connector}, at=now)
            uow.commit()
        self.forget()
        log.info("endpoint created", extra={"endpoint_id": endpoint.id, "tenant_id": tenant_id,
                                            "connector": connector})
        return endpoint, signing

    def list(self, principal: Principal, tenant_id: str, *, after: str | None = None,
             limit: int | None = None) -> Page[Endpoint]:
        with self._uow() as uow:
            self._visible_tenant(uow, principal, tenant_id)
            return paginate(lambda a, n: uow.endpoints.list_for_tenant(tenant_id, after=a, limit=n),
                            after, limit, key=lambda e: e.id)

    def get(self, principal: Principal, tenant_id: str, endpoint_id: str) -> Endpoint:
        with self._uow() as uow:
            return self._get(uow, principal, tenant_id, endpoint_id)[0]

    def disable(self, principal: Principal, tenant_id: str, endpoint_id: str,
                reason: str = "disabled_by_admin") -> Endpoint:
        with self._uow() as uow:
            endpoint, _ = self._get(uow, principal, tenant_id, endpoint_id)
            now = self._clock()
            if endpoint.active:
                uow.endpoints.deactivate(endpoint_id, reason, now)
                uow.audit.record(action="endpoint.disabled", tenant_id=tenant_id,
                                 actor=principal.key_id, subject_id=endpoint_id,
                                 facts={"reason": reason}, at=now)
                uow.commit()
                self.forget()
                endpoint = replace(endpoint, active=False, disabled_reason=reason, updated_at=now)
        return endpoint

    def rotate_secret(self, principal: Principal, tenant_id: str, endpoint_id: str,
                      overlap: timedelta = timedelta(hours=24)) -> tuple[Endpoint, str]:
        """A new signing secret; the old ones stay valid for ``overlap``, then expire."""
        now = self._clock()
        with self._uow() as uow:
            endpoint, secrets = self._get(uow, principal, tenant_id, endpoint_id)
            if not connector_class(endpoint.connector).signs:
                raise InvalidMessage("validation.not_a_webhook",
                                     "Alleen een webhook heeft een ondertekeningssleutel.")
            new = new_webhook_secret()
            kept = tuple(s if s.expires_at else SigningSecret(s.secret, now + overlap)
                         for s in secrets.signing if s.valid_at(now))
            rotated = EndpointSecrets(signing=(SigningSecret(new), *kept), config=secrets.config)
            version, sealed = self._seal(uow, tenant_id, endpoint_id, rotated)
            uow.endpoints.update_secrets(endpoint_id, sealed, version, now)
            uow.audit.record(action="endpoint.secret_rotated", tenant_id=tenant_id,
                             actor=principal.key_id, subject_id=endpoint_id,
                             facts={"overlap_s": int(overlap.total_seconds())}, at=now)
            uow.commit()
        return endpoint, new

    def change(self, principal: Principal, tenant_id: str, endpoint_id: str,
               change: EndpointChange) -> Endpoint:
        """Change an endpoint's config fields (validated by its connector as at creation, the
        destination checked again), subscription or max attempts. A change writes one audit
        entry naming the changed fields (never their values); a change that changes nothing
        writes none. Signing secrets stay as they are."""
        types = subscribed_types(change.types) if change.set_types else None
        with self._uow() as uow:  # authorise before validating: the config is resolved
            endpoint, secrets = self._get(uow, principal, tenant_id, endpoint_id)
        public, secret_config = endpoint.config, secrets.config
        if change.config:
            given = {**endpoint.config, **secrets.config, **change.config}
            public, secret_config = validate_endpoint_config(
                endpoint.connector, {k: v for k, v in given.items() if v is not None}, self._guard)
        updated = replace(endpoint, config=public,
                          types=types if change.set_types else endpoint.types,
                          max_attempts=change.max_attempts if change.set_max_attempts
                          else endpoint.max_attempts)
        fields = _changed_fields(endpoint, secrets.config, updated, secret_config)
        if not fields:
            return endpoint
        now = self._clock()
        updated = replace(updated, updated_at=now)
        with self._uow() as uow:
            _, current = self._get(uow, principal, tenant_id, endpoint_id)
            if secret_config != current.config:
                version, sealed = self._seal(uow, tenant_id, endpoint_id,
                                             replace(current, config=secret_config))
                uow.endpoints.update_secrets(endpoint_id, sealed, version, now)
            uow.endpoints.update(updated)
            if any(f.startswith("config.") for f in fields):
                uow.endpoints.note_success([endpoint_id])  # a new destination starts healthy
            uow.audit.record(action="endpoint.changed", tenant_id=tenant_id,
                             actor=principal.key_id, subject_id=endpoint_id,
                             facts={"fields": fields}, at=now)
            uow.commit()
        self.forget()
        log.info("endpoint changed", extra={"endpoint_id": endpoint_id, "tenant_id": tenant_id,
                                            "fields": fields})
        return replace(updated, failing_since=None) if any(
            f.startswith("config.") for f in fields) else updated

    def test(self, principal: Principal, tenant_id: str, endpoint_id: str) -> AttemptResult:
        """Send a ping event through the endpoint now and report the outcome. Every failure to
        reach the other side (refused address, closed port, timeout, TLS) is answered alike,
        without a duration, so the ping cannot map a network."""
        now = self._clock()
        with self._uow() as uow:
            endpoint, secrets = self._get(uow, principal, tenant_id, endpoint_id)
        ping_id = f"ping-{uuid.uuid4()}"
        event = {"specversion": "1.0", "id": ping_id, "source": "urn:nld:ketenhub:hub",
                 "type": PING_TYPE, "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "datacontenttype": "application/json", "data": {}}
        request = DeliveryRequest(delivery_id=ping_id, message_id=ping_id, recipient=tenant_id,
                                  sender="ketenhub", attempt=1, event=event,
                                  endpoint_config=endpoint.config,
                                  secret_config=secrets.config, endpoint_id=endpoint_id,
                                  secrets=secrets.valid_signing(now),
                                  sender_name="Ketenhub")
        return _generic(self._connectors[endpoint.connector].deliver(request))

    def resolve(self, uow: HubUnitOfWork, endpoint_id: str, tenant_id: str,
                at: datetime) -> ResolvedEndpoint | None:
        """For the delivery worker: the endpoint, its secret config and its valid signing
        secrets."""
        found = uow.endpoints.get(endpoint_id)
        if found is None:
            return None
        endpoint, sealed, version = found
        secrets = self._open(uow, tenant_id, endpoint_id, sealed, version)
        return ResolvedEndpoint(endpoint, secrets.config, secrets.valid_signing(at))


#: Failures before the other side answered anything: the ping reports them as one.
_UNREACHABLE = frozenset({"connector.address_refused", "connector.connection", "connector.timeout",
                          "connector.tls", "connector.http_error", "connector.unexpected",
                          "connector.insecure_url", "connector.invalid_config"})
UNREACHABLE = "connector.unreachable"


def _generic(result: AttemptResult) -> AttemptResult:
    if result.outcome == Outcome.SUCCESS or result.error_code not in _UNREACHABLE:
        return result
    return AttemptResult(outcome=Outcome.RETRYABLE, duration_ms=0, error_code=UNREACHABLE,
                         response_status=None)


def subscribed_types(types: Sequence[str] | None) -> tuple[str, ...] | None:
    """A subscription as stored: known message types, each once, in the given order; None
    (every type) stays None. Raises ``InvalidMessage`` naming the position, not the value."""
    if types is None:
        return None
    details = [{"field": f"/types/{i}", "rule": "validation.choice"}
               for i, t in enumerate(types)
               if t not in MESSAGE_TYPES and t not in EMITTED_TYPES]
    if not types:
        details.append({"field": "/types", "rule": "validation.length"})
    if details:
        raise InvalidMessage("validation.invalid", "Onbekend of ontbrekend berichttype in types.",
                             details)
    return tuple(dict.fromkeys(types))


def _changed_fields(old: Endpoint, old_secret: dict, new: Endpoint, new_secret: dict) -> list[str]:
    keys = set(old.config) | set(new.config) | set(old_secret) | set(new_secret)
    fields = [f"config.{k}" for k in sorted(keys)
              if old.config.get(k) != new.config.get(k) or old_secret.get(k) != new_secret.get(k)]
    if old.types != new.types:
        fields.append("types")
    if old.max_attempts != new.max_attempts:
        fields.append("max_attempts")
    return sorted(fields)


def masked(endpoint: Endpoint) -> dict:
    return mask_config(endpoint.connector, endpoint.config)
