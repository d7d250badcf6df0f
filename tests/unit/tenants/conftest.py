from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from tenants.memory import MemoryStore, MemoryUnitOfWork
from tenants.model import Principal, Scope, TenantKind
from tenants.passwords import Passwords
from tenants.services import KeyService, NetworkService, TenantService, UserService
from tenants.services.accounts import AccountService
from tests.fakes import FakeClock

#: argon2id with the smallest cost: the same code path, fast enough for many tests.
CHEAP_ARGON2 = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


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
        self.accounts = AccountService(uow, self.clock, seal=lambda s: "sealed:" + s,
                                       unseal=lambda s: s.removeprefix("sealed:"),
                                       passwords=Passwords(CHEAP_ARGON2))
        self.system = Principal.system()

    def tenant(self, tenant_id: str, kind: TenantKind = TenantKind.MELDPUNT) -> str:
        self.tenants.create(self.system, tenant_id=tenant_id, name=tenant_id, kind=kind)
        return tenant_id

    def admin_of(self, tenant_id: str) -> Principal:
        return Principal(tenant_id=tenant_id, key_id="k", scopes=frozenset(Scope))


@pytest.fixture
def svc() -> Services:
    return Services()
