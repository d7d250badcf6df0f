"""Seed 004, the begeleide woning's life: Ymere's signaal at an intermediair-rented woning
reaches HVO-Querido (here: arkin) on the client's consent; the omklap is recorded by PATCH;
during the 2-year waakvlam huurachterstand flows; after it nothing does, and the answer says
why (a deny with its reason, recorded as a decision)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tenants.demo import source_for
from tests.integration.pipeline import pipeline_world, signaal
from tests.integration.test_consent_flow import ADRES, register_consent, register_woning


@pytest.fixture
def lw(database_url, tmp_path):
    w = pipeline_world(database_url, tmp_path, start=False)
    yield w
    w.container.close()


def send(w, body: dict) -> dict:
    r = w.client.post("/api/v1/messages", json=body, headers=w.headers("ymere"))
    assert r.status_code == 202, r.json
    return {d["recipient"]: d for d in r.json["deliveries"]} | {"_id": r.json["id"]}


def signaal_at_woning() -> dict:
    body = signaal()
    body["data"]["adres"] = dict(ADRES)
    return body


def huurachterstand() -> dict:
    return {"specversion": "1.0", "id": str(uuid.uuid4()),
            "source": source_for("ymere"),
            "type": "nl.ketenhub.huurachterstand.v1",
            "data": {"adres": dict(ADRES), "maanden_achterstand": 2}}


def patch(w, woning_id: str, body: dict, who: str = "arkin", status: int = 200) -> dict:
    r = w.client.patch(f"/api/v1/begeleide-woningen/{woning_id}", json=body,
                       headers=w.headers(who))
    assert r.status_code == status, r.json
    return r.json


def test_the_seed_004_story_from_intermediaire_verhuur_to_the_end_of_the_waakvlam(lw):
    consent = register_consent(lw)
    woning = register_woning(lw, consent)
    assert send(lw, signaal_at_woning())["arkin"]["decision"] == "permit"
    assert "arkin" not in send(lw, huurachterstand())  # intermediair: the zorgaanbieder rents it

    today = lw.container.clock().date()
    omklap = (today - timedelta(days=400)).isoformat()
    changed = patch(lw, woning["id"], {"contractvorm": "eigen_naam", "omklap_datum": omklap})
    assert changed["contractvorm"] == "eigen_naam" and changed["omklap_datum"] == omklap
    assert changed["waakvlam_until"] > today.isoformat()
    during = send(lw, huurachterstand())
    assert during["arkin"] == {"recipient": "arkin", "basis": "consent", "decision": "permit",
                               "reason": "consent"}

    long_ago = (today - timedelta(days=3 * 365)).isoformat()
    patch(lw, woning["id"], {"omklap_datum": long_ago})
    for answer in (send(lw, huurachterstand()), send(lw, signaal_at_woning())):
        assert answer["arkin"] == {"recipient": "arkin", "basis": None, "decision": "deny",
                                   "reason": "waakvlam ended"}
        recorded = lw.client.get(f"/api/v1/decisions?message_id={answer['_id']}",
                                 headers=lw.headers("ymere")).json["items"]
        assert [(d["recipient"], d["decision"], d["reason"]) for d in recorded
                if d["recipient"] == "arkin"] == [("arkin", "deny", "waakvlam ended")]


def test_the_end_of_the_arrangement_stops_signalen_and_only_the_zorgaanbieder_changes_it(lw):
    consent = register_consent(lw)
    woning = register_woning(lw, consent)
    other = lw.client.patch(f"/api/v1/begeleide-woningen/{woning['id']}",
                            json={"einde_datum": "2026-01-01"}, headers=lw.headers("ymere"))
    missing = lw.client.patch("/api/v1/begeleide-woningen/bw_nope",
                              json={"einde_datum": "2026-01-01"}, headers=lw.headers("ymere"))
    assert other.status_code == missing.status_code == 404 and other.json == missing.json
    refused = patch(lw, woning["id"], {"omklap_datum": "2025-01-01"}, status=422)
    assert refused["error"]["details"] == [{"field": "/omklap_datum",
                                            "rule": "consent.omklap_requires_eigen_naam"}]
    assert patch(lw, woning["id"], {"bsn": "x"}, status=422)["error"]["code"] == \
        "validation.unknown_field"

    ended = patch(lw, woning["id"], {"einde_datum": lw.container.clock().date().isoformat()})
    assert ended["einde_datum"] == lw.container.clock().date().isoformat()
    assert send(lw, signaal_at_woning())["arkin"]["reason"] == "begeleide woning ended"
