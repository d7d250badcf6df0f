"""The regiecheck's HTTP contract on PostgreSQL: refusals in the one error shape that store
nothing, the melder rule, the repeat with the same kenmerk, and the same state from an answer by
CloudEvent as from one by endpoint."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from hub.persistence import tables as t
from tests.integration.regiecheck_world import (
    STANDARD,
    answer_event,
    household,
    regiecheck_world,
    stop,
)

CONTACT = {"naam": "A. de Vries", "functie": "wijkagent", "telefoon": "020 555 0101"}
REDEN = "Melder lijkt zelf de overlast te veroorzaken"


@pytest.fixture
def world(postgres_url, tmp_path):
    w = regiecheck_world(postgres_url, tmp_path, start=False)
    yield w
    stop(w)


def _ask(w, **extra):
    r = w.client.post("/api/v1/regiechecks", headers=w.headers("mzwo-centrum"),
                      json=household(**extra))
    assert r.status_code == 201, r.json
    return r.json["id"]


def _counts(w) -> dict[str, int]:
    with w.container.engine.connect() as conn:
        return {table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (t.messages, t.deliveries, t.regiechecks, t.outbox)}


def _partner_rows(w, check_id: str) -> dict[str, str]:
    with w.container.engine.connect() as conn:
        return {r.tenant_id: r.status for r in conn.execute(
            select(t.regiecheck_partners).where(t.regiecheck_partners.c.regiecheck_id == check_id))}


@pytest.mark.parametrize("body", [
    {"bekend": True, "contact": CONTACT, "toelichting": "Cliënt sinds 2019 in zorg"},
    {"bekend": True, "contact": CONTACT, "diagnose": "schizofrenie"},
    {"bekend": True, "contact": CONTACT | {"dossier": {"sinds": "2019"}}},
    {"bekend": False, "contact": CONTACT},
], ids=["toelichting", "diagnose", "nested extra", "contact when unknown"])
def test_an_answer_beyond_dat_informatie_is_refused_by_endpoint_and_cloudevent_storing_nothing(
        world, body):
    w = world
    check_id = _ask(w)
    before = _counts(w)
    r = w.client.post(f"/api/v1/regiechecks/{check_id}/antwoord", headers=w.headers("politie"),
                      json=body)
    assert r.status_code == 422
    assert r.json["error"]["code"] == "privacy.dat_informatie"
    assert all(not d["field"].startswith("/data") for d in r.json["error"]["details"])
    r = w.client.post("/api/v1/messages", headers=w.headers("politie"),
                      json=answer_event(check_id, body, "politie"))
    assert r.status_code == 422
    assert r.json["error"]["code"] == "privacy.dat_informatie"
    assert b"2019" not in r.data and b"schizofrenie" not in r.data
    assert _counts(w) == before
    assert _partner_rows(w, check_id)["politie"] == "gevraagd"


@pytest.mark.parametrize(("contact", "code"), [
    (CONTACT | {"functie": "bsn 111222333"}, "privacy.bsn"),
    (CONTACT | {"functie": "behandelaar van zijn schizofrenie"}, "privacy.medical"),
])
def test_a_bsn_or_medical_term_in_a_contact_field_is_refused_with_the_privacy_code(
        world, contact, code):
    w = world
    check_id = _ask(w)
    before = _counts(w)
    r = w.client.post(f"/api/v1/regiechecks/{check_id}/antwoord", headers=w.headers("ggd"),
                      json={"bekend": True, "contact": contact})
    assert r.status_code == 422 and r.json["error"]["code"] == code
    assert r.json["error"]["details"][0]["field"] == "/contact/functie"
    assert b"111222333" not in r.data
    r = w.client.post("/api/v1/messages", headers=w.headers("ggd"),
                      json=answer_event(check_id, {"bekend": True, "contact": contact}, "ggd"))
    assert r.status_code == 422 and r.json["error"]["code"] == code
    assert r.json["error"]["details"][0]["field"] == "/data/contact/functie"
    assert b"111222333" not in r.data
    assert _counts(w) == before
    assert _partner_rows(w, check_id)["ggd"] == "gevraagd"


def test_a_melder_without_a_reason_is_refused_and_nothing_is_asked(world):
    w = world
    body = household()
    body["personen"][0]["rol"] = "melder"
    before = _counts(w)
    r = w.client.post("/api/v1/regiechecks", headers=w.headers("mzwo-centrum"), json=body)
    assert r.status_code == 422
    assert r.json["error"]["code"] == "regiecheck.melder_zonder_reden"
    assert _counts(w) == before


def test_a_melder_with_a_reason_is_asked_and_the_reason_is_in_no_delivery(world):
    w = world
    body = household(reden_melder=REDEN)
    body["personen"].append({"achternaam": "Bakker", "geboortedatum": "1980-01-01",
                             "rol": "melder"})
    r = w.client.post("/api/v1/regiechecks", headers=w.headers("mzwo-centrum"), json=body)
    assert r.status_code == 201, r.json
    with w.container.engine.connect() as conn:
        ids = [row.id for row in conn.execute(select(t.deliveries.c.id))]
        stored = conn.execute(select(t.regiechecks.c.payload)).scalar_one()
        audit = [row.facts for row in conn.execute(select(t.audit_log.c.facts))]
    assert len(ids) == len(STANDARD)
    for delivery_id in ids:
        w.container.processor.process(delivery_id)
    for partner in STANDARD:
        items = w.client.get("/api/v1/inbox", headers=w.headers(partner)).json["items"]
        assert len(items) == 1
        text = json.dumps(items[0]["event"])
        assert REDEN not in text and "melder" not in text
        assert [p["achternaam"] for p in items[0]["event"]["data"]["personen"]] == [
            "Jansen", "Jansen", "Bakker"]
    assert REDEN.encode() not in stored  # sealed with the meldpunt's data key
    assert REDEN not in json.dumps(audit)
    assert any("reden_melder_sha256" in facts for facts in audit)


def test_a_repeat_with_the_same_kenmerk_afzender_returns_the_check_with_200(world):
    w = world
    first = w.client.post("/api/v1/regiechecks", headers=w.headers("mzwo-centrum"),
                          json=household(kenmerk_afzender="RIS-7"))
    before = _counts(w)
    again = w.client.post("/api/v1/regiechecks", headers=w.headers("mzwo-centrum"),
                          json=household(kenmerk_afzender="RIS-7"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json["id"] == first.json["id"]
    assert _counts(w) == before
    # Another meldpunt may use the same reference for a check of its own.
    other = w.client.post("/api/v1/regiechecks", headers=w.headers("mzwo-noord"),
                          json=household(kenmerk_afzender="RIS-7"))
    assert other.status_code == 201 and other.json["id"] != first.json["id"]


def test_a_partner_outside_the_network_is_refused_naming_it(world):
    w = world
    before = _counts(w)
    r = w.client.post("/api/v1/regiechecks", headers=w.headers("mzwo-centrum"),
                      json=household(extra_partners=["arkin"]))
    assert r.status_code == 422
    assert r.json["error"]["code"] == "regiecheck.partner_niet_in_netwerk"
    assert r.json["error"]["details"][0]["field"] == "/extra_partners/0"
    assert "arkin" in r.json["error"]["details"][0]["message"]
    assert _counts(w) == before


def test_an_answer_by_cloudevent_gives_the_same_state_as_one_by_endpoint(world):
    w = world
    by_endpoint, by_event = _ask(w), _ask(w)
    answers = {"politie": {"bekend": True, "contact": CONTACT}, "ggd": {"bekend": False}}
    for partner, body in answers.items():
        r = w.client.post(f"/api/v1/regiechecks/{by_endpoint}/antwoord",
                          headers=w.headers(partner), json=body)
        assert r.status_code == 200, r.json
        r = w.client.post("/api/v1/messages", headers=w.headers(partner),
                          json=answer_event(by_event, body, partner))
        assert r.status_code == 202, r.json

    def state(check_id):
        view = w.client.get(f"/api/v1/regiechecks/{check_id}",
                            headers=w.headers("mzwo-centrum")).json
        return view["status"], view["partners"]

    assert state(by_endpoint) == state(by_event)
    rows = {p["tenant"]: p for p in state(by_event)[1]}
    assert rows["politie"]["contact"] == CONTACT and rows["ggd"]["status"] == "onbekend"
    with w.container.engine.connect() as conn:
        to_asker = conn.execute(select(func.count()).select_from(t.messages).where(
            t.messages.c.type == "nl.ketenhub.regiecheck.antwoord.v1")).scalar_one()
    assert to_asker == 4


def test_an_answer_to_a_check_the_sender_was_not_asked_in_is_refused(world):
    w = world
    check_id = _ask(w)
    r = w.client.post("/api/v1/messages", headers=w.headers("cordaan"),
                      json=answer_event(check_id, {"bekend": False}, "cordaan"))
    assert r.status_code == 422
    assert r.json["error"]["code"] == "validation.unknown_reference"
    r = w.client.post(f"/api/v1/regiechecks/{check_id}/antwoord", headers=w.headers("cordaan"),
                      json={"bekend": False})
    assert r.status_code == 404


def test_each_asked_partner_carries_the_regiecheck_term_and_its_status_for_asker_and_partner(
        world):
    w = world
    check_id = _ask(w)
    r = w.client.post(f"/api/v1/regiechecks/{check_id}/antwoord", headers=w.headers("politie"),
                      json={"bekend": False})
    assert r.status_code == 200, r.json
    assert (r.json["termijn"], r.json["termijn_status"]) == (
        {"flow": "regiecheck", "werkdagen": 3}, "gehaald")
    view = w.client.get(f"/api/v1/regiechecks/{check_id}", headers=w.headers("mzwo-centrum")).json
    assert {p["tenant"]: (p["termijn"]["werkdagen"], p["termijn_status"])
            for p in view["partners"]} == {
        p: (3, "gehaald" if p == "politie" else "lopend") for p in STANDARD}
    [asked] = w.client.get("/api/v1/regiechecks/gevraagd", headers=w.headers("ggd")).json["items"]
    assert (asked["termijn"], asked["termijn_status"]) == (
        {"flow": "regiecheck", "werkdagen": 3}, "lopend")


def test_the_regiecheck_term_is_in_the_term_store_inbox_and_status_and_an_answer_meets_it(world):
    w = world
    check_id = _ask(w)
    view = w.client.get(f"/api/v1/regiechecks/{check_id}", headers=w.headers("mzwo-centrum")).json
    with w.container.uow() as uow:
        question = {p.tenant_id: p.message_id for p in uow.regiechecks.get(check_id).partners}
    [owed] = w.client.get("/api/v1/termijnen", headers=w.headers("ggd")).json["items"]
    assert (owed["flow"], owed["bericht_id"], owed["aan"], owed["werkdagen"], owed["status"]) == (
        "regiecheck", question["ggd"], "mzwo-centrum", 3, "lopend")
    assert owed["deadline"] == view["deadline"]
    status = w.client.get(f"/api/v1/messages/{question['ggd']}",
                          headers=w.headers("mzwo-centrum")).json["deliveries"]
    assert [(d["recipient"], d["termijn"]["flow"], d["termijn_status"]) for d in status] == [
        ("ggd", "regiecheck", "lopend")]

    r = w.client.post("/api/v1/messages", headers=w.headers("ggd"),
                      json=answer_event(check_id, {"bekend": False}, "ggd"))
    assert r.status_code == 202, r.json
    [met] = w.client.get("/api/v1/termijnen", headers=w.headers("ggd")).json["items"]
    assert (met["status"], met["gehaald_door_bericht"]) == ("gehaald", r.json["id"])
    asker = w.client.get("/api/v1/termijnen", headers=w.headers("mzwo-centrum")).json["items"]
    assert sorted(x["partij"] for x in asker) == sorted(question)
    assert {x["status"] for x in asker if x["partij"] != "ggd"} == {"lopend"}
