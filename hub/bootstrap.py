"""The composition root: the only place that picks concrete adapters and wires services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine

from consent.privacy import PrivacyGuard
from hub.bus.ports import Bus, build_bus
from hub.config import Config
from hub.health import Readiness, check_readiness
from hub.persistence.database import build_engine
from hub.persistence.unit_of_work import SqlUnitOfWork
from tenants.clock import Clock, utcnow
from tenants.services import KeyService, NetworkService, TenantService, UserService


@dataclass
class Container:
    """Everything a process of the hub needs, built once per app or CLI invocation."""

    config: Config
    engine: Engine
    bus: Bus
    clock: Clock
    tenants: TenantService
    keys: KeyService
    networks: NetworkService
    users: UserService
    privacy_guard: PrivacyGuard
    extras: dict[str, object] = field(default_factory=dict)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    def readiness(self) -> Readiness:
        return check_readiness(self.engine, self.bus, self.config.readiness_timeout_s)

    def close(self) -> None:
        self.bus.close()
        self.engine.dispose()


def bootstrap(config: Config, *, clock: Clock = utcnow) -> Container:
    engine = build_engine(config.effective_database_url)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine)

    return Container(
        config=config,
        engine=engine,
        bus=build_bus(config.broker_url),
        clock=clock,
        tenants=TenantService(uow, clock),
        keys=KeyService(uow, clock,
                        last_used_resolution=timedelta(seconds=config.key_last_used_resolution_s)),
        networks=NetworkService(uow, clock),
        users=UserService(uow, clock),
        privacy_guard=PrivacyGuard.default(),
    )
