"""The Utrecht chain of seed 002 end to end, on the demo networks (PostgreSQL + RabbitMQ, fake
clock): Mitros's aanmelding → U Centraal's toestemmingsverzoek → Mitros's reactie ``gegeven`` →
U Centraal's aanmelding.reactie ``in_behandeling``, each with its term and status."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest

from hub.app import create_app
from hub.bootstrap import bootstrap
from hub.config import Config
from hub.flows.calendar import AMSTERDAM
from hub.persistence.migrate import upgrade
from hub.runtime import Runtime
from tenants.demo import DemoServices, load_demo, source_for
from tests.integration.conftest import new_master_key
from tests.integration.pipeline import wait_until
from tests.integration.termijnen_world import FakeClock

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)
HOME = {"postcode": "3511 AB", "huisnummer": 4}


@pytest.fixture
def utrecht(postgres_url, broker_url, tmp_path):
    clock = FakeClock(MONDAY)
    config = Config(data_dir=tmp_path, database_url=postgres_url, broker_url=broker_url,
                    master_key=new_master_key(), bus_prefix=f"kh-test-{uuid.uuid4().hex[:8]}",
                    termijn_interval_s=0.05, reconcile_interval_s=0.1)
    c = bootstrap(config, clock=clock)
    upgrade(c.engine)
    keys = load_demo(DemoServices(c.tenants, c.keys, c.networks))
    runtime = Runtime(c)
    runtime.start()
    client = create_app(config, c).test_client()

    class U:
        pass

    u = U()
    u.clock, u.container, u.client, u.keys = clock, c, client, keys

    def send(who, type_, data, status=202):
        r = client.post("/api/v1/messages", headers={"Authorization": f"Bearer {keys[who]}"},
                        json={"specversion": "1.0", "id": str(uuid.uuid4()),
                              "source": source_for(who),
                              "type": f"nl.ketenhub.{type_}.v1", "data": data})
        assert r.status_code == status, r.json
        return r.json

    def get(who, path):
        r = client.get(path, headers={"Authorization": f"Bearer {keys[who]}"})
        assert r.status_code == 200, r.json
        return r.json

    u.send, u.get = send, get
    yield u
    runtime.stop()
    bus = c.bus
    c.close()
    bus.delete_all()


def term_of(u, sender: str, message_id: str, recipient: str) -> dict:
    deliveries = u.get(sender, f"/api/v1/messages/{message_id}")["deliveries"]
    return next(d for d in deliveries if d["recipient"] == recipient)


def test_the_utrecht_chain_runs_each_step_within_its_term(utrecht):
    u = utrecht
    aanmelding = u.send("mitros", "aanmelding", {
        "adres": HOME, "eigendom": "corporatie", "woningcorporatie": "mitros",
        "overlastvormen": ["geluid", "vervuiling", "intimidatie"],
        "criteria": {"woongerelateerd": True, "ernstig_of_drie_maanden": True,
                     "meerdere_vormen": True, "complexe_problematiek": True,
                     "voorliggende_partij_heeft_ingezet": True, "meerdere_disciplines": True},
        "omschrijving": "Al maanden geluid, vervuiling en intimidatie van buren.",
        "kenmerk_afzender": "MIT-2026-9"})
    assert [(d["recipient"], d["decision"], d["basis"]) for d in aanmelding["deliveries"]] == [
        ("u-centraal", "permit", "convenant")]
    at_u = term_of(u, "mitros", aanmelding["id"], "u-centraal")
    assert (at_u["termijn"]["flow"], at_u["termijn"]["werkdagen"], at_u["termijn_status"]) == (
        "aanmelding", 5, "lopend")
    assert datetime.fromisoformat(at_u["deadline"]) == datetime(2026, 11, 30, 23, 59, 59,
                                                                tzinfo=AMSTERDAM)
    [item] = wait_until(lambda: u.get("u-centraal", "/api/v1/inbox")["items"])
    assert item["message_id"] == aanmelding["id"] and item["termijn"]["flow"] == "aanmelding"

    u.clock.set(MONDAY + timedelta(days=1))  # Tuesday
    verzoek = u.send("u-centraal", "toestemmingsverzoek", {
        "aanmelding_id": aanmelding["id"], "aan": "mitros", "adres": HOME})
    at_mitros = term_of(u, "u-centraal", verzoek["id"], "mitros")
    assert (at_mitros["termijn"]["flow"], at_mitros["termijn"]["werkdagen"]) == (
        "toestemmingsverzoek", 3)
    assert datetime.fromisoformat(at_mitros["deadline"]).date().isoformat() == "2026-11-27"

    u.clock.set(MONDAY + timedelta(days=2))  # Wednesday
    u.send("mitros", "toestemmingsverzoek.reactie", {"verzoek_id": verzoek["id"],
                                                       "status": "gegeven"})
    assert term_of(u, "u-centraal", verzoek["id"], "mitros")["termijn_status"] == "gehaald"
    assert term_of(u, "mitros", aanmelding["id"], "u-centraal")["termijn_status"] == "lopend"

    u.send("u-centraal", "aanmelding.reactie", {"aanmelding_id": aanmelding["id"],
                                                 "status": "in_behandeling"})
    assert term_of(u, "mitros", aanmelding["id"], "u-centraal")["termijn_status"] == "gehaald"
    terms = {x["flow"]: x for x in u.get("u-centraal", "/api/v1/termijnen")["items"]}
    assert {f: (x["status"], x["partij"], x["aan"]) for f, x in terms.items()} == {
        "aanmelding": ("gehaald", "u-centraal", "mitros"),
        "toestemmingsverzoek": ("gehaald", "mitros", "u-centraal")}
    replies = wait_until(lambda: [i for i in u.get("mitros", "/api/v1/inbox")["items"]
                                  if i["event"]["type"] == "nl.ketenhub.aanmelding.reactie.v1"])
    assert replies[0]["event"]["data"]["status"] == "in_behandeling"

    u.clock.set(MONDAY + timedelta(days=14))
    assert u.container.watcher.run_until_idle().handled == 0
    assert u.get("mitros", "/api/v1/termijnen?status=verlopen")["items"] == []


def test_only_a_recipient_of_the_aanmelding_can_ask_permission_or_answer_it(utrecht):
    u = utrecht
    aanmelding = u.send("portaal", "aanmelding", {
        "adres": HOME, "eigendom": "particuliere_verhuur", "overlastvormen": ["geluid"],
        "criteria": {"woongerelateerd": True, "ernstig_of_drie_maanden": True,
                     "meerdere_vormen": False, "complexe_problematiek": True,
                     "voorliggende_partij_heeft_ingezet": True, "meerdere_disciplines": True},
        "omschrijving": "Aanhoudende geluidsoverlast in de nacht.", "kenmerk_afzender": "P-1"})
    refused = u.send("victas", "aanmelding.reactie", {"aanmelding_id": aanmelding["id"],
                                                      "status": "in_behandeling"}, status=422)
    assert refused["error"]["code"] == "validation.unknown_reference"
    refused = u.send("mitros", "toestemmingsverzoek.reactie",
                     {"verzoek_id": aanmelding["id"], "status": "gegeven"}, status=422)
    assert refused["error"]["code"] == "validation.unknown_reference"
    [x] = u.get("portaal", "/api/v1/termijnen")["items"]
    assert (x["flow"], x["status"], x["partij"]) == ("aanmelding", "lopend", "u-centraal")


def test_a_toewijzing_by_u_centraal_runs_the_default_two_werkdagen_until_the_partner_answers(
        utrecht):
    u = utrecht
    sent = u.send("u-centraal", "toewijzing", {"zaak_kenmerk": "UC-1", "aan": "lister"})
    lister = term_of(u, "u-centraal", sent["id"], "lister")
    assert (lister["termijn"]["flow"], lister["termijn"]["werkdagen"], lister["termijn_status"]) == (
        "toewijzing", 2, "lopend")
    assert lister["deadline"].startswith("2026-11-25T22:59:59")  # end of Wednesday, Amsterdam
    u.send("lister", "toewijzing.reactie", {"zaak_kenmerk": "UC-1", "toewijzing_id": sent["id"],
                                           "geaccepteerd": True, "contact": {"naam": "J. Smit"}})
    assert term_of(u, "u-centraal", sent["id"], "lister")["termijn_status"] == "gehaald"
