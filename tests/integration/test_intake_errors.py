"""Each bad input of the intake has its exact error code, echoes nothing, stores nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from hub.persistence import tables as t
from tests.integration.pipeline import pipeline_world, signaal

MARKER = "Zeldzaam-Kenmerk-9913"
BSN = "111222333"  # passes the 11-proof


@pytest.fixture
def w(sqlite_url, tmp_path):
    world = pipeline_world(sqlite_url, tmp_path, start=False)
    yield world
    world.container.close()


def _counts(w) -> dict[str, int]:
    with w.container.engine.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in (("messages", t.messages), ("deliveries", t.deliveries),
                                    ("outbox", t.outbox), ("decisions", t.decisions))}


def _post(w, body, content_type="application/json", key="ymere"):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return w.client.post("/api/v1/messages", data=data, content_type=content_type,
                         headers=w.headers(key))


def _with(path: str, value) -> dict:
    body = signaal()
    node = body
    *parents, last = path.strip("/").split("/")
    for p in parents:
        node = node[p]
    if value is KeyError:
        del node[last]
    else:
        node[last] = value
    return body


CASES = [
    ("malformed json", '{"specversion": "1.0", "id": "' + MARKER, 400, "request.malformed_json",
     None),
    ("wrong content type", json.dumps(signaal()).replace("geluid", "geluid"), 415,
     "request.unsupported_media_type", None),
    ("unknown top-level field", _with("/surprise_field!", MARKER), 422, "validation.unknown_field",
     None),
    ("unknown data field", _with("/data/bsn", MARKER), 422, "validation.unknown_field",
     "/data/bsn"),
    ("unknown nested field", _with("/data/adres/etage", MARKER), 422, "validation.unknown_field",
     "/data/adres/etage"),
    ("wrong specversion", _with("/specversion", "0.3"), 422, "cloudevents.specversion",
     "/specversion"),
    ("source not urn:nld", _with("/source", "https://" + MARKER), 422, "cloudevents.source",
     "/source"),
    ("type not reverse dns", _with("/type", MARKER), 422, "cloudevents.type", "/type"),
    ("unknown type", _with("/type", "nl.ketenhub.onbekend.v1"), 422, "validation.unknown_type",
     "/type"),
    ("missing id", _with("/id", KeyError), 422, "validation.required", "/id"),
    ("missing data field", _with("/data/omschrijving", KeyError), 422, "validation.required",
     "/data/omschrijving"),
    ("bad category", _with("/data/categorieen", [MARKER]), 422, "validation.choice",
     "/data/categorieen/0"),
    ("bad postcode", _with("/data/adres/postcode", MARKER), 422, "validation.format",
     "/data/adres/postcode"),
    ("bsn in free text", _with("/data/omschrijving", f"Buurman heeft BSN {BSN} genoemd."), 422,
     "privacy.bsn", "/data/omschrijving"),
    ("bsn as integer in an extension", _with("/kenmerk", int(BSN)), 422, "privacy.bsn",
     "/kenmerk"),
    ("bsn in the event id", _with("/id", f"ev-{BSN[:3]}.{BSN[3:6]}.{BSN[6:]}"), 422,
     "privacy.bsn", "/id"),
    ("medical data", _with("/data/omschrijving", "Bewoner gebruikt haloperidol 5 mg."), 422,
     "privacy.medical", "/data/omschrijving"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_a_bad_message_gets_its_code_echoes_nothing_and_stores_nothing(w, case):
    name, body, status, code, field = case
    before = _counts(w)
    content_type = "text/plain" if name == "wrong content type" else "application/json"
    r = _post(w, body, content_type)
    assert r.status_code == status, r.data
    error = r.json["error"]
    assert error["code"] == code
    if field is not None:
        assert field in [d["field"] for d in error["details"]]
    for secret in (MARKER, BSN, "haloperidol"):
        assert secret.encode() not in r.data
    assert _counts(w) == before


def test_a_privacy_finding_carries_pointer_and_span_and_the_rejection_is_audited(w):
    text = f"Buurman heeft BSN {BSN} genoemd."
    r = _post(w, _with("/data/omschrijving", text))
    [detail] = r.json["error"]["details"]
    assert detail["rule"] == "privacy.bsn" and detail["field"] == "/data/omschrijving"
    start, end = detail["span"]
    assert text[start:end].replace(" ", "") == BSN
    with w.container.uow() as uow:
        [entry] = uow.audit.list(action="message.rejected")
    assert entry["tenant_id"] == "ymere"
    assert entry["facts"]["findings"] == [{"rule": "privacy.bsn", "field": "/data/omschrijving"}]
    assert BSN not in json.dumps(entry, default=str)


def test_a_key_without_send_scope_is_403_and_a_missing_key_401(w):
    r = w.client.post("/api/v1/admin/tenants/ymere/keys", headers=w.headers(),
                      json={"name": "lezen", "scopes": ["messages:receive"]})
    reader = {"Authorization": f"Bearer {r.json['key']}"}
    assert w.client.post("/api/v1/messages", json=signaal(), headers=reader).json["error"][
        "code"] == "auth.insufficient_scope"
    assert w.client.post("/api/v1/messages", json=signaal()).status_code == 401
    assert _counts(w)["messages"] == 0


def test_cloudevents_content_type_is_accepted(w):
    r = _post(w, signaal(), content_type="application/cloudevents+json")
    assert r.status_code == 202


def test_a_batch_answers_each_event_on_its_own(w):
    good, bad = signaal(), _with("/data/omschrijving", f"BSN {BSN}")
    r = w.client.post("/api/v1/messages:batch", headers=w.headers("ymere"),
                      json={"events": [good, bad, good]})
    assert r.status_code == 200
    statuses = [res["status"] for res in r.json["results"]]
    assert statuses == [202, 422, 200]
    assert r.json["results"][1]["body"]["error"]["code"] == "privacy.bsn"
    assert BSN.encode() not in r.data
    assert _counts(w)["messages"] == 1


def test_a_batch_over_100_events_is_refused_whole(w):
    r = w.client.post("/api/v1/messages:batch", headers=w.headers("ymere"),
                      json={"events": [signaal() for _ in range(101)]})
    assert r.status_code == 422
    assert _counts(w)["messages"] == 0
