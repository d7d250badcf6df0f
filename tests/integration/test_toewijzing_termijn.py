"""The toewijzing term on PostgreSQL and RabbitMQ with a fake clock: a meldpunt's toewijzing
to a partner on a Thursday must be accepted or refused by the end of Monday (the Amsterdam
default of 2 werkdagen). The term is on the toewijzing message, so a second toewijzing on a
reopened zaak opens a term of its own; the partner's ``toewijzing.reactie`` meets its own
terms on that zaak and nobody else's; unanswered, Tuesday brings one ``termijn.verlopen``."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from hub.flows.calendar import AMSTERDAM
from hub.persistence import tables as t
from tenants.demo import source_for
from tenants.model import Principal
from tests.integration.pipeline import wait_until
from tests.integration.termijnen_world import (
    END_OF_MONDAY,
    HERINNERING,
    MONDAY_MORNING,
    TUESDAY_MORNING,
    VERLOPEN,
    count,
    inbox,
    termijn_world,
    termijnen,
)

TOEWIJZING = "nl.ketenhub.toewijzing.v1"
REACTIE = "nl.ketenhub.toewijzing.reactie.v1"
AFSLUITING = "nl.ketenhub.afsluiting.v1"
MELDPUNT = "mzwo-centrum"


@pytest.fixture
def world(postgres_url, broker_url, tmp_path):
    w = termijn_world(postgres_url, tmp_path, broker_url=broker_url)
    yield w
    w.close()


def toewijzing(w, kenmerk: str, aan: str = "arkin") -> str:
    answer = w.send(MELDPUNT, TOEWIJZING, {"zaak_kenmerk": kenmerk, "aan": aan})
    assert [d["decision"] for d in answer["deliveries"]] == ["permit"]
    return answer["id"]


def reactie_body(who: str, kenmerk: str, geaccepteerd: bool = True, **extra) -> dict:
    data = {"zaak_kenmerk": kenmerk, "geaccepteerd": geaccepteerd, **extra}
    if geaccepteerd:
        data["contact"] = {"naam": "T. de Vries", "functie": "Casemanager"}
    else:
        data["reden"] = "Geen plek binnen het team deze maand."
    return {"specversion": "1.0", "id": str(uuid.uuid4()), "source": source_for(who),
            "type": REACTIE, "data": data}


def reageer(w, who: str, kenmerk: str, geaccepteerd: bool = True, **extra) -> dict:
    r = w.client.post("/api/v1/messages", headers=w.headers(who),
                      json=reactie_body(who, kenmerk, geaccepteerd, **extra))
    assert r.status_code == 202, r.json
    return r.json


def deliveries(w, message_id: str) -> dict[str, dict]:
    r = w.client.get(f"/api/v1/messages/{message_id}", headers=w.headers(MELDPUNT))
    assert r.status_code == 200, r.json
    return {d["recipient"]: d for d in r.json["deliveries"]}


def zaak_terms(w, kenmerk: str) -> list[tuple]:
    """The terms the meldpunt's zaak timeline shows: (message, recipient, flow, status)."""
    r = w.client.get(f"/api/v1/zaken/{kenmerk}", headers=w.headers(MELDPUNT))
    assert r.status_code == 200, r.json
    return [(i["message_id"], o["tenant"], o["termijn"]["flow"], o["termijn_status"])
            for i in r.json["items"] for o in i["ontvangers"] if o["termijn"]]


def test_a_toewijzing_runs_two_werkdagen_in_inbox_and_status_and_a_refusal_meets_it(world):
    w = world
    w.start()
    sent = toewijzing(w, "Z-T1")

    arkin = deliveries(w, sent)["arkin"]
    assert datetime.fromisoformat(arkin["deadline"]) == END_OF_MONDAY
    assert arkin["termijn"]["flow"] == "toewijzing" and arkin["termijn"]["werkdagen"] == 2
    assert arkin["termijn_status"] == "lopend"
    [item] = wait_until(lambda: [i for i in inbox(w, "arkin") if i["message_id"] == sent])
    assert datetime.fromisoformat(item["deadline"]) == END_OF_MONDAY
    assert (item["termijn"]["flow"], item["termijn_status"]) == ("toewijzing", "lopend")
    [owed] = termijnen(w, "arkin", "lopend")
    assert (owed["flow"], owed["bericht_id"], owed["partij"], owed["aan"], owed["werkdagen"]) == (
        "toewijzing", sent, "arkin", MELDPUNT, 2)
    assert [x["id"] for x in termijnen(w, MELDPUNT)] == [owed["id"]]
    assert termijnen(w, "ymere") == [] and termijnen(w, "hvo-querido") == []
    assert zaak_terms(w, "Z-T1") == [(sent, "arkin", "toewijzing", "lopend")]

    w.clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=AMSTERDAM))  # Friday
    reactie = reageer(w, "arkin", "Z-T1", geaccepteerd=False)
    assert [d["recipient"] for d in reactie["deliveries"]] == [MELDPUNT]
    assert termijnen(w, "arkin", "lopend") == []
    [met] = termijnen(w, MELDPUNT, "gehaald")
    assert (met["id"], met["gehaald_door_bericht"]) == (owed["id"], reactie["id"])
    assert deliveries(w, sent)["arkin"]["termijn_status"] == "gehaald"
    assert zaak_terms(w, "Z-T1") == [(sent, "arkin", "toewijzing", "gehaald")]
    with w.container.uow() as uow:
        [gehaald] = uow.audit.list(action="termijn.gehaald")
    assert gehaald["facts"]["antwoord"] == "toewijzing.reactie:geweigerd"
    assert "plek" not in str(gehaald["facts"])

    w.clock.set(TUESDAY_MORNING)
    wait_until(lambda: w.container.watcher.run_once().handled == 0)
    assert count(w, select(func.count()).select_from(t.messages).where(
        t.messages.c.type.in_([VERLOPEN, HERINNERING]))) == 0


def test_an_unanswered_toewijzing_is_reminded_then_expires_once_and_a_late_reactie_leaves_it(world):
    w = world
    sent = toewijzing(w, "Z-T2")
    w.clock.set(MONDAY_MORNING)
    assert w.container.watcher.run_until_idle().reminded == 1
    w.clock.set(TUESDAY_MORNING)
    assert w.container.watcher.run_until_idle().expired == 1
    assert w.container.watcher.run_until_idle().handled == 0

    def sent_of(type_: str) -> list[tuple[str, str]]:
        m, d = t.messages, t.deliveries
        with w.container.engine.connect() as conn:
            return sorted(conn.execute(select(m.c.id, d.c.recipient_tenant_id)
                                       .join(d, d.c.message_id == m.c.id)
                                       .where((m.c.type == type_) & (d.c.connector == "inbox"))))
    assert [r for _, r in sent_of(HERINNERING)] == ["arkin"]
    assert [r for _, r in sent_of(VERLOPEN)] == [MELDPUNT]  # the meldpunt is the party owed
    [verlopen] = termijnen(w, MELDPUNT, "verlopen")
    assert (verlopen["bericht_id"], verlopen["partij"]) == (sent, "arkin")
    assert deliveries(w, sent)["arkin"]["termijn_status"] == "verlopen"
    with w.container.uow() as uow:
        assert [a["subject_id"] for a in uow.alerts.list(kind="termijn.verlopen")] == [
            verlopen["id"]]

    w.clock.set(TUESDAY_MORNING + timedelta(hours=2))
    reageer(w, "arkin", "Z-T2")
    [late] = termijnen(w, "arkin")
    assert late["status"] == "verlopen" and late["gehaald_door_bericht"] is None
    assert len(sent_of(VERLOPEN)) == 1


def test_a_second_toewijzing_on_a_reopened_zaak_opens_its_own_term(world):
    w = world
    first = toewijzing(w, "Z-T3")
    reageer(w, "arkin", "Z-T3")
    closed = w.send(MELDPUNT, AFSLUITING, {"zaak_kenmerk": "Z-T3", "reden": "opgelost"})
    assert [d["recipient"] for d in closed["deliveries"]] == ["arkin"]
    w.clock.set(datetime(2026, 12, 7, 10, 0, tzinfo=AMSTERDAM))  # a Monday, zaak reopened

    second = toewijzing(w, "Z-T3")
    zaak = w.client.get("/api/v1/zaken/Z-T3", headers=w.headers(MELDPUNT)).json
    assert zaak["status"] == "open"
    running = termijnen(w, "arkin", "lopend")
    assert [(x["bericht_id"], x["deadline"][:10]) for x in running] == [(second, "2026-12-09")]
    reactie = reageer(w, "arkin", "Z-T3", toewijzing_id=second)
    by_message = {x["bericht_id"]: x for x in termijnen(w, "arkin")}
    assert {m: x["status"] for m, x in by_message.items()} == {first: "gehaald",
                                                             second: "gehaald"}
    assert by_message[second]["gehaald_door_bericht"] == reactie["id"]
    assert zaak_terms(w, "Z-T3") == [(first, "arkin", "toewijzing", "gehaald"),
                                     (second, "arkin", "toewijzing", "gehaald")]


def test_a_reactie_meets_only_the_reacting_partners_term_and_an_unknown_reference_stores_nothing(
        world):
    w = world
    to_arkin = toewijzing(w, "Z-T4", aan="arkin")
    to_hvo = toewijzing(w, "Z-T4", aan="hvo-querido")
    elsewhere = toewijzing(w, "Z-T5", aan="arkin")
    stored = count(w, select(func.count()).select_from(t.messages))

    for who, body, field in (
            ("ymere", reactie_body("ymere", "Z-T4"), "/data/zaak_kenmerk"),
            ("arkin", reactie_body("arkin", "Z-NOPE"), "/data/zaak_kenmerk"),
            ("arkin", reactie_body("arkin", "Z-T4", toewijzing_id=to_hvo), "/data/toewijzing_id"),
            ("arkin", reactie_body("arkin", "Z-T4", toewijzing_id=elsewhere),
             "/data/toewijzing_id")):
        r = w.client.post("/api/v1/messages", headers=w.headers(who), json=body)
        assert r.status_code == 422, (who, body, r.json)
        assert r.json["error"]["code"] == "validation.unknown_reference"
        assert [d["field"] for d in r.json["error"]["details"]] == [field]
    assert count(w, select(func.count()).select_from(t.messages)) == stored

    reageer(w, "arkin", "Z-T4")
    status = {x["bericht_id"]: x["status"] for x in termijnen(w, MELDPUNT)}
    assert status == {to_arkin: "gehaald", to_hvo: "lopend", elsewhere: "lopend"}
    assert [x["bericht_id"] for x in termijnen(w, "hvo-querido")] == [to_hvo]
    assert {x["bericht_id"] for x in termijnen(w, "arkin")} == {to_arkin, elsewhere}


def test_accepting_a_toewijzing_on_its_web_page_meets_that_toewijzings_term(database_url, tmp_path):
    from tenants.model import Scope
    from tests.integration.web import Browser, web_world

    w = web_world(database_url, tmp_path)
    try:
        meldpunt = Principal(tenant_id="mzwo-west", key_id="k", scopes=frozenset(Scope))
        sent = w.container.intake.accept(meldpunt, {
            "specversion": "1.0", "id": str(uuid.uuid4()),
            "source": "urn:nld:kvk:30000001:systeem:ris", "type": TOEWIJZING,
            "data": {"zaak_kenmerk": "W-1", "aan": "cordaan"}}).answer["id"]
        zorg = Browser(w.app)
        zorg.login(w.people["cordaan"])

        def link():
            page = zorg.get("/inbox").get_data(as_text=True)
            return re.search(r'href="(/inbox/[0-9a-f-]{36})"', page)
        page = wait_until(link).group(1)
        r = zorg.post(page + "/toewijzing", {"besluit": "accepteren", "contact_naam": "A. Bakker"},
                      token_from=page)
        assert r.status_code == 302, zorg.html
        with w.container.uow() as uow:
            [term] = uow.termijnen.for_subjects([sent])
            reactie = uow.messages.get(term.met_by)
        assert term.status.value == "gehaald" and reactie.type == REACTIE
    finally:
        w.runtime.stop()
        w.container.close()
