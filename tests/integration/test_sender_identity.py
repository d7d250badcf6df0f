"""A sender is bound to its own identity: ``source`` names its own OIN or KvK-nummer, the
CloudEvents attributes hold opaque references only, and a ``source``+``id`` means one message."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from hub.persistence import tables as t
from tenants.demo import demo_kvk, demo_oin, source_for
from tests.integration.pipeline import pipeline_world, signaal


@pytest.fixture
def w(database_url, tmp_path):
    world = pipeline_world(database_url, tmp_path, start=False)
    yield world
    world.container.close()


def _messages(w) -> int:
    with w.container.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(t.messages)).scalar_one()


def _post(w, body, sender="ymere"):
    return w.client.post("/api/v1/messages", json=body, headers=w.headers(sender))


def test_a_source_with_another_organisations_kvk_is_refused_and_nothing_is_stored(w):
    other = f"urn:nld:kvk:{demo_kvk('arkin')}:systeem:crm"
    r = _post(w, {**signaal(), "source": other})
    assert r.status_code == 422
    assert r.json["error"]["code"] == "cloudevents.source_not_sender"
    assert r.json["error"]["details"] == [{"field": "/source", "rule": "cloudevents.source_not_sender"}]
    assert demo_kvk("arkin").encode() not in r.data
    assert _messages(w) == 0


def test_a_well_formed_kvk_nobody_has_is_refused_too(w):
    r = _post(w, {**signaal(), "source": "urn:nld:kvk:12345678:systeem:crm"})
    assert (r.status_code, r.json["error"]["code"]) == (422, "cloudevents.source_not_sender")


def test_the_senders_own_kvk_and_own_oin_are_both_accepted(w):
    assert _post(w, signaal()).status_code == 202
    own_oin = {**signaal(), "source": f"urn:nld:oin:{demo_oin('ymere')}:systeem:crm"}
    assert _post(w, own_oin).status_code == 202


def test_a_batch_refuses_only_the_event_with_a_foreign_source(w):
    foreign = {**signaal(), "source": source_for("mzwo-centrum")}
    r = w.client.post("/api/v1/messages:batch", headers=w.headers("ymere"),
                      json={"events": [signaal(), foreign]})
    assert [res["status"] for res in r.json["results"]] == [202, 422]
    assert r.json["results"][1]["body"]["error"]["code"] == "cloudevents.source_not_sender"


@pytest.mark.parametrize(("attribute", "value", "code"), [
    ("subject", "Jan de Vries", "cloudevents.subject"),
    ("subject", "Jansen", "cloudevents.subject"),
    ("clientnaam", "Jan de Vries", "cloudevents.extension"),
    ("betreft", "mevrouw Jansen", "cloudevents.extension"),
])
def test_a_name_in_the_subject_or_an_extension_is_refused_and_not_forwarded(w, attribute, value,
                                                                            code):
    r = _post(w, {**signaal(), attribute: value})
    assert (r.status_code, r.json["error"]["code"]) == (422, code)
    assert value.encode() not in r.data
    assert _messages(w) == 0


def test_an_opaque_subject_and_extension_are_kept(w):
    r = _post(w, {**signaal(), "subject": "zaak-2026-17", "traceparent": "00-4bf92f35-01"})
    assert r.status_code == 202


def test_the_same_source_and_id_with_another_payload_is_a_409_mismatch(w):
    first = signaal(event_id="ev-1")
    assert _post(w, first).status_code == 202
    again = _post(w, first)
    assert (again.status_code, again.headers.get("Idempotent-Replayed")) == (200, "true")
    changed = signaal(event_id="ev-1", omschrijving="Iets heel anders, nu met geschreeuw.")
    r = _post(w, changed)
    assert r.status_code == 409
    assert r.json["error"]["code"] == "idempotency.mismatch"
    assert r.json["error"]["details"] == [{"field": "/id", "rule": "idempotency.mismatch"}]
    assert b"geschreeuw" not in r.data
    assert _messages(w) == 1


def test_a_replay_with_its_keys_in_another_order_is_still_a_replay(w):
    first = signaal(event_id="ev-2")
    assert _post(w, first).status_code == 202
    reordered = json.loads(json.dumps(first))
    reordered["data"] = dict(reversed(list(reordered["data"].items())))
    reordered = dict(reversed(list(reordered.items())))
    assert _post(w, reordered).status_code == 200


def test_inside_one_batch_a_twin_with_another_payload_is_a_409(w):
    first = signaal(event_id="ev-3")
    twin = signaal(event_id="ev-3", omschrijving="Ander bericht met hetzelfde id, helaas.")
    r = w.client.post("/api/v1/messages:batch", headers=w.headers("ymere"),
                      json={"events": [first, first, twin]})
    assert [res["status"] for res in r.json["results"]] == [202, 200, 409]
    assert r.json["results"][2]["body"]["error"]["code"] == "idempotency.mismatch"
    assert _messages(w) == 1
