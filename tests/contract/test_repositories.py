"""One repository contract, run against every adapter: the in-memory doubles the unit tests
rely on must behave as the SQL adapter does on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.contract.repositories.adapters import (
    MemoryConsentAdapter,
    MemoryHubAdapter,
    MemoryTenantsAdapter,
    SqlAdapter,
)
from tests.contract.repositories.consent_cases import ConsentRepositoryContract
from tests.contract.repositories.hub_cases import HubRepositoryContract
from tests.contract.repositories.regiecheck_cases import RegiecheckRepositoryContract
from tests.contract.repositories.samenloop_cases import SamenloopRepositoryContract
from tests.contract.repositories.tenants_cases import TenantsRepositoryContract
from tests.contract.repositories.termijnen_cases import TermijnRepositoryContract


class TestMemoryTenants(MemoryTenantsAdapter, TenantsRepositoryContract):
    pass


class TestSqlTenants(SqlAdapter, TenantsRepositoryContract):
    pass


class TestMemoryConsent(MemoryConsentAdapter, ConsentRepositoryContract):
    pass


class TestSqlConsent(SqlAdapter, ConsentRepositoryContract):
    pass


class TestMemoryHub(MemoryHubAdapter, HubRepositoryContract):
    pass


class TestSqlHub(SqlAdapter, HubRepositoryContract):
    pass


class TestMemoryRegiecheck(MemoryHubAdapter, RegiecheckRepositoryContract):
    pass


class TestSqlRegiecheck(SqlAdapter, RegiecheckRepositoryContract):
    pass


class TestMemoryTermijnen(MemoryHubAdapter, TermijnRepositoryContract):
    pass


class TestSqlTermijnen(SqlAdapter, TermijnRepositoryContract):
    pass


class TestMemorySamenloop(MemoryHubAdapter, SamenloopRepositoryContract):
    pass


class TestSqlSamenloop(SqlAdapter, SamenloopRepositoryContract):
    pass
