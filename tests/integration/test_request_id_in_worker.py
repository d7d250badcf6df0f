"""The request id travels with the work: a delivery stores the X-Request-ID of the request that
created it, and the worker's log lines about that delivery (attempts on the push pool, the
delivery going dead) carry it — the same id as serve's lines of the request."""

from __future__ import annotations

import json
import logging

import pytest

from hub.logs import JsonFormatter
from tests.contract.conftest import WebhookReceiver
from tests.integration.pipeline import delivery_status, pipeline_world, signaal, stop_world, wait_until


@pytest.fixture
def pw(sqlite_url, tmp_path):
    w = pipeline_world(sqlite_url, tmp_path)
    handler = logging.FileHandler(tmp_path / "hub.log")
    handler.setFormatter(JsonFormatter())
    logging.getLogger("ketenhub").addHandler(handler)
    w.log_file = tmp_path / "hub.log"
    with WebhookReceiver() as receiver:
        w.receiver = receiver
        yield w
    logging.getLogger("ketenhub").removeHandler(handler)
    handler.close()
    stop_world(w)


def _lines(w) -> list[dict]:
    return [json.loads(line) for line in w.log_file.read_text().splitlines() if line.strip()]


def test_the_workers_log_lines_of_a_delivery_carry_the_request_id_that_created_it(pw):
    pw.client.post("/api/v1/admin/tenants/mzwo-centrum/endpoints", headers=pw.headers(), json={
        "connector": "webhook", "config": {"url": pw.receiver.url("/status/503")},
        "max_attempts": 2})
    first = pw.client.post("/api/v1/messages", json=signaal(),
                           headers={**pw.headers("ymere"), "X-Request-ID": "req-ops-00000001"})
    assert first.headers["X-Request-ID"] == "req-ops-00000001"
    second = pw.client.post("/api/v1/messages", json=signaal(), headers=pw.headers("ymere"))
    for answer in (first, second):
        wait_until(lambda a=answer: "dead" in {d["status"] for d in delivery_status(pw, a.json["id"])})

    carried = []
    for answer in (first, second):
        views = delivery_status(pw, answer.json["id"])
        row = next(v["delivery_id"] for v in views if v["connector"] == "webhook")
        identity = next(v["delivery_id"] for v in views if v["connector"] == "inbox")
        lines = _lines(pw)
        served = [x for x in lines if x["event"] == "message accepted"
                  and x.get("message_id") == answer.json["id"]]
        attempts = [x for x in lines if x["event"] == "delivery attempt failed"
                    and x.get("delivery_id") == identity]
        dead = [x for x in lines if x["event"] == "delivery dead" and x.get("delivery_id") == row]
        assert len(served) == 1 and len(attempts) == 2 and len(dead) == 1
        expected = served[0]["request_id"]
        assert {x.get("request_id") for x in attempts + dead} == {expected}
        carried.append(expected)
    assert carried[0] == "req-ops-00000001" and carried[1] not in (None, carried[0])


def test_each_run_of_a_periodic_worker_task_has_a_request_id_of_its_own(sqlite_world):
    from hub.runtime import Runtime
    from hub.tracing import current_request_id

    runtime = Runtime(sqlite_world.container)
    seen: list[str | None] = []
    runtime._periodic("probe", 0.01, lambda: seen.append(current_request_id()))
    try:
        wait_until(lambda: len(seen) >= 3)
    finally:
        runtime.stop()
    assert None not in seen and len(set(seen)) == len(seen)
