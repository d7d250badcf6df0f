"""How each contract subclass builds its unit of work: ``create_unit_of_work()`` is what every
adapter's subclass overrides (the model is eventsourcing's persistence test cases, whose
subclasses override ``create_recorder()``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from consent.memory import MemoryConsentStore, MemoryConsentUnitOfWork
from hub.memory import MemoryHubStore, MemoryHubUnitOfWork
from hub.persistence.database import build_engine
from hub.persistence.migrate import upgrade
from hub.persistence.unit_of_work import SqlUnitOfWork
from tenants.memory import MemoryStore, MemoryUnitOfWork


class SqlAdapter:
    """The SQL unit of work on a freshly migrated database, SQLite and PostgreSQL alike."""

    @pytest.fixture(autouse=True)
    def _database(self, database_url: str) -> Iterator[None]:
        self.engine = build_engine(database_url)
        upgrade(self.engine)
        yield
        self.engine.dispose()

    def create_unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)


class MemoryHubAdapter:
    def setup_method(self) -> None:
        self.store = MemoryHubStore()

    def create_unit_of_work(self) -> MemoryHubUnitOfWork:
        return MemoryHubUnitOfWork(self.store)


class MemoryTenantsAdapter:
    def setup_method(self) -> None:
        self.store = MemoryStore()

    def create_unit_of_work(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.store)


class MemoryConsentAdapter:
    """The consent double alone has no tenants: the cases' tenants are left out."""

    def setup_method(self) -> None:
        self.store = MemoryConsentStore()

    def create_unit_of_work(self) -> MemoryConsentUnitOfWork:
        return MemoryConsentUnitOfWork(self.store)
