"""Consent end to end: a corporatie's signaal about a begeleide woning reaches the
zorgaanbieder only on the client's consent; withdrawal stops what is still under way."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import inspect

from connectors.errors import RetryableDeliveryError
from consent.model import Provision
from hub.delivery.model import DeliveryStatus
from hub.persistence.database import build_engine
from hub.persistence.migrate import upgrade
from tenants.model import TenantKind
from tests.integration.pipeline import (
    delivery_status,
    pipeline_world,
    signaal,
    stop_world,
    wait_until,
)
from tests.integration.test_delivery_states import ScriptedInbox

ADRES = {"postcode": "1012 AB", "huisnummer": 5}


@pytest.fixture
def cw(sqlite_url, tmp_path):
    w = pipeline_world(sqlite_url, tmp_path)
    yield w
    stop_world(w)


def register_consent(w, **overrides) -> dict:
    now = w.container.clock()
    body = {"client": {"achternaam": "Jansen", "voorvoegsel": "de", "voorletters": "P.",
                       "geboortedatum": "1975-03-12"},
            "recipients": ["ymere"], "categories": ["signaal_overlast", "huurachterstand"],
            "purpose": "Overlast rond de woning samen met de corporatie aanpakken.",
            "necessity": "Zonder signaal kan de begeleiding niet tijdig bijsturen.",
            "valid_until": (now + timedelta(days=365)).isoformat(),
            "evidence": {"sha256": "ab" * 32, "signed_on": now.date().isoformat()}}
    body.update(overrides)
    r = w.client.post("/api/v1/consents", json=body, headers=w.headers("arkin"))
    assert r.status_code == 201, r.json
    return r.json


def register_woning(w, consent: dict, **overrides) -> dict:
    body = {"adres": ADRES, "client_ref": consent["client_ref"], "consent_id": consent["id"],
            "contractvorm": "intermediair"}
    body.update(overrides)
    r = w.client.post("/api/v1/begeleide-woningen", json=body, headers=w.headers("arkin"))
    assert r.status_code == 201, r.json
    return r.json


def send_signaal(w):
    body = signaal()
    body["data"]["adres"] = dict(ADRES)
    r = w.client.post("/api/v1/messages", json=body, headers=w.headers("ymere"))
    assert r.status_code == 202, r.json
    return r.json


def by_recipient(answer: dict) -> dict:
    return {d["recipient"]: d for d in answer["deliveries"]}


def test_a_signaal_about_a_begeleide_woning_reaches_the_zorgaanbieder_on_consent(cw):
    consent = register_consent(cw)
    assert consent["status"] == "actief" and consent["version"] == 1
    assert "Jansen" not in str(consent) and "1975" not in str(consent)
    register_woning(cw, consent)
    answer = send_signaal(cw)
    decisions = by_recipient(answer)
    assert decisions["mzwo-centrum"]["basis"] == "convenant"
    assert decisions["arkin"] == {"recipient": "arkin", "basis": "consent", "decision": "permit",
                                  "reason": "consent"}
    wait_until(lambda: any(i["message_id"] == answer["id"] for i in cw.client.get(
        "/api/v1/inbox", headers=cw.headers("arkin")).json["items"]))
    [item] = cw.client.get("/api/v1/inbox", headers=cw.headers("arkin")).json["items"]
    assert item["basis"] == "consent"
    recorded = cw.client.get(f"/api/v1/decisions?message_id={answer['id']}",
                             headers=cw.headers("arkin")).json["items"]
    assert {(d["phase"], d["consent_id"], d["consent_version"]) for d in recorded} == {
        ("intake", consent["id"], 1), ("delivery", consent["id"], 1)}

    r = cw.client.post(f"/api/v1/consents/{consent['id']}/withdraw", headers=cw.headers("arkin"),
                       json={"reason": "Cliënt trekt toestemming in."})
    assert r.status_code == 200 and r.json["status"] == "ingetrokken" and r.json["version"] == 2
    after = by_recipient(send_signaal(cw))
    assert after["arkin"] == {"recipient": "arkin", "basis": "consent", "decision": "deny",
                              "reason": "consent withdrawn"}
    assert after["mzwo-centrum"]["decision"] == "permit"
    versions = cw.client.get(f"/api/v1/consents/{consent['id']}",
                             headers=cw.headers("arkin")).json["versions"]
    assert [(v["version"], v["status"]) for v in versions] == [(1, "actief"), (2, "ingetrokken")]


def test_the_sender_sees_the_recipients_decision_and_basis_but_never_its_consent_or_client(cw):
    consent = register_consent(cw)
    register_woning(cw, consent)
    answer = send_signaal(cw)
    seen = cw.client.get(f"/api/v1/decisions?message_id={answer['id']}",
                         headers=cw.headers("ymere")).json["items"]
    arkin = [d for d in seen if d["recipient"] == "arkin"]
    assert arkin and all(d["basis"] == "consent" and d["decision"] == "permit" for d in arkin)
    assert all(d["consent_id"] is None and d["client_ref"] is None for d in arkin)
    assert consent["client_ref"] not in json.dumps(seen) and consent["id"] not in json.dumps(seen)
    probe = cw.client.get(f"/api/v1/decisions?client_ref={consent['client_ref']}",
                          headers=cw.headers("ymere")).json["items"]
    assert probe == []
    own = cw.client.get(f"/api/v1/decisions?client_ref={consent['client_ref']}",
                        headers=cw.headers("arkin")).json["items"]
    assert own and {d["consent_id"] for d in own} == {consent["id"]}


@pytest.mark.parametrize("url", ["sqlite_url", "postgres_url"])
def test_in_a_batch_only_the_signalen_at_a_begeleide_woning_go_to_its_zorgaanbieder(
        url, request, tmp_path):
    w = pipeline_world(request.getfixturevalue(url), tmp_path, start=False)
    try:
        register_woning(w, register_consent(w))
        events = [signaal() for _ in range(4)]
        events[1]["data"]["adres"] = dict(ADRES)
        events[3]["data"]["adres"] = {**ADRES, "huisletter": "B"}  # another address
        r = w.client.post("/api/v1/messages:batch", json={"events": events},
                          headers=w.headers("ymere"))
        assert r.status_code == 200, r.json
        recipients = [sorted(d["recipient"] for d in res["body"]["deliveries"])
                      for res in r.json["results"]]
        assert recipients == [["mzwo-centrum"], ["arkin", "mzwo-centrum"], ["mzwo-centrum"],
                              ["mzwo-centrum"]]
    finally:
        w.container.close()


def test_without_consent_for_the_sender_the_zorgaanbieder_is_denied(cw):
    consent = register_consent(cw, recipients=["mzwo-centrum"])
    register_woning(cw, consent)
    decisions = by_recipient(send_signaal(cw))
    assert (decisions["arkin"]["decision"], decisions["arkin"]["reason"]) == ("deny", "no consent")


def test_a_new_consent_names_organisations_and_one_stored_with_a_kind_keeps_working(cw):
    now = cw.container.clock()
    refused = cw.client.post("/api/v1/consents", headers=cw.headers("arkin"), json={
        "client": {"achternaam": "Jansen", "voorletters": "P.", "geboortedatum": "1975-03-12"},
        "recipients": ["woningcorporatie", {"kind": "ggd"}], "categories": ["signaal_overlast"],
        "purpose": "Overlast rond de woning samen aanpakken.",
        "necessity": "Zonder signaal kan de begeleiding niet bijsturen.",
        "valid_until": (now + timedelta(days=30)).isoformat(),
        "evidence": {"sha256": "ab" * 32, "signed_on": now.date().isoformat()}})
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "consent.recipient_not_organisation"
    assert "organisatie" in refused.json["error"]["message"]
    assert refused.json["error"]["details"] == [
        {"field": "/recipients/0", "rule": "consent.recipient_not_organisation"},
        {"field": "/recipients/1", "rule": "consent.recipient_not_organisation"}]
    assert "woningcorporatie" not in refused.json["error"]["message"]
    assert cw.client.get("/api/v1/consents", headers=cw.headers("arkin")).json["items"] == []

    # A consent stored before the rule, naming "woningcorporatie": Ymere's signaal still goes.
    consent = register_consent(cw, recipients=["mzwo-centrum"])
    with cw.container.uow() as uow:
        stored = uow.consents.latest(consent["id"])
        uow.consents.add_version(replace(stored, version=2, provisions=(
            Provision("permit", tenant_kind=TenantKind.WONINGCORPORATIE),)))
        uow.commit()
    register_woning(cw, consent)
    assert by_recipient(send_signaal(cw))["arkin"]["decision"] == "permit"


def test_a_withdrawal_between_intake_and_delivery_blocks_and_the_sender_sees_it(cw):
    cw.runtime.stop()
    consent = register_consent(cw)
    register_woning(cw, consent)
    answer = send_signaal(cw)
    r = cw.client.post(f"/api/v1/consents/{consent['id']}/withdraw", headers=cw.headers("arkin"),
                       json={"reason": "Cliënt trekt in."})
    assert r.status_code == 200
    for view in delivery_status(cw, answer["id"]):
        cw.container.processor.process(view["delivery_id"])
    views = {v["recipient"]: v for v in delivery_status(cw, answer["id"])}
    assert (views["arkin"]["status"], views["arkin"]["reason"]) == ("blocked", "consent withdrawn")
    assert views["mzwo-centrum"]["status"] == "delivered"
    assert cw.client.get("/api/v1/inbox", headers=cw.headers("arkin")).json["items"] == []


def test_a_huurachterstand_goes_to_the_zorgaanbieder_only_during_waakvlam(cw):
    consent = register_consent(cw)
    today = cw.container.clock().date()
    register_woning(cw, consent, contractvorm="eigen_naam",
                    omklap_datum=(today - timedelta(days=300)).isoformat())
    other = register_consent(cw, client={"achternaam": "Bakker", "voorletters": "K.",
                                         "geboortedatum": "1960-01-01"})
    register_woning(cw, other, adres={"postcode": "1013 CD", "huisnummer": 9},
                    contractvorm="eigen_naam",
                    omklap_datum=(today - timedelta(days=3 * 365)).isoformat())

    def huurachterstand(adres):
        from tests.integration.pipeline import event

        body = event("nl.ketenhub.huurachterstand.v1", {"adres": adres, "maanden_achterstand": 2},
                     sender="ymere")
        return cw.client.post("/api/v1/messages", json=body, headers=cw.headers("ymere")).json

    during = huurachterstand({"postcode": "1012AB", "huisnummer": 5})
    assert [(d["recipient"], d["decision"]) for d in during["deliveries"]] == [("arkin", "permit")]
    after = huurachterstand({"postcode": "1013CD", "huisnummer": 9})
    assert after["deliveries"] == [{"recipient": "arkin", "basis": None, "decision": "deny",
                                    "reason": "waakvlam ended"}]


def test_withdrawal_under_load_blocks_every_queued_and_retrying_delivery(sqlite_url, tmp_path):
    w = pipeline_world(sqlite_url, tmp_path, start=False, max_attempts=50)
    inbox = ScriptedInbox()
    w.container.connectors["inbox"] = inbox
    try:
        consent = register_consent(w)
        register_woning(w, consent)
        inbox.fail["arkin"] = RetryableDeliveryError("connector.timeout")
        answers = [send_signaal(w) for _ in range(500)]
        assert all(by_recipient(a)["arkin"]["decision"] == "permit" for a in answers)
        w.runtime.start()
        wait_until(lambda: _count(w, "arkin", DeliveryStatus.RETRYING) >= 50, timeout=120)
        w.runtime.stop()
        withdrawn = w.client.post(f"/api/v1/consents/{consent['id']}/withdraw",
                                  headers=w.headers("arkin"),
                                  json={"reason": "Cliënt trekt in."}).json
        del inbox.fail["arkin"]
        w.runtime = type(w.runtime)(w.container)
        w.runtime.start()
        wait_until(lambda: _count(w, "arkin", DeliveryStatus.BLOCKED) == 500, timeout=180)
        with w.container.uow() as uow:
            rows = [d for a in answers for d in uow.deliveries.for_message(a["id"])
                    if d.recipient == "arkin"]
        assert len(rows) == 500
        assert {d.status for d in rows} == {DeliveryStatus.BLOCKED}
        assert all(d.delivered_at is None for d in rows)
        assert all(d.status_reason == "consent withdrawn" for d in rows)
        assert withdrawn["withdrawn_at"]
        meldpunt = [d for a in answers for d in delivery_status(w, a["id"])
                    if d["recipient"] == "mzwo-centrum"]
        assert {d["status"] for d in meldpunt} == {"delivered"}
    finally:
        stop_world(w)


def _count(w, recipient: str, status: DeliveryStatus) -> int:
    with w.container.uow() as uow:
        return sum(1 for d in uow.deliveries.list_by_status(status, after=None, limit=1000,
                                                             recipient=recipient))


IDENTITY_WORDS = ("achternaam", "voornam", "voorletter", "voorvoegsel", "geboorte", "birth",
                  "name", "naam", "bsn")


def test_no_identity_field_exists_in_the_consent_tables(database_url):
    engine = build_engine(database_url)
    try:
        upgrade(engine)
        inspector = inspect(engine)
        for table in ("consent_versions", "consent_provisions", "begeleide_woningen",
                      "decisions"):
            columns = [c["name"].lower() for c in inspector.get_columns(table)]
            assert columns, table
            offending = [c for c in columns if any(word in c for word in IDENTITY_WORDS)]
            assert offending == [], (table, offending)
    finally:
        engine.dispose()
