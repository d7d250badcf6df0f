"""The regiecheck end to end on PostgreSQL and RabbitMQ, with a clock the test moves: asking
the standard list, answers by endpoint and by CloudEvent, the reminder and the expiry."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hub.persistence import tables as t
from tests.integration.pipeline import wait_until
from tests.integration.regiecheck_world import (
    STANDARD,
    answer_event,
    household,
    inbox_events,
    of_type,
    regiecheck_world,
    stop,
)

BEKEND = {"politie": "Wijkagent", "ggd": "Vangnet", "hvo-querido": "Ambulant begeleider"}
SILENT = "wpi"


@pytest.fixture
def world(postgres_url, broker_url, tmp_path):
    w = regiecheck_world(postgres_url, tmp_path, broker_url=broker_url)
    yield w
    stop(w)


def _contact(functie: str) -> dict:
    return {"naam": "A. de Vries", "functie": functie, "telefoon": "020 555 0101"}


def test_a_household_of_two_asked_of_the_standard_list_ends_with_one_partner_verlopen(world):
    w = world
    r = w.client.post("/api/v1/regiechecks", headers=w.headers("mzwo-centrum"),
                      json=household(kenmerk_afzender="RIS-0412"))
    assert r.status_code == 201, r.json
    check_id = r.json["id"]
    assert r.json["status"] == "open"
    assert sorted(p["tenant"] for p in r.json["partners"]) == STANDARD
    assert {p["status"] for p in r.json["partners"]} == {"gevraagd"}
    # Monday 30 November + 3 werkdagen: Thursday 3 December, end of day in Amsterdam.
    assert r.json["deadline"] == "2026-12-03T22:59:59+00:00"

    # Every asked partner's inbox holds exactly one question: persons, soort, deadline, id.
    for partner in STANDARD:
        items = wait_until(lambda p=partner: of_type(inbox_events(w, p), "vraag"))
        assert len(items) == 1
        data = items[0]["event"]["data"]
        assert data["regiecheck_id"] == check_id
        assert set(data) == {"regiecheck_id", "personen", "soort", "overlastsoorten", "deadline"}
        assert [p["achternaam"] for p in data["personen"]] == ["Jansen", "Jansen"]
        assert all("rol" not in p for p in data["personen"])
        assert items[0]["basis"] == "convenant"
        assert items[0]["deadline"] is not None
    assert of_type(inbox_events(w, "cordaan"), "vraag") == []  # case by case: not asked

    # Three know the household (two by endpoint, one by CloudEvent); the others do not; one
    # (WPI) never answers.
    for partner, functie in BEKEND.items():
        body = {"bekend": True, "contact": _contact(functie)}
        if partner == "ggd":
            r = w.client.post("/api/v1/messages", headers=w.headers(partner),
                              json=answer_event(check_id, body, partner))
            assert r.status_code == 202, r.json
            assert [d["recipient"] for d in r.json["deliveries"]] == ["mzwo-centrum"]
        else:
            r = w.client.post(f"/api/v1/regiechecks/{check_id}/antwoord",
                              headers=w.headers(partner), json=body)
            assert r.status_code == 200, r.json
            assert r.json["status"] == "bekend"
    for partner in STANDARD:
        if partner in BEKEND or partner == SILENT:
            continue
        r = w.client.post(f"/api/v1/regiechecks/{check_id}/antwoord",
                          headers=w.headers(partner), json={"bekend": False})
        assert r.status_code == 200, r.json
        assert r.json["status"] == "onbekend"

    # Thursday morning, the last werkdag: a reminder to WPI only.
    w.clock.set_local(2026, 12, 3, 8, 30)
    result = w.container.regiecheck_schedule.run_once()
    assert (result.reminders, result.expired) == (1, 0)
    assert len(wait_until(lambda: of_type(inbox_events(w, SILENT), "herinnering"))) == 1
    assert all(of_type(inbox_events(w, p), "herinnering") == [] for p in STANDARD if p != SILENT)

    # After the term: WPI verlopen, the check verlopen, the asker told.
    w.clock.set_local(2026, 12, 4, 0, 0, 1)
    result = w.container.regiecheck_schedule.run_once()
    assert (result.reminders, result.expired) == (0, 1)
    assert w.container.regiecheck_schedule.run_once().expired == 0  # once only

    r = w.client.get(f"/api/v1/regiechecks/{check_id}", headers=w.headers("mzwo-centrum"))
    assert r.status_code == 200
    assert r.json["status"] == "verlopen"
    rows = {p["tenant"]: p for p in r.json["partners"]}
    assert {t: p["status"] for t, p in rows.items()} == {
        p: ("bekend" if p in BEKEND else "verlopen" if p == SILENT else "onbekend")
        for p in STANDARD}
    assert {t: p["contact"]["functie"] for t, p in rows.items() if "contact" in p} == BEKEND
    assert rows[SILENT]["answered_at"] is None

    # The asker received every answer as an event, and the expiry.
    asker_inbox = wait_until(lambda: (lambda i: i if len(of_type(i, "antwoord")) == len(STANDARD) - 1
                                      and of_type(i, "verlopen") else None)(
        inbox_events(w, "mzwo-centrum")))
    assert of_type(asker_inbox, "verlopen")[0]["event"]["data"]["niet_beantwoord"] == [SILENT]

    # Each partner sees only its own row; nobody but the asker sees the check.
    for partner in STANDARD:
        r = w.client.get("/api/v1/regiechecks/gevraagd", headers=w.headers(partner))
        assert r.status_code == 200
        assert [(i["id"], i["status"]) for i in r.json["items"]] == [
            (check_id, rows[partner]["status"])]
        assert "partners" not in r.json["items"][0]
        assert w.client.get(f"/api/v1/regiechecks/{check_id}",
                            headers=w.headers(partner)).status_code == 404
    other = w.client.get(f"/api/v1/regiechecks/{check_id}", headers=w.headers("mzwo-noord"))
    assert other.status_code == 404
    assert other.json["error"]["code"] == "not_found"

    # A late answer lands, marked late; now everyone answered, so the check is compleet.
    r = w.client.post(f"/api/v1/regiechecks/{check_id}/antwoord", headers=w.headers(SILENT),
                      json={"bekend": False})
    assert r.status_code == 200 and r.json["late"] is True
    r = w.client.get(f"/api/v1/regiechecks/{check_id}", headers=w.headers("mzwo-centrum"))
    assert r.json["status"] == "compleet"
    assert {p["tenant"]: p["late"] for p in r.json["partners"]}[SILENT] is True

    # Every question, answer, reminder and expiry is audited, with ids and hashes only.
    with w.container.engine.connect() as conn:
        audit = conn.execute(t.audit_log.select().where(t.audit_log.c.subject_id == check_id)
                             ).all()
    actions = [a.action for a in audit]
    assert actions.count("regiecheck.vraag") == len(STANDARD)
    assert actions.count("regiecheck.antwoord") == len(STANDARD)
    assert actions.count("regiecheck.herinnering") == 1
    assert actions.count("regiecheck.verlopen") == 1
    # No entry of the whole audit trail holds a person or a contact (the expiry names ids).
    with w.container.engine.connect() as conn:
        every_fact = "\n".join(str(row.facts) for row in conn.execute(select(t.audit_log.c.facts)))
    personal = ["Jansen", "Piet", "1971-03-04", "2009-08-21", "1012 AB", "de Vries",
                "020 555 0101", *BEKEND.values()]
    assert f'"niet_beantwoord":["{SILENT}"]' in every_fact.replace(" ", "")
    assert [value for value in personal if value in every_fact] == []
