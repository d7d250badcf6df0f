"""Every outcome of a delivery attempt moves the state machine the right way, and nothing is
lost: retries, max attempts → dead with an alert, redrive, poison isolation, database outage."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from connectors.base import Connector
from connectors.errors import PermanentDeliveryError, RetryableDeliveryError
from hub.persistence import tables as t
from tests.integration.pipeline import (
    delivery_status,
    event,
    pipeline_world,
    signaal,
    stop_world,
    wait_until,
)


class ScriptedInbox(Connector):
    """The inbox, with failures scripted per recipient."""

    alias = "inbox"
    needs_payload = False

    def __init__(self) -> None:
        self.fail: dict[str, Exception] = {}
        self.calls: dict[str, int] = {}

    def _send(self, request):
        self.calls[request.recipient] = self.calls.get(request.recipient, 0) + 1
        if request.recipient in self.fail:
            raise self.fail[request.recipient]
        return None


@pytest.fixture
def sw(database_url, tmp_path, request):
    broker = request.getfixturevalue("broker_url") if "postgresql" in database_url else ""
    w = pipeline_world(database_url, tmp_path, broker_url=broker, max_attempts=3)
    w.inbox = ScriptedInbox()
    w.container.connectors["inbox"] = w.inbox
    yield w
    stop_world(w)


def _signaal_id(w) -> str:
    r = w.client.post("/api/v1/messages", json=signaal(), headers=w.headers("ymere"))
    assert r.status_code == 202
    return r.json["id"]


def _toewijzing_id(w, zaak="Z-9") -> str:
    r = w.client.post("/api/v1/messages", headers=w.headers("mzwo-centrum"), json=event(
        "nl.ketenhub.toewijzing.v1", {"zaak_kenmerk": zaak, "aan": "arkin"}))
    return r.json["id"]


def test_a_poison_delivery_ends_dead_after_max_attempts_without_holding_up_others(sw):
    sw.inbox.fail["mzwo-centrum"] = RuntimeError("connector bug")
    poisoned = [_signaal_id(sw) for _ in range(3)]
    healthy = [_toewijzing_id(sw, f"Z-{i}") for i in range(5)]
    for mid in healthy:
        wait_until(lambda mid=mid: delivery_status(sw, mid, "mzwo-centrum")[0]["status"]
                   == "delivered")
    for mid in poisoned:
        wait_until(lambda mid=mid: delivery_status(sw, mid)[0]["status"] == "dead")
        [view] = delivery_status(sw, mid)
        assert view["attempts"] == 3 and view["last_error"] == "connector.unexpected"
    with sw.container.uow() as uow:
        alerts = uow.alerts.list(kind="delivery.dead")
    assert len(alerts) == 3 and {a["tenant_id"] for a in alerts} == {"mzwo-centrum"}


def test_a_retryable_failure_is_retried_and_then_delivered(sw):
    sw.inbox.fail["mzwo-centrum"] = RetryableDeliveryError("connector.timeout")
    mid = _signaal_id(sw)
    wait_until(lambda: delivery_status(sw, mid)[0]["status"] == "retrying")
    del sw.inbox.fail["mzwo-centrum"]
    wait_until(lambda: delivery_status(sw, mid)[0]["status"] == "delivered")
    [view] = delivery_status(sw, mid)
    assert view["attempts"] >= 2
    with sw.container.uow() as uow:
        outcomes = [a.outcome.value for a in uow.attempts.for_delivery(view["delivery_id"])]
    assert outcomes[-1] == "success" and set(outcomes[:-1]) == {"retryable"}


def test_a_permanent_failure_is_dead_at_once_and_can_be_redriven(sw):
    sw.inbox.fail["mzwo-centrum"] = PermanentDeliveryError("connector.rejected", 400)
    mid = _signaal_id(sw)
    wait_until(lambda: delivery_status(sw, mid)[0]["status"] == "dead")
    [view] = delivery_status(sw, mid)
    assert view["attempts"] == 1 and view["reason"] == "permanent failure"
    dead = sw.client.get("/api/v1/admin/deliveries?status=dead", headers=sw.headers()).json
    assert [d["id"] for d in dead["items"]] == [view["delivery_id"]]
    del sw.inbox.fail["mzwo-centrum"]
    r = sw.client.post(f"/api/v1/admin/deliveries/{view['delivery_id']}/redrive",
                       headers=sw.headers())
    assert r.status_code == 200 and r.json["redrives"] == 1
    wait_until(lambda: delivery_status(sw, mid)[0]["status"] == "delivered")
    again = sw.client.post(f"/api/v1/admin/deliveries/{view['delivery_id']}/redrive",
                           headers=sw.headers())
    assert again.status_code == 409


def test_a_lost_bus_message_is_dispatched_again_by_the_reconciler(database_url, tmp_path,
                                                                  request):
    broker = request.getfixturevalue("broker_url") if "postgresql" in database_url else ""
    w = pipeline_world(database_url, tmp_path, broker_url=broker, start=False,
                       redispatch_after_s=0.2)
    try:
        mid = _signaal_id(w)
        with w.container.uow() as uow:
            uow.outbox.remove([row[0] for row in uow.outbox.claim_batch(100)])
            uow.commit()  # the outbox row is gone, as if published and then lost by the bus
        w.runtime.start()
        wait_until(lambda: delivery_status(w, mid)[0]["status"] == "delivered")
    finally:
        stop_world(w)


def test_a_database_failure_during_intake_is_503_and_leaves_nothing(postgres_url, tmp_path,
                                                                     monkeypatch):
    from hub.persistence.record_repositories import SqlOutboxRepository

    w = pipeline_world(postgres_url, tmp_path, start=False)
    original = SqlOutboxRepository.add_many

    def killed_mid_transaction(self, entries, at):
        pid = self._conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with w.container.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            other.commit()
        return original(self, entries, at)

    monkeypatch.setattr(SqlOutboxRepository, "add_many", killed_mid_transaction)
    try:
        r = w.client.post("/api/v1/messages", json=signaal(), headers=w.headers("ymere"))
        assert r.status_code == 503
        assert r.json["error"]["code"] == "unavailable.database"
        assert r.headers["Retry-After"]
        monkeypatch.setattr(SqlOutboxRepository, "add_many", original)
        with w.container.engine.connect() as conn:
            for table in (t.messages, t.deliveries, t.outbox, t.decisions, t.tenant_data_keys):
                assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
        retry = w.client.post("/api/v1/messages", json=signaal(), headers=w.headers("ymere"))
        assert retry.status_code == 202
    finally:
        w.container.close()
