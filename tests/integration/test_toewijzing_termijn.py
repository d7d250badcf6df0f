"""A toewijzing must be accepted or refused within 2 werkdagen (the Amsterdam default); the
partner's toewijzing.reactie on the zaak meets the term, either way."""

from __future__ import annotations

import pytest

from tests.integration.pipeline import event, pipeline_world, stop_world


@pytest.fixture
def pw(sqlite_url, tmp_path):
    w = pipeline_world(sqlite_url, tmp_path, start=False)
    yield w
    stop_world(w) if getattr(w, "runtime", None) else w.container.close()


def _termijnen(w, who: str, status: str) -> list[dict]:
    r = w.client.get(f"/api/v1/termijnen?status={status}", headers=w.headers(who))
    assert r.status_code == 200, r.json
    return r.json["items"]


def test_a_toewijzing_carries_a_term_of_two_werkdagen_that_its_reactie_meets(pw):
    sent = pw.client.post("/api/v1/messages", headers=pw.headers("mzwo-centrum"), json=event(
        "nl.ketenhub.toewijzing.v1", {"zaak_kenmerk": "Z-T1", "aan": "arkin"}))
    assert sent.status_code == 202, sent.json
    [lopend] = _termijnen(pw, "arkin", "lopend")
    assert (lopend["flow"], lopend["werkdagen"]) == ("toewijzing", 2)
    status = {d["recipient"]: d for d in pw.client.get(
        f"/api/v1/messages/{sent.json['id']}", headers=pw.headers("mzwo-centrum")).json["deliveries"]}
    assert status["arkin"]["deadline"] == lopend["deadline"]

    reactie = pw.client.post("/api/v1/messages", headers=pw.headers("arkin"), json=event(
        "nl.ketenhub.toewijzing.reactie.v1",
        {"zaak_kenmerk": "Z-T1", "geaccepteerd": False, "reden": "Geen capaciteit deze maand."},
        sender="arkin"))
    assert reactie.status_code == 202, reactie.json
    assert _termijnen(pw, "arkin", "lopend") == []
    [gehaald] = _termijnen(pw, "mzwo-centrum", "gehaald")
    assert gehaald["flow"] == "toewijzing"
