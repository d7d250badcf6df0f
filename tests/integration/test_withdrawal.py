"""Withdrawing a consent takes back what the zorgaanbieder has not acknowledged yet: the inbox
item is listed as ``ingetrokken`` without its payload, and a decision record says so. What it
had acknowledged stays as it was. A withdrawal needs a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.pipeline import pipeline_world, stop_world, wait_until
from tests.integration.test_consent_flow import register_consent, register_woning, send_signaal


@pytest.fixture
def ww(database_url, tmp_path):
    w = pipeline_world(database_url, tmp_path)
    yield w
    stop_world(w)


def inbox(w, who: str = "arkin") -> dict[str, dict]:
    items = w.client.get("/api/v1/inbox?status=all", headers=w.headers(who)).json["items"]
    return {i["message_id"]: i for i in items}


def test_an_unacknowledged_inbox_item_is_withdrawn_with_the_consent(ww):
    consent = register_consent(ww)
    register_woning(ww, consent)
    seen, unseen = send_signaal(ww)["id"], send_signaal(ww)["id"]
    wait_until(lambda: {seen, unseen} <= set(inbox(ww)))
    seen_delivery = inbox(ww)[seen]["delivery_id"]
    ack = ww.client.post(f"/api/v1/inbox/{seen_delivery}/ack", headers=ww.headers("arkin"))
    assert ack.status_code == 200

    refused = ww.client.post(f"/api/v1/consents/{consent['id']}/withdraw",
                             headers=ww.headers("arkin"), json={})
    assert refused.status_code == 422
    r = ww.client.post(f"/api/v1/consents/{consent['id']}/withdraw", headers=ww.headers("arkin"),
                       json={"reason": "Cliënt trekt de toestemming in."})
    assert r.status_code == 200, r.json

    items = inbox(ww)
    assert items[unseen]["status"] == "ingetrokken" and items[unseen]["event"] is None
    assert items[seen]["status"] == "acknowledged" and items[seen]["event"]["data"]
    unacknowledged = ww.client.get("/api/v1/inbox", headers=ww.headers("arkin")).json["items"]
    assert [(i["message_id"], i["event"]) for i in unacknowledged] == [(unseen, None)]

    decisions = ww.client.get(f"/api/v1/decisions?message_id={unseen}",
                              headers=ww.headers("arkin")).json["items"]
    [taken_back] = [d for d in decisions if d["phase"] == "withdrawal"]
    assert (taken_back["recipient"], taken_back["decision"], taken_back["reason"],
            taken_back["consent_id"], taken_back["consent_version"]) == (
        "arkin", "deny", "consent withdrawn", consent["id"], 2)
    kept = ww.client.get(f"/api/v1/decisions?message_id={seen}",
                         headers=ww.headers("arkin")).json["items"]
    assert "withdrawal" not in {d["phase"] for d in kept}
    # The meldpunt's copy of the same signaal rests on the convenant and stays.
    assert inbox(ww, "mzwo-centrum")[unseen]["event"] is not None


def test_a_consent_reads_verlopen_once_its_term_is_over(database_url, tmp_path):
    from tests.integration.test_zaken import zaken_world

    w = zaken_world(database_url, tmp_path)
    try:
        now = w.clock.now
        body = {"client": {"achternaam": "Jansen", "voorletters": "P.",
                           "geboortedatum": "1975-03-12"},
                "recipients": ["ymere"], "categories": ["signaal_overlast"],
                "purpose": "Overlast rond de woning samen met de corporatie aanpakken.",
                "necessity": "Zonder signaal kan de begeleiding niet tijdig bijsturen.",
                "valid_until": (now + timedelta(days=30)).isoformat(),
                "evidence": {"sha256": "ab" * 32, "signed_on": now.date().isoformat()}}
        r = w.client.post("/api/v1/consents", json=body, headers=w.headers("hvo-querido"))
        assert r.status_code == 201 and r.json["status"] == "actief", r.json
        w.clock.now = now + timedelta(days=31)
        h = w.headers("hvo-querido")
        assert w.client.get(f"/api/v1/consents/{r.json['id']}", headers=h).json["status"] == \
            "verlopen"
        listed = w.client.get("/api/v1/consents?status=verlopen", headers=h).json["items"]
        assert [c["id"] for c in listed] == [r.json["id"]]
        assert w.client.get("/api/v1/consents?status=actief", headers=h).json["items"] == []
    finally:
        w.container.close()
