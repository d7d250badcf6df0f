"""The alert service on the in-memory twin: the list each admin sees, the e-mail notifier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from connectors.errors import PermanentDeliveryError, RetryableDeliveryError
from hub.alerts.service import AlertEmail, AlertService
from hub.memory import MemoryHubStore, MemoryHubUnitOfWork
from tenants.model import Principal, Scope

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _admin(tenant_id: str, hub: bool = False) -> Principal:
    return Principal(tenant_id=tenant_id, key_id="k", scopes=frozenset({Scope.ADMIN}),
                     is_hub_admin=hub)


@pytest.fixture
def world():
    store = MemoryHubStore()
    sent: list[AlertEmail] = []
    addresses = {"ymere": "beheer@ymere.example", "arkin": None}
    outcome: dict[str, Exception | None] = {"raise": None}

    def send(email: AlertEmail) -> None:
        if outcome["raise"] is not None:
            raise outcome["raise"]
        sent.append(email)

    service = AlertService(uow=lambda: MemoryHubUnitOfWork(store), clock=lambda: T0 + timedelta(minutes=5),
                           alert_address=addresses.get, send_email=send,
                           public_url="https://hub.example/")
    with MemoryHubUnitOfWork(store) as uow:
        for i, (tenant, kind) in enumerate([("ymere", "delivery.dead"),
                                            ("arkin", "endpoint.gone"), ("ymere", "endpoint.gone")]):
            uow.alerts.raise_alert(kind=kind, tenant_id=tenant, subject_id=f"d-{i}", detail=None,
                                   at=T0 + timedelta(seconds=i))
        uow.commit()

    def notified() -> list:
        with MemoryHubUnitOfWork(store) as uow:
            return [a["notified_at"] for a in uow.alerts.list()]

    return service, notified, sent, outcome


def test_a_tenant_admin_sees_only_its_own_alerts_newest_first(world):
    service, *_ = world
    page = service.list(_admin("ymere"), tenant_id="arkin")
    assert [(a.tenant_id, a.subject_id) for a in page.items] == [("ymere", "d-2"), ("ymere", "d-0")]


def test_a_hub_admin_pages_through_every_tenants_alerts(world):
    service, *_ = world
    first = service.list(_admin("ketenhub", hub=True), limit=2)
    second = service.list(_admin("ketenhub", hub=True), limit=2, after=first.next)
    assert [a.subject_id for a in first.items + second.items] == ["d-2", "d-1", "d-0"]
    assert second.next is None


def test_each_alert_says_in_dutch_what_to_do(world):
    service, *_ = world
    alert = service.list(_admin("ymere")).items[-1]
    assert alert.title == "Bericht niet afgeleverd"
    assert "opnieuw aan" in alert.what_to_do


def test_new_alerts_are_emailed_once_to_the_tenants_alert_address(world):
    service, notified, sent, _ = world
    assert service.notify_pending() == 3
    assert service.notify_pending() == 0
    assert [e.to for e in sent] == ["beheer@ymere.example", "beheer@ymere.example"]
    assert all(at is not None for at in notified())
    assert "d-0" in sent[0].body and sent[0].reference == "alert-1"


def test_a_refused_send_is_tried_again_on_the_next_pass(world):
    service, notified, sent, outcome = world
    outcome["raise"] = RetryableDeliveryError("connector.connection")
    assert service.notify_pending() == 0
    assert all(at is None for at in notified())
    outcome["raise"] = None
    assert service.notify_pending() == 3
    assert len(sent) == 2


def test_a_permanently_refused_address_does_not_block_the_other_alerts(world):
    service, notified, sent, outcome = world
    outcome["raise"] = PermanentDeliveryError("connector.recipient_refused", 550)
    assert service.notify_pending() == 3
    assert sent == [] and all(at is not None for at in notified())
