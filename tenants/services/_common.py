from __future__ import annotations

from collections.abc import Callable

from tenants.errors import HubAdminOnly, NotFound
from tenants.model import Principal, Tenant
from tenants.ports import TenantsUnitOfWork

UowFactory = Callable[[], TenantsUnitOfWork]


def require_hub_admin(principal: Principal) -> None:
    if not principal.is_hub_admin:
        raise HubAdminOnly()


def visible_tenant(uow: TenantsUnitOfWork, principal: Principal, tenant_id: str) -> Tenant:
    """The tenant if it exists and the caller may see it; otherwise NotFound, never Forbidden."""
    tenant = uow.tenants.get(tenant_id) if principal.can_see_tenant(tenant_id) else None
    if tenant is None:
        raise NotFound()
    return tenant
