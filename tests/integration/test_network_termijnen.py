"""A network's terms through the admin API: per flow in werkdagen, closing days and the
Bevrijdingsdag setting; defaults from the seeds when omitted; bad input refused whole."""

from __future__ import annotations

from tests.integration.pipeline import event

BASE = {"id": "amsterdam", "name": "Amsterdam",
        "parties": [{"tenant_id": "mzwo-centrum", "role": "meldpunt"},
                    {"tenant_id": "ymere", "role": "woningcorporatie"},
                    {"tenant_id": "arkin", "role": "zorgaanbieder"}],
        "areas": [{"tenant_id": "mzwo-centrum", "pc4_from": 1011, "pc4_to": 1018}]}


def test_a_network_without_terms_gets_the_seeds_defaults(sqlite_world):
    w = sqlite_world
    r = w.client.post("/api/v1/admin/networks", headers=w.headers(), json=BASE)
    assert r.status_code == 201, r.json
    assert {x["flow"]: x["werkdagen"] for x in r.json["termijnen"]} == {
        "signaal_zorgaanbieder": 2, "toewijzing": 2}
    assert r.json["bevrijdingsdag"] == "lustrum" and r.json["closing_days"] == []


def test_terms_closing_days_and_bevrijdingsdag_are_stored_and_shown(sqlite_world):
    w = sqlite_world
    body = {**BASE, "termijnen": [{"flow": "signaal_zorgaanbieder", "werkdagen": 3,
                                   "gehaald_door": ["signaal.reactie:afgehandeld"]}],
            "closing_days": ["2026-12-24", "2026-12-31"], "bevrijdingsdag": "jaarlijks"}
    assert w.client.post("/api/v1/admin/networks", headers=w.headers(), json=body).status_code == 201
    got = w.client.get("/api/v1/admin/networks/amsterdam", headers=w.headers("ymere")).json
    assert got["termijnen"] == [{"flow": "signaal_zorgaanbieder", "werkdagen": 3,
                                 "gehaald_door": ["signaal.reactie:afgehandeld"]}]
    assert got["closing_days"] == ["2026-12-24", "2026-12-31"]
    assert got["bevrijdingsdag"] == "jaarlijks"
    body["termijnen"], body["closing_days"] = [], []
    r = w.client.put("/api/v1/admin/networks/amsterdam", headers=w.headers(), json=body)
    assert r.status_code == 200 and r.json["termijnen"] == [] and r.json["closing_days"] == []


def test_bad_terms_are_refused_whole_with_every_problem_named(sqlite_world):
    w = sqlite_world
    body = {**BASE, "termijnen": [
        {"flow": "Signaal Zorg", "werkdagen": 2},
        {"flow": "toewijzing", "werkdagen": 0},
        {"flow": "toewijzing", "werkdagen": 2, "gehaald_door": ["<script>"]}],
        "bevrijdingsdag": "nooit"}
    r = w.client.post("/api/v1/admin/networks", headers=w.headers(), json=body)
    assert r.status_code == 422
    assert "<script>" not in r.get_data(as_text=True)
    fields = {d["field"] for d in r.json["error"]["details"]}
    assert {"/bevrijdingsdag", "/termijnen/1/werkdagen"} <= fields
    assert w.client.get("/api/v1/admin/networks/amsterdam",
                        headers=w.headers()).status_code == 404
    body = {**BASE, "termijnen": [{"flow": "Signaal Zorg", "werkdagen": 2},
                                  {"flow": "toewijzing", "werkdagen": 2},
                                  {"flow": "toewijzing", "werkdagen": 2,
                                   "gehaald_door": ["<script>"]}]}
    r = w.client.post("/api/v1/admin/networks", headers=w.headers(), json=body)
    assert r.status_code == 422
    assert {d["field"] for d in r.json["error"]["details"]} == {
        "/termijnen/0/flow", "/termijnen/2/flow", "/termijnen/2/gehaald_door/0"}


def test_a_network_closing_day_moves_the_deadline_of_a_delivery(sqlite_world):
    w = sqlite_world
    from datetime import datetime

    from hub.flows.calendar import AMSTERDAM, Werkdagen, local_date

    now = w.container.clock()
    tomorrow = Werkdagen().add(local_date(now), 1)
    body = {**BASE, "closing_days": [tomorrow.isoformat()], "flows": [
        {"message_type": "nl.ketenhub.aanmelding.v1", "from_kind": "woningcorporatie",
         "to_kind": "meldpunt", "basis": "convenant"}],
        "termijnen": [{"flow": "aanmelding", "werkdagen": 1,
                       "gehaald_door": ["aanmelding.reactie:in_behandeling"]}]}
    assert w.client.post("/api/v1/admin/networks", headers=w.headers(), json=body).status_code == 201
    r = w.client.post("/api/v1/messages", headers=w.headers("ymere"), json=event(
        "nl.ketenhub.aanmelding.v1", {
            "adres": {"postcode": "1012 AB", "huisnummer": 3}, "eigendom": "corporatie",
            "woningcorporatie": "ymere", "overlastvormen": ["geluid"],
            "criteria": {"woongerelateerd": True, "ernstig_of_drie_maanden": True,
                         "meerdere_vormen": True, "complexe_problematiek": True,
                         "voorliggende_partij_heeft_ingezet": True,
                         "meerdere_disciplines": True},
            "omschrijving": "Aanhoudende overlast.", "kenmerk_afzender": "Y-1"}, sender="ymere"))
    assert r.status_code == 202, r.json
    [d] = w.client.get(f"/api/v1/messages/{r.json['id']}", headers=w.headers("ymere")).json[
        "deliveries"]
    deadline = datetime.fromisoformat(d["deadline"]).astimezone(AMSTERDAM)
    assert deadline.date() == Werkdagen(closing_days=frozenset({tomorrow})).add(local_date(now), 1)
    assert deadline.date() > tomorrow
