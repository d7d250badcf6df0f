from __future__ import annotations

import pytest

from tenants.memory import MemoryStore, MemoryUnitOfWork
from tenants.model import Principal, Scope, TenantKind
from tenants.services import KeyService, NetworkService, TenantService, UserService
from tests.fakes import FakeClock


class Services:
    def __init__(self) -> None:
        self.store = MemoryStore()
        self.clock = FakeClock()

        def uow() -> MemoryUnitOfWork:
            return MemoryUnitOfWork(self.store)

        self.tenants = TenantService(uow, self.clock)
        self.keys = KeyService(uow, self.clock)
        self.networks = NetworkService(uow, self.clock)
        self.users = UserService(uow, self.clock)
        self.system = Principal.system()

    def tenant(self, tenant_id: str, kind: TenantKind = TenantKind.MELDPUNT) -> str:
        self.tenants.create(self.system, tenant_id=tenant_id, name=tenant_id, kind=kind)
        return tenant_id

    def admin_of(self, tenant_id: str) -> Principal:
        return Principal(tenant_id=tenant_id, key_id="k", scopes=frozenset(Scope))


@pytest.fixture
def svc() -> Services:
    return Services()
