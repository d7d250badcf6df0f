"""The edges of the request parser: JSON that Python would take but the hub must not, and
headers past the limits. Each is a clear 4xx in the one error shape, with nothing stored."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from hub.persistence import tables as t
from tests.integration.pipeline import pipeline_world, signaal

BSN = "111222333"


@pytest.fixture
def w(sqlite_url, tmp_path):
    world = pipeline_world(sqlite_url, tmp_path, start=False)
    yield world
    world.container.close()


def _messages(w) -> int:
    with w.container.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(t.messages)).scalar_one()


def _raw(w, text: str, path: str = "/api/v1/messages"):
    return w.client.post(path, data=text.encode("utf-8"), content_type="application/json",
                         headers=w.headers("ymere"))


def _event_text(**replace: str) -> str:
    text = json.dumps(signaal())
    for old, new in replace.items():
        text = text.replace(old, new, 1)
    return text


def _duplicate_omschrijving() -> str:
    # The first "omschrijving" holds a BSN, the second is harmless: last-wins would hide it.
    text = _event_text()
    return text.replace('"omschrijving": ', f'"omschrijving": "BSN {BSN}", "omschrijving": ', 1)


CASES = [
    ("a duplicate key hiding a BSN", _duplicate_omschrijving),
    ("a duplicate top-level key", lambda: _event_text().replace(
        '"type": ', '"type": "nl.ketenhub.urgent.v1", "type": ', 1)),
    ("a lone high surrogate", lambda: _event_text().replace(
        "Harde muziek", "Harde \\ud800 muziek", 1)),
    ("a lone low surrogate in a key", lambda: _event_text().replace(
        '"kenmerk_afzender"', '"kenmerk\\udc00"', 1)),
    ("an integer of 5,000 digits", lambda: _event_text().replace(
        '"huisnummer": 12', '"huisnummer": ' + "9" * 5000, 1)),
    ("an integer of 70 digits", lambda: _event_text().replace(
        '"huisnummer": 12', '"huisnummer": ' + "1" * 70, 1)),
    ("NaN", lambda: _event_text().replace('"huisnummer": 12', '"huisnummer": NaN', 1)),
    ("Infinity", lambda: _event_text().replace('"huisnummer": 12', '"huisnummer": -Infinity', 1)),
    ("a float overflowing to infinity", lambda: _event_text().replace(
        '"huisnummer": 12', '"huisnummer": 1e999', 1)),
]


@pytest.mark.parametrize("make", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_json_python_would_take_is_400_malformed_json_and_nothing_is_stored(w, make):
    r = _raw(w, make())
    assert r.status_code == 400, r.data
    assert r.json["error"]["code"] == "request.malformed_json"
    assert BSN.encode() not in r.data
    assert _messages(w) == 0


@pytest.mark.parametrize("path", ["/api/v1/messages:batch", "/api/v1/privacy/check",
                                  "/api/v1/admin/tenants"])
def test_every_json_route_refuses_duplicate_keys(w, path):
    r = _raw(w, '{"input": "a", "input": "b", "events": [], "id": "x"}', path)
    if path == "/api/v1/admin/tenants":
        r = w.client.post(path, data='{"id": "a", "id": "b"}', content_type="application/json",
                          headers=w.headers())
    assert (r.status_code, r.json["error"]["code"]) == (400, "request.malformed_json")


def test_paired_surrogate_escapes_and_long_but_sane_numbers_still_pass(w):
    text = _event_text(**{"Harde muziek": "Harde \\ud83c\\udfb5 muziek"})
    assert _raw(w, text).status_code == 202


def test_more_than_the_allowed_headers_is_431(w):
    headers = {**w.headers("ymere"), **{f"X-Extra-{i}": "v" for i in range(150)}}
    r = w.client.get("/api/v1/inbox", headers=headers)
    assert (r.status_code, r.json["error"]["code"]) == (431, "request.header_too_large")
    assert b"X-Extra" not in r.data


def test_headers_over_the_size_limit_are_431_also_outside_the_api(w):
    r = w.client.get("/healthz", headers={"X-Big": "a" * 100_000})
    assert (r.status_code, r.json["error"]["code"]) == (431, "request.header_too_large")
    assert len(r.data) < 1000
