"""The pipeline's services over the in-memory unit of work (``hub.memory``): no database, no
bus, no network. A small Amsterdam network: a corporatie, a meldpunt and a zorgaanbieder."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import cache

import pytest

from connectors.base import DeliveryRequest
from connectors.inbox import InboxConnector
from connectors.memory import MemoryConnector
from consent.policy import PolicyDecisionPoint
from consent.privacy import PrivacyGuard
from consent.pseudonym import network_secret
from consent.services import BegeleideWoningService, ConsentService
from hub.bus.ports import Bus, Handler
from hub.crypto.keyring import MasterKey
from hub.crypto.vault import PayloadVault
from hub.delivery.decisions import DecisionService
from hub.delivery.model import Delivery
from hub.delivery.processor import DeliveryProcessor
from hub.delivery.reconciler import Reconciler
from hub.delivery.retry import RetryPolicy
from hub.delivery.service import DeliveryService
from hub.delivery.withdrawal import ConsentWithdrawal
from hub.endpoints.service import EndpointService
from hub.errors import BusUnavailable
from hub.intake.service import IntakeService
from hub.memory import MemoryHubStore, MemoryHubUnitOfWork
from hub.outbox.relay import OutboxRelay
from hub.routing.rules import Router
from tenants.demo import demo_kvk, demo_oin
from tenants.directory import Directory, Snapshot
from tenants.model import Area, Flow, LegalBasis, Party, Principal, Scope, TenantKind
from tenants.services import NetworkService, NetworkSpec, TenantService
from tests.fakes import FakeClock

K = TenantKind
ADRES = {"postcode": "1012 AB", "huisnummer": 12}


class RecordingBus(Bus):
    """Keeps what was published; ``down`` makes it refuse like a lost broker."""

    def __init__(self) -> None:
        self.published: list[tuple[str, str]] = []
        self.down = False

    def publish(self, items: Sequence[tuple[str, str]]) -> None:
        if self.down:
            raise BusUnavailable()
        self.published.extend(items)

    def consume(self, queues: Sequence[str], handler: Handler, stop) -> None:  # noqa: ANN001
        raise NotImplementedError

    def ping(self, timeout: float) -> bool:
        return not self.down


def flows() -> tuple[Flow, ...]:
    return (
        Flow("nl.ketenhub.signaal.v1", K.WONINGCORPORATIE, K.MELDPUNT, LegalBasis.CONVENANT),
        Flow("nl.ketenhub.signaal.reactie.v1", K.MELDPUNT, K.WONINGCORPORATIE, LegalBasis.CONVENANT),
        Flow("nl.ketenhub.signaal.v1", K.WONINGCORPORATIE, K.ZORGAANBIEDER, LegalBasis.CONSENT),
    )


@cache
def _guard() -> PrivacyGuard:
    return PrivacyGuard.default()


class Pipeline:
    def __init__(self, max_attempts: int = 3) -> None:
        self.store = MemoryHubStore()
        self.clock = FakeClock()
        self.units: list[MemoryHubUnitOfWork] = []
        self.committed: list[str] = []
        self.dead: list[Delivery] = []
        self.push = MemoryConnector()
        self.bus = RecordingBus()
        clock = self.clock

        def uow() -> MemoryHubUnitOfWork:
            unit = MemoryHubUnitOfWork(self.store)
            self.units.append(unit)
            return unit

        self.uow = uow
        guard = _guard()
        self.tenants = TenantService(uow, clock)
        self.networks = NetworkService(uow, clock)
        self.directory = Directory(lambda: Snapshot.build(
            list(self.store.tenants.tenants.values()), list(self.store.tenants.networks.values())),
            ttl=0)
        system = Principal.system()
        for tenant_id, kind in (("ymere", K.WONINGCORPORATIE), ("mzwo-centrum", K.MELDPUNT),
                                ("arkin", K.ZORGAANBIEDER)):
            self.tenants.create(system, tenant_id=tenant_id, name=tenant_id, kind=kind,
                                kvk=demo_kvk(tenant_id), oin=demo_oin(tenant_id))
        self.networks.create(system, NetworkSpec(
            id="amsterdam", name="Amsterdam",
            parties=(Party("mzwo-centrum", "meldpunt"), Party("ymere", "woningcorporatie"),
                     Party("arkin", "zorgaanbieder")),
            areas=(Area("mzwo-centrum", 1011, 1018),), flows=flows()))
        master = MasterKey(b"m" * 32)
        self.vault = PayloadVault(master, clock)
        pdp = PolicyDecisionPoint(self.directory)
        self.connectors = {"inbox": InboxConnector(), "smtp": self.push}
        self.endpoints = EndpointService(uow=uow, vault=self.vault, clock=clock,
                                         connectors=self.connectors)
        self.intake = IntakeService(
            uow=uow, guard=guard, router=Router(), pdp=pdp, directory=self.directory,
            vault=self.vault, clock=clock, max_attempts=max_attempts,
            active_endpoints=self.endpoints.active_for,
            on_committed=lambda: self.committed.append("intake"))
        self.processor = DeliveryProcessor(
            uow=uow, vault=self.vault, pdp=pdp, directory=self.directory,
            endpoints=self.endpoints, connectors=self.connectors,
            retry=RetryPolicy(base_s=10.0, max_s=60.0, random=lambda: 0.0), clock=clock,
            lease=timedelta(seconds=60), on_dead=self.dead.append)
        self.relay = OutboxRelay(uow=uow, bus=self.bus, batch=2)
        self.reconciler = Reconciler(uow=uow, clock=clock, redispatch_after=timedelta(seconds=30),
                                     on_dispatched=lambda: self.committed.append("reconciler"))
        self.deliveries = DeliveryService(uow=uow, vault=self.vault, clock=clock,
                                          on_redrive=lambda: self.committed.append("redrive"),
                                          pdp=pdp, directory=self.directory)
        self.decisions = DecisionService(uow)
        tenant_kind = {"ymere": K.WONINGCORPORATIE, "mzwo-centrum": K.MELDPUNT,
                       "arkin": K.ZORGAANBIEDER}
        self.consents = ConsentService(
            uow, clock, secret_for_network=lambda n: network_secret(master.derive("c"), n),
            networks_of=lambda t: ["amsterdam"], tenant_kind=tenant_kind.get,
            screen=guard.enforce, on_withdrawn=ConsentWithdrawal().take_back)
        self.woningen = BegeleideWoningService(uow, clock, consents=self.consents)

    @staticmethod
    def partner(tenant_id: str) -> Principal:
        return Principal(tenant_id=tenant_id, key_id=f"key-{tenant_id}", scopes=frozenset(Scope))

    def send(self, body: dict, sender: str = "ymere"):  # noqa: ANN201
        return self.intake.accept(self.partner(sender), body)

    def commits(self) -> int:
        return sum(u.commits for u in self.units)

    def read(self) -> MemoryHubUnitOfWork:
        """A unit of work for looking at the committed state."""
        return MemoryHubUnitOfWork(self.store)

    def deliveries_of(self, message_id: str) -> list[Delivery]:
        return self.read().deliveries.for_message(message_id)

    def push_endpoint(self, tenant_id: str = "mzwo-centrum", max_attempts: int | None = None):  # noqa: ANN201
        endpoint, _ = self.endpoints.create(Principal.system(), tenant_id, connector="smtp",
                                            config={"to": "meldpunt@example.nl"},
                                            max_attempts=max_attempts)
        return endpoint


def fails_with(error: Exception):  # noqa: ANN201
    def behaviour(request: DeliveryRequest) -> int | None:
        raise error
    return behaviour


@pytest.fixture
def pipe() -> Pipeline:
    return Pipeline()
