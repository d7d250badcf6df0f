"""The deadline watcher on the in-memory unit of work: the reminder on the morning of the last
werkdag to the party that owes it, then at expiry one ``termijn.verlopen`` to the sender and the
area's meldpunt through the pipeline (message, decisions, inbox deliveries, outbox), an alert and
audit records; nothing twice, nothing for a term that was met."""

from __future__ import annotations

import os
from datetime import datetime

from consent.policy import PolicyDecisionPoint
from hub.crypto.keyring import MasterKey
from hub.crypto.vault import PayloadVault
from hub.flows.calendar import AMSTERDAM
from hub.flows.notices import HubNotices
from hub.flows.termijnen import Termijnen, TermijnFlows, TermijnWatcher
from hub.flows.termijnen.standard import standard_flows
from hub.memory import MemoryHubStore, MemoryHubUnitOfWork
from tenants.directory import Directory, Snapshot
from tenants.model import DEFAULT_TERMIJNEN, Area, Network, Party, Tenant, TenantKind
from tests.fakes import FakeClock

K = TenantKind
THURSDAY = datetime(2026, 11, 26, 10, 0, tzinfo=AMSTERDAM)
TENANTS = (("ketenhub", K.OVERIG), ("mzwo", K.MELDPUNT), ("ymere", K.WONINGCORPORATIE),
           ("hvo", K.ZORGAANBIEDER))


class World:
    def __init__(self) -> None:
        self.clock = FakeClock(THURSDAY)
        self.store = MemoryHubStore()
        tenants = [Tenant(t, t, k, THURSDAY, THURSDAY, is_operator=t == "ketenhub")
                   for t, k in TENANTS]
        network = Network("ams", "Amsterdam", THURSDAY, parties=tuple(
            Party(t.id, t.kind.value) for t in tenants if not t.is_operator),
            areas=(Area("mzwo", 1011, 1018),), termijnen=DEFAULT_TERMIJNEN)
        view = Snapshot.build(tenants, [network])
        directory = Directory(lambda: view)
        with self.uow() as uow:
            for t in tenants:
                uow.tenants.add(t)
            uow.commit()
        flows = TermijnFlows(standard_flows())
        self.termijnen = Termijnen(flows=flows, directory=directory, clock=self.clock)
        self.sent = 0
        self.watcher = TermijnWatcher(
            uow=self.uow, flows=flows, directory=directory, clock=self.clock, batch=10,
            on_sent=self._woken,
            notices=HubNotices(vault=PayloadVault(MasterKey(os.urandom(32)), self.clock),
                               pdp=PolicyDecisionPoint(directory), max_attempts=3,
                               active_endpoints=lambda ids: []))

    def _woken(self) -> None:
        self.sent += 1

    def uow(self) -> MemoryHubUnitOfWork:
        return MemoryHubUnitOfWork(self.store)

    def start(self, subject: str = "m1"):
        with self.uow() as uow:
            x = self.termijnen.start(uow, flow="signaal_zorgaanbieder", subject_id=subject,
                                     owed_by="hvo", owed_to="ymere", network_id="ams",
                                     meldpunt="mzwo")
            uow.commit()
        return x

    def notices(self, type_: str) -> list:
        return [m for m in self.store.tables.messages.values() if m.type == type_]


def test_the_reminder_goes_to_the_owing_party_on_the_morning_of_the_last_werkdag():
    w = World()
    x = w.start()
    w.clock.now = datetime(2026, 11, 30, 7, 59, tzinfo=AMSTERDAM)
    assert w.watcher.run_once().handled == 0
    w.clock.now = datetime(2026, 11, 30, 8, 0, tzinfo=AMSTERDAM)
    assert w.watcher.run_once().reminded == 1
    [reminder] = w.notices("nl.ketenhub.termijn.herinnering.v1")
    with w.uow() as uow:
        assert [d.recipient for d in uow.deliveries.for_message(reminder.id)] == ["hvo"]
        assert uow.termijnen.get(x.id).reminded_at == w.clock.now
    assert w.watcher.run_once().handled == 0 and w.sent == 1


def test_at_expiry_the_sender_and_the_meldpunt_hear_it_once_through_the_pipeline():
    w = World()
    x = w.start()
    w.clock.now = datetime(2026, 12, 1, 0, 0, tzinfo=AMSTERDAM)
    done = w.watcher.run_once()
    assert (done.reminded, done.expired) == (0, 1)  # the missed reminder is not sent late
    [verlopen] = w.notices("nl.ketenhub.termijn.verlopen.v1")
    assert verlopen.sender == "ketenhub" and verlopen.routing == {"hub_network": "ams"}
    with w.uow() as uow:
        deliveries = uow.deliveries.for_message(verlopen.id)
        decisions = uow.decisions.for_message(verlopen.id)
        assert sorted(d.recipient for d in deliveries) == ["mzwo", "ymere"]
        assert {(d["recipient_tenant_id"], d["decision"], d["basis"]) for d in decisions} == {
            ("mzwo", "permit", "convenant"), ("ymere", "permit", "convenant")}
        assert [a["subject_id"] for a in uow.alerts.list(kind="termijn.verlopen")] == [x.id]
        assert [a["action"] for a in uow.audit.list() if a["action"].startswith("termijn")] == [
            "termijn.gestart", "termijn.verlopen"]
        assert uow.termijnen.get(x.id).status.value == "verlopen"
    assert len(w.store.tables.outbox) == 2
    assert w.watcher.run_once().handled == 0
    assert len(w.notices("nl.ketenhub.termijn.verlopen.v1")) == 1


def test_a_met_term_is_neither_reminded_nor_escalated():
    w = World()
    x = w.start()
    with w.uow() as uow:
        [antwoord] = w.termijnen.answers("nl.ketenhub.signaal.reactie.v1",
                                         {"signaal_id": "m1", "status": "in_behandeling"})
        assert w.termijnen.meet(uow, answered_by="hvo", antwoorden=[antwoord],
                                message_id="r1", at=w.clock.now)[0].id == x.id
        uow.commit()
    w.clock.now = datetime(2026, 12, 8, 9, 0, tzinfo=AMSTERDAM)
    assert w.watcher.run_once().handled == 0
    assert w.store.tables.messages == {} and w.sent == 0
