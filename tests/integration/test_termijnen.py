"""Termijnen end to end on PostgreSQL and RabbitMQ with a fake clock: a signaal from Ymere
about a begeleide woning of HVO-Querido on a Thursday must be answered by the end of Monday;
unanswered, Tuesday morning brings exactly one ``termijn.verlopen`` each to Ymere and the
area's meldpunt — also with three workers running."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from hub.flows.calendar import AMSTERDAM
from hub.metrics import Metrics
from hub.persistence import tables as t
from tests.integration.pipeline import wait_until
from tests.integration.termijnen_world import (
    END_OF_MONDAY,
    HERINNERING,
    MONDAY_MORNING,
    TUESDAY_MORNING,
    VERLOPEN,
    count,
    inbox,
    signaal_data,
    termijn_world,
    termijnen,
)

SIGNAAL = "nl.ketenhub.signaal.v1"
REACTIE = "nl.ketenhub.signaal.reactie.v1"


@pytest.fixture
def world(postgres_url, broker_url, tmp_path):
    w = termijn_world(postgres_url, tmp_path, broker_url=broker_url)
    yield w
    w.close()


def notices(w, who: str, type_: str) -> list[dict]:
    return [i for i in inbox(w, who) if i["event"]["type"] == type_]


def test_a_signaal_on_thursday_runs_to_the_end_of_monday_and_expires_on_tuesday_once(world):
    w = world
    w.start()
    answer = w.send("ymere", SIGNAAL, signaal_data())
    assert {d["recipient"] for d in answer["deliveries"] if d["decision"] == "permit"} == {
        "mzwo-centrum", "hvo-querido"}

    status = {d["recipient"]: d for d in w.client.get(
        f"/api/v1/messages/{answer['id']}", headers=w.headers("ymere")).json["deliveries"]}
    hvo = status["hvo-querido"]
    assert datetime.fromisoformat(hvo["deadline"]) == END_OF_MONDAY
    assert hvo["termijn"]["flow"] == "signaal_zorgaanbieder" and hvo["termijn"]["werkdagen"] == 2
    assert hvo["termijn_status"] == "lopend"
    assert status["mzwo-centrum"]["deadline"] is None and status["mzwo-centrum"]["termijn"] is None

    [item] = wait_until(lambda: [i for i in inbox(w, "hvo-querido")
                                 if i["message_id"] == answer["id"]])
    assert datetime.fromisoformat(item["deadline"]) == END_OF_MONDAY
    assert item["termijn_status"] == "lopend"
    [owed] = termijnen(w, "hvo-querido")
    assert (owed["partij"], owed["aan"], owed["meldpunt"], owed["werkdagen_over"]) == (
        "hvo-querido", "ymere", "mzwo-centrum", 2)
    assert [x["id"] for x in termijnen(w, "ymere")] == [owed["id"]]
    assert [x["id"] for x in termijnen(w, "mzwo-centrum")] == [owed["id"]]
    assert termijnen(w, "arkin") == []
    assert 'ketenhub_termijnen_open{flow="signaal_zorgaanbieder"} 1.0' in \
        Metrics(w.container.monitoring).render().decode()

    w.clock.set(MONDAY_MORNING)
    [reminder] = wait_until(lambda: notices(w, "hvo-querido", HERINNERING))
    assert reminder["event"]["data"] == {
        "bericht_id": answer["id"], "termijn_id": owed["id"], "flow": "signaal_zorgaanbieder",
        "deadline": END_OF_MONDAY.isoformat(), "partij": "hvo-querido"}
    assert notices(w, "ymere", HERINNERING) == []

    w.clock.set(TUESDAY_MORNING)
    [to_ymere] = wait_until(lambda: notices(w, "ymere", VERLOPEN))
    [to_meldpunt] = wait_until(lambda: notices(w, "mzwo-centrum", VERLOPEN))
    assert to_ymere["message_id"] == to_meldpunt["message_id"]
    assert to_ymere["event"]["data"]["bericht_id"] == answer["id"]
    assert to_ymere["event"]["data"]["partij"] == "hvo-querido"
    assert to_ymere["basis"] == "convenant"
    assert notices(w, "hvo-querido", VERLOPEN) == []
    assert [x["status"] for x in termijnen(w, "hvo-querido")] == ["verlopen"]
    assert termijnen(w, "ymere", "verlopen")[0]["werkdagen_over"] == -1

    with w.container.uow() as uow:
        alerts = uow.alerts.list(kind="termijn.verlopen")
        audit = [a["action"] for a in uow.audit.list() if a["action"].startswith("termijn.")]
        decisions = uow.decisions.for_message(to_ymere["message_id"])
    assert [(a["tenant_id"], a["subject_id"]) for a in alerts] == [("hvo-querido", owed["id"])]
    assert audit == ["termijn.gestart", "termijn.herinnering", "termijn.verlopen"]
    assert {(d["recipient_tenant_id"], d["phase"], d["basis"]) for d in decisions} == {
        ("ymere", "intake", "convenant"), ("mzwo-centrum", "intake", "convenant"),
        ("ymere", "delivery", "convenant"), ("mzwo-centrum", "delivery", "convenant")}
    metrics = Metrics(w.container.monitoring).render().decode()
    assert 'ketenhub_alerts{kind="termijn.verlopen"} 1.0' in metrics
    assert 'ketenhub_termijnen_overdue{flow="signaal_zorgaanbieder"} 1.0' in metrics
    assert 'ketenhub_termijnen_open{flow="signaal_zorgaanbieder"}' not in metrics


def test_with_three_workers_each_expired_term_is_escalated_exactly_once(
        postgres_url, broker_url, tmp_path):
    w = termijn_world(postgres_url, tmp_path, broker_url=broker_url, workers=3, termijn_batch=7)
    try:
        sent = [w.send("ymere", SIGNAAL, signaal_data(kenmerk_afzender=f"YM-{i}"))["id"]
                for i in range(25)]
        w.start()
        w.clock.set(TUESDAY_MORNING)
        wait_until(lambda: count(w, select(func.count()).select_from(t.termijnen).where(
            t.termijnen.c.status == "verlopen")) == len(sent))
        wait_until(lambda: len(notices(w, "ymere", VERLOPEN)) >= len(sent)
                   and len(notices(w, "mzwo-centrum", VERLOPEN)) >= len(sent))
        for who in ("ymere", "mzwo-centrum"):
            about = sorted(n["event"]["data"]["bericht_id"] for n in notices(w, who, VERLOPEN))
            assert about == sorted(sent), who
        assert count(w, select(func.count()).select_from(t.messages).where(
            t.messages.c.type == VERLOPEN)) == len(sent)
        assert count(w, select(func.count()).select_from(t.alerts).where(
            t.alerts.c.kind == "termijn.verlopen")) == len(sent)
        assert count(w, select(func.count()).select_from(t.audit_log).where(
            t.audit_log.c.action == "termijn.verlopen")) == len(sent)
    finally:
        w.close()


def test_a_klager_benaderd_reactie_in_time_meets_the_term_and_nothing_escalates(world):
    w = world
    w.start()
    answer = w.send("ymere", SIGNAAL, signaal_data())
    wait_until(lambda: [i for i in inbox(w, "hvo-querido") if i["message_id"] == answer["id"]])
    w.clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=AMSTERDAM))  # Friday
    w.send("hvo-querido", REACTIE, {"signaal_id": answer["id"], "status": "ontvangen"})
    assert [x["status"] for x in termijnen(w, "hvo-querido")] == ["lopend"]  # an ack is no answer
    reactie = w.send("hvo-querido", REACTIE,
                     {"signaal_id": answer["id"], "status": "klager_benaderd",
                      "toelichting": "Klager gebeld."})
    [met] = termijnen(w, "ymere", "gehaald")
    assert met["gehaald_door_bericht"] == reactie["id"] and met["werkdagen_over"] is None
    status = {d["recipient"]: d for d in w.client.get(
        f"/api/v1/messages/{answer['id']}", headers=w.headers("ymere")).json["deliveries"]}
    assert status["hvo-querido"]["termijn_status"] == "gehaald"

    w.clock.set(TUESDAY_MORNING)
    wait_until(lambda: w.container.watcher.run_once().handled == 0)
    assert count(w, select(func.count()).select_from(t.messages).where(
        t.messages.c.type.in_([VERLOPEN, HERINNERING]))) == 0
    with w.container.uow() as uow:
        assert uow.alerts.list(kind="termijn.verlopen") == []
        [gehaald] = uow.audit.list(action="termijn.gehaald")
    assert gehaald["facts"]["antwoord"] == "signaal.reactie:klager_benaderd"
    assert "Klager" not in json.dumps(gehaald["facts"])
    assert [x["status"] for x in termijnen(w, "hvo-querido")] == ["gehaald"]


def test_a_late_reactie_lands_but_leaves_the_term_verlopen(world):
    w = world
    answer = w.send("ymere", SIGNAAL, signaal_data())
    w.clock.set(TUESDAY_MORNING)
    assert w.container.watcher.run_until_idle().expired == 1
    w.clock.set(TUESDAY_MORNING + timedelta(hours=2))
    w.send("hvo-querido", REACTIE, {"signaal_id": answer["id"], "status": "klager_benaderd"})
    [late] = termijnen(w, "ymere")
    assert late["status"] == "verlopen" and late["gehaald_door_bericht"] is None
