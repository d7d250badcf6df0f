"""Endpoint subscriptions (``types``) and changes (``PATCH``): validated by the connector as at
creation, secrets masked in the answer, one audit entry per change, no value echoed in an
error; a subscribed endpoint gets only its types while the inbox still holds everything."""

from __future__ import annotations

import json

import pytest

from tests.contract.conftest import WebhookReceiver
from tests.integration.pipeline import delivery_status, pipeline_world, signaal, stop_world, wait_until
from tests.integration.regiecheck_world import household, inbox_events, of_type, regiecheck_world, stop

SIGNAAL = "nl.ketenhub.signaal.v1"
VRAAG = "nl.ketenhub.regiecheck.vraag.v1"
BASE = "/api/v1/admin/tenants/mzwo-centrum/endpoints"


@pytest.fixture
def pw(sqlite_url, tmp_path):
    w = pipeline_world(sqlite_url, tmp_path)
    with WebhookReceiver() as receiver:
        w.receiver = receiver
        yield w
    stop_world(w)


def _create(w, **body):
    r = w.client.post(BASE, headers=w.headers(), json={
        "connector": "webhook", "config": {"url": w.receiver.url("/ok")}, **body})
    assert r.status_code == 201, r.json
    w.receiver.accepted_secrets.append(r.json["secret"])
    return r.json


def _changes(w, endpoint_id: str) -> list[dict]:
    with w.container.uow() as uow:
        return [e for e in uow.audit.list(action="endpoint.changed")
                if e["subject_id"] == endpoint_id]


def test_an_endpoint_is_created_with_a_subscription_and_shows_it(pw):
    created = _create(pw, types=[SIGNAAL, SIGNAAL])
    assert created["types"] == [SIGNAAL]
    listed = pw.client.get(BASE, headers=pw.headers()).json["items"]
    assert [e["types"] for e in listed] == [[SIGNAAL]]
    everything = _create(pw)
    assert everything["types"] is None


def test_an_unknown_type_is_refused_naming_its_place_not_its_value(pw):
    r = pw.client.post(BASE, headers=pw.headers(), json={
        "connector": "webhook", "config": {"url": pw.receiver.url("/ok")},
        "types": [SIGNAAL, "nl.geheim.type.v1"]})
    assert r.status_code == 422
    assert "nl.geheim.type.v1" not in r.get_data(as_text=True)
    assert {"field": "/types/1", "rule": "validation.choice"} in r.json["error"]["details"]
    assert pw.client.get(BASE, headers=pw.headers()).json["items"] == []


def test_a_patch_changes_url_types_timeout_and_max_attempts_with_one_audit_entry(pw):
    created = _create(pw)
    r = pw.client.patch(f"{BASE}/{created['id']}", headers=pw.headers(), json={
        "url": pw.receiver.url("/ok?token=geheim"), "types": [SIGNAAL], "timeout_s": 2.5,
        "max_attempts": 4})
    assert r.status_code == 200, r.json
    assert r.json["types"] == [SIGNAAL] and r.json["max_attempts"] == 4
    assert r.json["config"]["timeout_s"] == 2.5
    assert "geheim" not in r.get_data(as_text=True) and "secret" not in r.json
    [entry] = _changes(pw, created["id"])
    assert entry["facts"]["fields"] == ["config.timeout_s", "config.url", "max_attempts", "types"]
    assert "geheim" not in json.dumps(entry, default=str)
    again = pw.client.patch(f"{BASE}/{created['id']}", headers=pw.headers(),
                            json={"types": [SIGNAAL], "max_attempts": 4})
    assert again.status_code == 200 and len(_changes(pw, created["id"])) == 1
    # The new URL is used with the same signing secret: the next signaal arrives verified.
    answer = pw.client.post("/api/v1/messages", json=signaal(), headers=pw.headers("ymere")).json
    wait_until(lambda: {d["status"] for d in delivery_status(pw, answer["id"])} == {"delivered"})
    assert len(pw.receiver.received) == 1 and pw.receiver.rejected == []


def test_a_patch_back_to_every_type_and_the_default_attempts_is_a_change(pw):
    created = _create(pw, types=[SIGNAAL], max_attempts=3)
    r = pw.client.patch(f"{BASE}/{created['id']}", headers=pw.headers(),
                        json={"types": None, "max_attempts": None})
    assert r.status_code == 200 and (r.json["types"], r.json["max_attempts"]) == (None, None)
    [entry] = _changes(pw, created["id"])
    assert entry["facts"]["fields"] == ["max_attempts", "types"]


def test_an_invalid_patch_changes_nothing_and_echoes_no_value(pw):
    created = _create(pw)
    for body, field in (({"url": "ftp://geheim.example/x"}, "/config/url"),
                        ({"timeout_s": 999}, "/config/timeout_s"),
                        ({"config": {"geheim_veld": 1}}, "/config/geheim_veld"),
                        ({"types": ["geheim"]}, "/types/0"),
                        ({"max_attempts": 0}, "max_attempts")):
        r = pw.client.patch(f"{BASE}/{created['id']}", headers=pw.headers(), json=body)
        assert r.status_code == 422, (body, r.json)
        text = r.get_data(as_text=True)
        assert "ftp://" not in text and "999" not in text and '"geheim"' not in text
        assert field in text
    now = pw.client.get(f"{BASE}/{created['id']}", headers=pw.headers()).json
    kept = ("config", "types", "max_attempts", "updated_at")
    assert {k: now[k] for k in kept} == {k: created[k] for k in kept}
    assert _changes(pw, created["id"]) == []


def test_an_amqp_patch_keeps_the_broker_password_sealed_and_masked(pw):
    r = pw.client.post(BASE, headers=pw.headers(), json={"connector": "amqp", "config": {
        "url": "amqp://kh:wachtwoord@127.0.0.1:5672/%2F", "exchange": "kh",
        "routing_key": "in"}})
    assert r.status_code == 201, r.json
    p = pw.client.patch(f"{BASE}/{r.json['id']}", headers=pw.headers(),
                        json={"config": {"routing_key": "signalen"}, "timeout_s": 4})
    assert p.status_code == 200, p.json
    assert p.json["config"]["routing_key"] == "signalen"
    assert "wachtwoord" not in p.get_data(as_text=True)
    with pw.container.uow() as uow:
        resolved = pw.container.endpoints.resolve(uow, r.json["id"], "mzwo-centrum",
                                                  pw.container.clock())
    assert resolved.secret_config["url"] == "amqp://kh:wachtwoord@127.0.0.1:5672/%2F"


def test_a_changed_subscription_applies_to_the_very_next_message(pw):
    created = _create(pw, types=["nl.ketenhub.toewijzing.reactie.v1"])

    def connectors_of_next_message() -> list[str]:
        answer = pw.client.post("/api/v1/messages", json=signaal(),
                                headers=pw.headers("ymere")).json
        return sorted(v["connector"] for v in delivery_status(pw, answer["id"]))

    assert connectors_of_next_message() == ["inbox"]
    pw.client.patch(f"{BASE}/{created['id']}", headers=pw.headers(), json={"types": [SIGNAAL]})
    assert connectors_of_next_message() == ["inbox", "webhook"]


@pytest.fixture
def rw(sqlite_url, tmp_path):
    w = regiecheck_world(sqlite_url, tmp_path)
    with WebhookReceiver() as signalen, WebhookReceiver() as vragen:
        w.signalen, w.vragen = signalen, vragen
        yield w
    stop(w)


def test_an_endpoint_subscribed_to_signaal_gets_no_regiecheck_vraag_while_the_inbox_holds_it(rw):
    w = rw
    for receiver, types in ((w.signalen, [SIGNAAL]), (w.vragen, [VRAAG])):
        r = w.client.post("/api/v1/admin/tenants/politie/endpoints", headers=w.headers(),
                          json={"connector": "webhook", "config": {"url": receiver.url("/ok")},
                                "types": types})
        assert r.status_code == 201, r.json
        receiver.accepted_secrets.append(r.json["secret"])
    r = w.client.post("/api/v1/regiechecks", headers=w.headers("mzwo-centrum"), json=household())
    assert r.status_code == 201, r.json
    [vraag] = wait_until(lambda: of_type(inbox_events(w, "politie"), "vraag"))
    [pushed] = wait_until(lambda: list(w.vragen.received))
    assert pushed.event["type"] == VRAAG and pushed.event["id"] == vraag["event"]["id"]
    assert pushed.delivery_id == vraag["delivery_id"]  # one identity on every channel
    with w.container.uow() as uow:
        deliveries = uow.deliveries.for_message(vraag["message_id"])
    assert sorted(d.connector for d in deliveries) == ["inbox", "webhook"]
    assert w.signalen.requests == []
