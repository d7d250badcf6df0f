"""Onboarding and lifecycle of tenants."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from tenants.clock import Clock, utcnow
from tenants.errors import Conflict, InvalidInput
from tenants.model import Principal, Tenant, TenantKind, TenantStatus, is_slug
from tenants.pagination import Page, paginate
from tenants.services._common import UowFactory, require_hub_admin, visible_tenant

_OIN = re.compile(r"^\d{20}$")
_KVK = re.compile(r"^\d{8}$")
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[A-Za-z0-9.-]{1,189}\.[A-Za-z]{2,63}$")


class TenantService:
    def __init__(self, uow: UowFactory, clock: Clock = utcnow,
                 screen: Callable[[object], None] = lambda value: None,
                 on_change: Callable[[], None] = lambda: None) -> None:
        self._uow = uow
        self._clock = clock
        #: Raises when a label holds a BSN or medical data (wired to the privacy guard).
        self._screen = screen
        #: Told after every committed change, so cached read models refresh at once.
        self._on_change = on_change

    def create(
        self,
        principal: Principal,
        *,
        tenant_id: str,
        name: str,
        kind: TenantKind,
        oin: str | None = None,
        kvk: str | None = None,
        is_operator: bool = False,
        alert_email: str | None = None,
    ) -> Tenant:
        require_hub_admin(principal)
        _check_identity(tenant_id, oin, kvk)
        _check_alert_email(alert_email)
        self._screen({"name": name})
        now = self._clock()
        tenant = Tenant(id=tenant_id, name=name.strip(), kind=kind, oin=oin, kvk=kvk,
                        created_at=now, updated_at=now, is_operator=is_operator,
                        alert_email=alert_email)
        with self._uow() as uow:
            if uow.tenants.get(tenant_id) is not None:
                raise Conflict("Er bestaat al een organisatie met dit id.",
                               [{"field": "/id", "rule": "conflict"}])
            if is_operator and uow.tenants.operator() is not None:
                raise Conflict("Er is al een beheerorganisatie van de hub.")
            uow.tenants.add(tenant)
            uow.audit.record(action="tenant.created", tenant_id=tenant.id,
                             actor=principal.key_id, subject_id=tenant.id,
                             facts={"kind": tenant.kind.value, "operator": is_operator}, at=now)
            uow.commit()
            self._on_change()
        return tenant

    def list(self, principal: Principal, *, after: str | None = None,
             limit: int | None = None) -> Page[Tenant]:
        only = None if principal.is_hub_admin else principal.tenant_id
        with self._uow() as uow:
            return paginate(lambda a, n: uow.tenants.list(after=a, limit=n, only=only),
                            after, limit, key=lambda t: t.id)

    def get(self, principal: Principal, tenant_id: str) -> Tenant:
        with self._uow() as uow:
            return visible_tenant(uow, principal, tenant_id)

    def operator(self) -> Tenant | None:
        """The hub operator's own tenant, if it has been created."""
        with self._uow() as uow:
            return uow.tenants.operator()

    def suspend(self, principal: Principal, tenant_id: str) -> Tenant:
        return self._set_status(principal, tenant_id, TenantStatus.SUSPENDED)

    def activate(self, principal: Principal, tenant_id: str) -> Tenant:
        return self._set_status(principal, tenant_id, TenantStatus.ACTIVE)

    def set_alert_email(self, principal: Principal, tenant_id: str,
                        alert_email: str | None) -> Tenant:
        """Where the tenant's alerts are e-mailed (None: nowhere); its own admin may set it."""
        _check_alert_email(alert_email)
        with self._uow() as uow:
            tenant = visible_tenant(uow, principal, tenant_id)
            if tenant.alert_email != alert_email:
                tenant = replace(tenant, alert_email=alert_email, updated_at=self._clock())
                uow.tenants.update(tenant)
                uow.audit.record(action="tenant.changed", tenant_id=tenant.id,
                                 actor=principal.key_id, subject_id=tenant.id,
                                 facts={"field": "alert_email"}, at=tenant.updated_at)
                uow.commit()
                self._on_change()
            return tenant

    def _set_status(self, principal: Principal, tenant_id: str, status: TenantStatus) -> Tenant:
        with self._uow() as uow:
            tenant = visible_tenant(uow, principal, tenant_id)
            require_hub_admin(principal)
            if tenant.is_operator and status is TenantStatus.SUSPENDED:
                raise InvalidInput("De beheerorganisatie van de hub kan niet worden geschorst.")
            if tenant.status is not status:
                tenant = replace(tenant, status=status, updated_at=self._clock())
                uow.tenants.update(tenant)
                uow.audit.record(action="tenant.suspended" if status is TenantStatus.SUSPENDED
                                 else "tenant.activated", tenant_id=tenant.id,
                                 actor=principal.key_id, subject_id=tenant.id, facts={},
                                 at=tenant.updated_at)
                uow.commit()
                self._on_change()
            return tenant


def _check_alert_email(address: str | None) -> None:
    if address is not None and (len(address) > 254 or not _EMAIL.match(address)):
        raise InvalidInput("Dit is geen geldig e-mailadres.",
                           [{"field": "/alert_email", "rule": "validation.email"}])


def _check_identity(tenant_id: str, oin: str | None, kvk: str | None) -> None:
    details = []
    if not is_slug(tenant_id):
        details.append({"field": "/id", "rule": "validation.slug"})
    if oin is not None and not _OIN.match(oin):
        details.append({"field": "/oin", "rule": "validation.oin"})
    if kvk is not None and not _KVK.match(kvk):
        details.append({"field": "/kvk", "rule": "validation.kvk"})
    if details:
        raise InvalidInput(details=details)
