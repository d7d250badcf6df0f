"""Push endpoints through the whole pipeline: a tenant is onboarded to a webhook without code,
every delivery arrives signed (verified by the standardwebhooks package), the inbox still gets
its copy, a 410 disables the endpoint, and the secret is never shown again."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import MetaData, select

from hub.logs import JsonFormatter
from tests.contract.conftest import WebhookReceiver
from tests.integration.pipeline import (
    delivery_status,
    event,
    pipeline_world,
    signaal,
    stop_world,
    wait_until,
)


@pytest.fixture
def pw(sqlite_url, tmp_path):
    w = pipeline_world(sqlite_url, tmp_path)
    log_file = tmp_path / "hub.log"
    handler = logging.FileHandler(log_file)
    handler.setFormatter(JsonFormatter())
    logging.getLogger("ketenhub").addHandler(handler)
    w.log_file = log_file
    with WebhookReceiver() as receiver:
        w.receiver = receiver
        yield w
    logging.getLogger("ketenhub").removeHandler(handler)
    stop_world(w)


def _create(w, path="/ok", tenant="mzwo-centrum", who="admin"):
    r = w.client.post(f"/api/v1/admin/tenants/{tenant}/endpoints", headers=w.headers(who),
                      json={"connector": "webhook", "config": {"url": w.receiver.url(path)},
                            "max_attempts": 3})
    assert r.status_code == 201, r.json
    return r.json


def test_a_webhook_endpoint_receives_signed_deliveries_and_the_inbox_its_copy(pw):
    created = _create(pw, who="mzwo-centrum")
    assert created["secret"].startswith("whsec_") and created["active"]
    pw.receiver.accepted_secrets.append(created["secret"])
    answer = pw.client.post("/api/v1/messages", json=signaal(), headers=pw.headers("ymere")).json
    wait_until(lambda: {d["status"] for d in delivery_status(pw, answer["id"])} == {"delivered"})
    views = delivery_status(pw, answer["id"])
    assert sorted(v["connector"] for v in views) == ["inbox", "webhook"]
    [received] = pw.receiver.received
    inbox_delivery = next(v for v in views if v["connector"] == "inbox")
    assert received.delivery_id == inbox_delivery["delivery_id"]  # one id on every channel
    assert received.headers["content-type"].startswith("application/cloudevents+json")
    event = json.loads(received.body)
    assert event["type"] == "nl.ketenhub.signaal.v1" and event["data"]["adres"]["postcode"] == "1012AB"
    assert event["khmessageid"] == answer["id"]
    inbox = pw.client.get("/api/v1/inbox", headers=pw.headers("mzwo-centrum")).json["items"]
    assert [i["message_id"] for i in inbox] == [answer["id"]]


def test_the_secret_is_shown_once_and_never_in_lists_logs_or_the_database(pw):
    created = _create(pw)
    secret = created["secret"]
    pw.receiver.accepted_secrets.append(secret)
    listed = pw.client.get("/api/v1/admin/tenants/mzwo-centrum/endpoints", headers=pw.headers())
    one = pw.client.get(f"/api/v1/admin/tenants/mzwo-centrum/endpoints/{created['id']}",
                        headers=pw.headers())
    assert "secret" not in listed.json["items"][0] and "secret" not in one.json
    test = pw.client.post(f"/api/v1/admin/tenants/mzwo-centrum/endpoints/{created['id']}/test",
                          headers=pw.headers())
    assert test.status_code == 200 and test.json["outcome"] == "success"
    answer = pw.client.post("/api/v1/messages", json=signaal(), headers=pw.headers("ymere")).json
    wait_until(lambda: {d["status"] for d in delivery_status(pw, answer["id"])} == {"delivered"})
    for response in (listed, one, test):
        assert secret.encode() not in response.data
    assert secret not in pw.log_file.read_text()
    meta = MetaData()
    meta.reflect(pw.container.engine)
    with pw.container.engine.connect() as conn:
        dump = "".join(repr(tuple(row)) for table in meta.sorted_tables
                       for row in conn.execute(select(table)))
    assert secret not in dump and secret.removeprefix("whsec_") not in dump


def test_a_rotated_secret_signs_with_both_during_the_overlap(pw):
    created = _create(pw)
    r = pw.client.post(f"/api/v1/admin/tenants/mzwo-centrum/endpoints/{created['id']}/rotate-secret",
                       headers=pw.headers(), json={"overlap_hours": 1})
    new = r.json["secret"]
    assert new != created["secret"]
    for accepted in ([created["secret"]], [new]):
        pw.receiver.accepted_secrets[:] = accepted
        answer = pw.client.post("/api/v1/messages", json=signaal(),
                                headers=pw.headers("ymere")).json
        wait_until(lambda a=answer: {d["status"] for d in delivery_status(pw, a["id"])}
                   == {"delivered"})
    assert len(pw.receiver.received) == 2 and pw.receiver.rejected == []


def test_a_410_disables_the_endpoint_raises_an_alert_and_later_messages_skip_it(pw):
    created = _create(pw, path="/status/410")
    answer = pw.client.post("/api/v1/messages", json=signaal(), headers=pw.headers("ymere")).json
    wait_until(lambda: any(d["status"] == "dead" for d in delivery_status(pw, answer["id"])))
    endpoint = pw.client.get(f"/api/v1/admin/tenants/mzwo-centrum/endpoints/{created['id']}",
                             headers=pw.headers()).json
    assert (endpoint["active"], endpoint["disabled_reason"]) == (False, "gone")
    with pw.container.uow() as uow:
        assert sorted(a["kind"] for a in uow.alerts.list()) == ["delivery.dead", "endpoint.gone"]
    later = pw.client.post("/api/v1/messages", json=signaal(), headers=pw.headers("ymere")).json
    assert [v["connector"] for v in delivery_status(pw, later["id"])] == ["inbox"]


def test_an_endpoint_created_or_disabled_applies_to_the_very_next_message(pw):
    def connectors_of_next_message() -> list[str]:
        answer = pw.client.post("/api/v1/messages", json=signaal(),
                                headers=pw.headers("ymere")).json
        return sorted(v["connector"] for v in delivery_status(pw, answer["id"]))

    assert connectors_of_next_message() == ["inbox"]  # intake has now cached "no endpoints"
    created = _create(pw)
    assert connectors_of_next_message() == ["inbox", "webhook"]
    r = pw.client.delete(f"/api/v1/admin/tenants/mzwo-centrum/endpoints/{created['id']}",
                         headers=pw.headers())
    assert r.status_code == 200, r.json
    assert connectors_of_next_message() == ["inbox"]


def test_one_worker_batch_with_good_and_gone_endpoints_records_each_on_its_own(
        sqlite_url, tmp_path):
    w = pipeline_world(sqlite_url, tmp_path, start=False)
    try:
        with WebhookReceiver() as receiver:
            w.receiver = receiver
            good = _create(w, path="/ok", tenant="mzwo-centrum")
            receiver.accepted_secrets.append(good["secret"])
            _create(w, path="/status/410", tenant="arkin")
            toewijzing = {"aan": "arkin", "zaak_kenmerk": "Z-1", "toelichting": "Graag oppakken."}
            sent = [w.client.post("/api/v1/messages", json=signaal(), headers=w.headers("ymere"))
                    for _ in range(3)]
            sent.append(w.client.post("/api/v1/messages", json=event(
                "nl.ketenhub.toewijzing.v1", toewijzing), headers=w.headers("mzwo-centrum")))
            assert [r.status_code for r in sent] == [202] * 4, [r.json for r in sent]
            with w.container.uow() as uow:
                ids = [d for _, d, _ in uow.outbox.claim_batch(100)]
            w.container.processor.process_many(ids)
            views = {(v["recipient"], v["connector"]): v["status"] for r in sent
                     for v in delivery_status_as(w, r.json["id"], r.request.headers)}
            assert len(receiver.received) == 3
            assert views[("mzwo-centrum", "webhook")] == "delivered"
            assert views[("arkin", "webhook")] == "dead"
            assert views[("arkin", "inbox")] == "delivered"
            endpoints = w.client.get("/api/v1/admin/tenants/arkin/endpoints",
                                     headers=w.headers()).json["items"]
            assert [e["active"] for e in endpoints] == [False]
    finally:
        w.container.close()


def delivery_status_as(w, message_id: str, headers) -> list[dict]:
    r = w.client.get(f"/api/v1/messages/{message_id}",
                     headers={"Authorization": headers["Authorization"]})
    return [d for d in r.json["deliveries"] if d.get("status")]


def test_a_server_error_is_retried_then_ends_dead_and_can_be_redriven(pw):
    created = _create(pw, path="/status/503")
    answer = pw.client.post("/api/v1/messages", json=signaal(), headers=pw.headers("ymere")).json
    wait_until(lambda: any(d["status"] == "dead" for d in delivery_status(pw, answer["id"])))
    dead = next(d for d in delivery_status(pw, answer["id"]) if d["status"] == "dead")
    assert dead["attempts"] == 3 and dead["last_error"] == "connector.server_error"
    assert created["active"]


def test_an_invalid_endpoint_config_is_refused_without_echo(pw):
    r = pw.client.post("/api/v1/admin/tenants/mzwo-centrum/endpoints", headers=pw.headers(),
                       json={"connector": "webhook",
                             "config": {"url": "http://partner.example.org/geheim-pad"}})
    assert r.status_code == 422
    assert r.json["error"]["code"] == "validation.endpoint_config"
    assert r.json["error"]["details"][0]["field"] == "/config/url"
    assert b"geheim-pad" not in r.data
