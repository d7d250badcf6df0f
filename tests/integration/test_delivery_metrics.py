"""Delivery metrics in serve's and the worker's /metrics: attempts by connector and outcome,
attempt durations, retries and dead deliveries (this process), deliveries by status, bus queue
depth (read at scrape time)."""

from __future__ import annotations

import uuid

import pytest

from hub.bus.kombu_bus import KombuBus
from hub.worker_http import create_worker_app
from tests.contract.conftest import WebhookReceiver
from tests.integration.pipeline import delivery_status, pipeline_world, signaal, stop_world, wait_until

BASE = "/api/v1/admin/tenants/mzwo-centrum/endpoints"


@pytest.fixture
def pw(sqlite_url, tmp_path):
    w = pipeline_world(sqlite_url, tmp_path)
    with WebhookReceiver() as receiver:
        w.receiver = receiver
        yield w
    stop_world(w)


def test_attempts_durations_retries_and_dead_are_counted_per_connector_in_serve_and_worker(pw):
    ok = pw.client.post(BASE, headers=pw.headers(), json={
        "connector": "webhook", "config": {"url": pw.receiver.url("/ok")}}).json
    pw.receiver.accepted_secrets.append(ok["secret"])
    pw.client.post(BASE, headers=pw.headers(), json={
        "connector": "webhook", "config": {"url": pw.receiver.url("/status/503")},
        "max_attempts": 2})
    answer = pw.client.post("/api/v1/messages", json=signaal(), headers=pw.headers("ymere")).json
    wait_until(lambda: sorted(d["status"] for d in delivery_status(pw, answer["id"]))
               == ["dead", "delivered", "delivered"])

    serve = pw.client.get("/metrics").get_data(as_text=True)
    worker = create_worker_app(lambda: True, pw.container.readiness,
                               pw.container.extras["metrics"]).test_client()
    for text in (serve, worker.get("/metrics").get_data(as_text=True)):
        assert 'ketenhub_delivery_attempts_total{connector="inbox",outcome="success"} 1.0' in text
        assert 'ketenhub_delivery_attempts_total{connector="webhook",outcome="success"} 1.0' in text
        assert 'ketenhub_delivery_attempts_total{connector="webhook",outcome="retryable"} 2.0' \
            in text
        assert 'ketenhub_delivery_retries_total{connector="webhook"} 1.0' in text
        assert 'ketenhub_delivery_dead_total{connector="webhook"} 1.0' in text
        assert 'ketenhub_delivery_attempt_duration_seconds_count{connector="webhook"} 3.0' in text
        assert 'ketenhub_deliveries{connector="webhook",status="dead"} 1.0' in text
        assert "# TYPE ketenhub_bus_queue_depth gauge" in text
        assert "# TYPE ketenhub_termijnen_overdue gauge" in text


@pytest.mark.integration
def test_the_bus_queue_depth_is_read_from_the_broker(broker_url):
    bus = KombuBus(broker_url, prefix=f"kh-test-{uuid.uuid4().hex[:8]}")
    bus.declare()
    try:
        # One bus message carries a batch of delivery ids: three ids, one message.
        bus.publish([("webhook", f"d-{i}") for i in range(3)] + [("urgent", "d-u")])
        bus.publish([("webhook", "d-later")])
        depths = wait_until(lambda: (d := bus.depths()) and d["webhook"] == 2 and d)
        assert depths["urgent"] == 1 and depths["inbox"] == 0
    finally:
        bus.close()
        bus.delete_all()
