"""Inzage (AVG art. 15) on the demo networks: a person's messages of every type and basis are
found through the pseudonyms stored with them — naming the person (urgent, toewijzing,
regiecheck), shared on the person's consent (a signaal at their begeleide woning) and about
their address while registered there (an Utrecht aanmelding) — and a namesake born on
another day finds none of them. The identity lands in no URL, log line or audit entry."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import timedelta

import pytest
from click.testing import CliRunner

from hub.app import create_app
from hub.bootstrap import bootstrap
from hub.cli import cli
from hub.config import Config
from hub.persistence.migrate import upgrade
from tenants.demo import DemoServices, load_demo, source_for
from tenants.model import Principal, Scope
from tests.integration.conftest import new_master_key

PERSOON = {"achternaam": "Vries", "voorvoegsel": "de", "voornamen": "Johanna Maria",
           "geboortedatum": "1968-05-17"}
NAMESAKE = {**PERSOON, "geboortedatum": "1968-05-18"}
DAMRAK = {"postcode": "1012 AB", "huisnummer": 12}
WONING = {"postcode": "1012 AB", "huisnummer": 40}
UTRECHT = {"postcode": "3511 AB", "huisnummer": 4}
CONTACT = {"naam": "R. Bakker", "functie": "procesregisseur", "telefoon": "020-5550100"}


class Demo:
    def __init__(self, database_url: str, tmp_path) -> None:
        self.env = {"KETENHUB_DATA_DIR": str(tmp_path), "KETENHUB_DATABASE_URL": database_url,
                    "KETENHUB_MASTER_KEY": new_master_key(), "KETENHUB_BROKER_URL": ""}
        config = Config(data_dir=tmp_path, database_url=database_url,
                        master_key=self.env["KETENHUB_MASTER_KEY"])
        self.container = c = bootstrap(config)
        upgrade(c.engine)
        self.keys = load_demo(DemoServices(c.tenants, c.keys, c.networks))
        self.client = create_app(config, c).test_client()

    def headers(self, who: str) -> dict:
        return {"Authorization": f"Bearer {self.keys[who]}"}

    def post(self, who: str, path: str, body: dict, status: int = 202) -> dict:
        r = self.client.post(path, json=body, headers=self.headers(who))
        assert r.status_code == status, r.json
        return r.json

    def send(self, who: str, type_: str, data: dict) -> dict:
        return self.post(who, "/api/v1/messages", {
            "specversion": "1.0", "id": str(uuid.uuid4()), "source": source_for(who),
            "type": f"nl.ketenhub.{type_}.v1", "data": data})

    def inzage(self, who: str, body: dict, status: int = 200) -> dict:
        return self.post(who, "/api/v1/inzage", body, status)


@pytest.fixture
def demo(database_url, tmp_path):
    d = Demo(database_url, tmp_path)
    yield d
    d.container.close()


def _person_everywhere(d: Demo) -> dict[str, str]:
    """Five types about PERSOON; returns {type: message id} (the regiecheck: one question)."""
    ids = {}
    ids["urgent"] = d.send("mzwo-centrum", "urgent", {
        "personen": [PERSOON], "adres": DAMRAK, "contact": CONTACT,
        "situatieschets": "Dreigende escalatie in het trappenhuis."})["id"]
    ids["toewijzing"] = d.send("mzwo-centrum", "toewijzing", {
        "zaak_kenmerk": "MZWO-2026-0099", "aan": "hvo-querido", "personen": [PERSOON],
        "adres": DAMRAK})["id"]
    d.post("mzwo-centrum", "/api/v1/regiechecks", {
        "personen": [PERSOON], "soort": "overlast", "overlastsoorten": ["geluid"],
        "partners": ["politie-amsterdam"]}, status=201)
    now = d.container.clock()
    consent = d.post("hvo-querido", "/api/v1/consents", {
        "client": PERSOON, "recipients": ["ymere"], "categories": ["signaal_overlast"],
        "purpose": "Overlast rond de woning samen met de corporatie aanpakken.",
        "necessity": "Zonder signaal kan de begeleiding niet tijdig bijsturen.",
        "valid_until": (now + timedelta(days=300)).isoformat(),
        "evidence": {"sha256": "cd" * 32, "signed_on": now.date().isoformat()}}, status=201)
    d.post("hvo-querido", "/api/v1/begeleide-woningen", {
        "adres": WONING, "client_ref": consent["client_ref"], "consent_id": consent["id"],
        "contractvorm": "intermediair"}, status=201)
    signaal = d.send("ymere", "signaal", {
        "soort": "overlast", "categorieen": ["geluid"], "adres": WONING,
        "omschrijving": "Harde muziek na middernacht.", "waargenomen_op": "2026-11-01",
        "melder_type": "omwonende", "kenmerk_afzender": "YM-1"})
    assert {x["recipient"]: x["decision"] for x in signaal["deliveries"]}["hvo-querido"] == "permit"
    ids["signaal"] = signaal["id"]
    ids["aanmelding"] = d.send("mitros", "aanmelding", {
        "adres": UTRECHT, "eigendom": "corporatie", "woningcorporatie": "mitros",
        "overlastvormen": ["geluid"], "omschrijving": "Langdurige ernstige geluidsoverlast.",
        "kenmerk_afzender": "MIT-7", "criteria": {
            "woongerelateerd": True, "ernstig_of_drie_maanden": True, "meerdere_vormen": True,
            "complexe_problematiek": True, "voorliggende_partij_heeft_ingezet": True,
            "meerdere_disciplines": True}})["id"]
    return ids


ADRESSEN = [{"adres": UTRECHT, "van": "2020-01-01"}]


def test_a_person_with_messages_of_five_types_gets_all_of_them_and_a_namesake_none(demo):
    ids = _person_everywhere(demo)
    report = demo.inzage("hub-admin", {"persoon": PERSOON, "adressen": ADRESSEN})
    by_id = {m["message_id"]: m for m in report["messages"]}
    assert set(ids.values()) <= set(by_id)
    types = {m["type"].split(".")[2] for m in report["messages"]}
    assert {"urgent", "toewijzing", "regiecheck", "signaal", "aanmelding"} <= types
    assert by_id[ids["urgent"]]["via"] == "persoon"
    assert by_id[ids["signaal"]]["via"] in ("toestemming", "adres")
    assert by_id[ids["aanmelding"]]["via"] == "adres"
    signaal = by_id[ids["signaal"]]
    hvo = next(r for r in signaal["recipients"] if r["recipient"] == "hvo-querido")
    assert hvo["basis"] == "consent" and hvo["consent_id"] and hvo["consent_version"] == 1
    urgent = by_id[ids["urgent"]]
    assert urgent["sender"] == "mzwo-centrum" and urgent["status"] == "bewaard"
    assert urgent["activity"] == "urgent" and urgent["purpose"] and "naam" in urgent["categories"]
    assert {r["recipient"] for r in urgent["recipients"]} >= {"ggd-amsterdam", "politie-amsterdam"}

    namesake = demo.inzage("hub-admin", {"persoon": NAMESAKE})
    assert namesake["messages"] == []
    assert namesake["subject_ref"] != report["subject_ref"]


def test_a_tenants_privacy_officer_sees_only_what_its_tenant_sent_or_received(demo):
    ids = _person_everywhere(demo)
    ymere = demo.inzage("ymere", {"persoon": PERSOON})
    assert [m["message_id"] for m in ymere["messages"]] == [ids["signaal"]]
    # The sender sees the recipient's decision and basis, never its consent.
    assert all(r["consent_id"] is None for r in ymere["messages"][0]["recipients"])
    hvo = demo.inzage("hvo-querido", {"persoon": PERSOON})
    seen = {m["message_id"] for m in hvo["messages"]}
    assert {ids["toewijzing"], ids["signaal"]} <= seen and ids["urgent"] not in seen
    own = next(m for m in hvo["messages"] if m["message_id"] == ids["signaal"])
    assert [r["recipient"] for r in own["recipients"]] == ["hvo-querido"]
    assert own["recipients"][0]["consent_id"]
    assert demo.inzage("mitros", {"persoon": PERSOON})["messages"] == []


def test_the_identity_lands_in_no_log_line_or_audit_entry_and_the_inzage_is_audited(demo, caplog):
    _person_everywhere(demo)
    with caplog.at_level(logging.DEBUG):
        report = demo.inzage("ymere", {"persoon": PERSOON})
    with demo.container.uow() as uow:
        entries = uow.audit.list(action="inzage.performed")
        everything = json.dumps(uow.audit.list(), default=str)
    assert len(entries) == 1
    assert entries[0]["tenant_id"] == "ymere"
    # The entry holds the hub's pseudonym; ymere reads it as its own, as in the report.
    audit = demo.client.get("/api/v1/audit?activity=inzage.performed",
                            headers=demo.headers("ymere")).json["items"]
    assert [e["subject_ref"] for e in audit] == [report["subject_ref"]]
    assert entries[0]["subject_ref"] != report["subject_ref"]
    for text in (everything, caplog.text):
        assert "Vries" not in text and "1968-05-17" not in text and "Johanna" not in text


def test_an_identity_without_a_usable_name_is_refused_naming_the_field_not_the_value(demo):
    r = demo.client.post("/api/v1/inzage", json={"persoon": {"achternaam": "Vries",
                                                             "geboortedatum": "1968-05-17"}},
                         headers=demo.headers("hub-admin"))
    assert r.status_code == 422
    assert r.json["error"]["details"][0]["field"].startswith("/persoon/")
    assert "Vries" not in r.get_data(as_text=True)
    bad_date = demo.client.post("/api/v1/inzage", json={"persoon": {**PERSOON,
                                                                    "geboortedatum": "17-05-1968"}},
                                headers=demo.headers("hub-admin"))
    assert bad_date.status_code == 422 and "17-05-1968" not in bad_date.get_data(as_text=True)


def test_inzage_needs_the_audit_read_scope(demo):
    _, key = demo.container.keys.issue(Principal.system(), "ymere", name="zonder audit",
                                       scopes=frozenset({Scope.MESSAGES_SEND}))
    r = demo.client.post("/api/v1/inzage", json={"persoon": PERSOON},
                         headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 403


def test_the_cli_reads_the_person_on_stdin_and_answers_in_dutch(demo, monkeypatch):
    ids = _person_everywhere(demo)
    for name, value in demo.env.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    text = runner.invoke(cli, ["inzage"], input=json.dumps({"persoon": PERSOON}))
    assert text.exit_code == 0, text.output
    assert "Inzage voor betrokkene" in text.output and ids["urgent"] in text.output
    assert "nl.ketenhub.urgent.v1 van mzwo-centrum (noemt de persoon)" in text.output
    as_json = runner.invoke(cli, ["inzage", "--json", "--tenant", "ymere"],
                            input=json.dumps({"persoon": PERSOON}))
    assert [m["message_id"] for m in json.loads(as_json.output)["messages"]] == [ids["signaal"]]
    refused = runner.invoke(cli, ["inzage"], input=json.dumps({"achternaam": "Vries"}))
    assert refused.exit_code != 0 and "validation.identity" in refused.output


def test_after_retention_shreds_a_message_inzage_still_lists_it_as_vernietigd(demo):
    from sqlalchemy import text

    ids = _person_everywhere(demo)
    past = demo.container.clock() - timedelta(days=1)
    with demo.container.engine.begin() as conn:  # the urgent message's term has passed
        conn.execute(text("UPDATE messages SET retain_until = :at WHERE id = :id"),
                     {"at": past, "id": ids["urgent"]})
    assert demo.container.retention.run().messages == 1
    report = demo.inzage("hub-admin", {"persoon": PERSOON})
    states = {m["message_id"]: m["status"] for m in report["messages"]}
    assert states[ids["urgent"]] == "vernietigd" and states[ids["toewijzing"]] == "bewaard"
    assert demo.client.get("/api/v1/audit/verify",
                           headers=demo.headers("hub-admin")).json["ok"] is True


def test_a_shredded_message_stays_in_the_report_as_vernietigd(demo):
    from sqlalchemy import update

    from hub.persistence import tables as t

    ids = _person_everywhere(demo)
    with demo.container.engine.begin() as conn:
        conn.execute(update(t.messages).where(t.messages.c.id == ids["urgent"])
                     .values(shredded_at=demo.container.clock()))
    report = demo.inzage("hub-admin", {"persoon": PERSOON})
    urgent = next(m for m in report["messages"] if m["message_id"] == ids["urgent"])
    assert urgent["status"] == "vernietigd"
    assert {r["status"] for r in urgent["recipients"] if r["decision"] == "permit"} == {"vernietigd"}
    others = [m for m in report["messages"] if m["message_id"] != ids["urgent"]]
    assert others and {m["status"] for m in others} == {"bewaard"}


def test_the_reactie_and_afsluiting_of_the_persons_zaak_are_in_the_report(demo):
    ids = _person_everywhere(demo)
    reactie = demo.send("hvo-querido", "toewijzing.reactie", {
        "zaak_kenmerk": "MZWO-2026-0099", "geaccepteerd": True,
        "contact": CONTACT})["id"]
    afsluiting = demo.send("mzwo-centrum", "afsluiting", {
        "zaak_kenmerk": "MZWO-2026-0099", "reden": "opgelost"})["id"]
    report = demo.inzage("hub-admin", {"persoon": PERSOON})
    by_id = {m["message_id"]: m["via"] for m in report["messages"]}
    assert by_id[ids["toewijzing"]] == "persoon"
    assert by_id[reactie] == by_id[afsluiting] == "zaak"
    assert demo.inzage("hub-admin", {"persoon": NAMESAKE})["messages"] == []


def test_replies_that_name_no_one_are_about_the_subjects_of_what_they_answer(demo):
    ids = _person_everywhere(demo)
    [check] = demo.client.get("/api/v1/regiechecks/gevraagd",
                              headers=demo.headers("politie-amsterdam")).json["items"]
    demo.post("politie-amsterdam", f"/api/v1/regiechecks/{check['id']}/antwoord",
              {"bekend": False}, status=200)
    reactie = demo.send("hvo-querido", "signaal.reactie", {
        "signaal_id": ids["signaal"], "status": "ontvangen"})["id"]
    report = demo.inzage("hub-admin", {"persoon": PERSOON})
    by_type = {}
    for m in report["messages"]:
        by_type.setdefault(m["type"], []).append(m)
    assert [m["sender"] for m in by_type["nl.ketenhub.regiecheck.antwoord.v1"]] == [
        "politie-amsterdam"]
    assert reactie in {m["message_id"] for m in report["messages"]}
    assert demo.inzage("hub-admin", {"persoon": NAMESAKE})["messages"] == []
