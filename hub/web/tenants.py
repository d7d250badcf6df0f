"""Tenants as the pages name them."""

from __future__ import annotations

from hub.api.context import container
from tenants.model import TenantKind


def tenant_name(tenant_id: str) -> str:
    """The organisation's name (its id when the directory does not know it)."""
    tenant = container().directory.snapshot().tenant(tenant_id)
    return tenant.name if tenant else tenant_id


def is_meldpunt(tenant_id: str) -> bool:
    tenant = container().directory.snapshot().tenant(tenant_id)
    return tenant is not None and tenant.kind is TenantKind.MELDPUNT
