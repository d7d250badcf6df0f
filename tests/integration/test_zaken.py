"""Zaken end to end through the API (seed 000): a corporatie's melding registered as a zaak,
toewijzing with the subject, reactie, afsluiting to every partner that took part; the zaak
view shows it all to the meldpunt and to each partner only its own part. Also: no silent
``202 []``, and the reopen rule of step 6."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from hub.app import create_app
from hub.bootstrap import bootstrap
from hub.config import Config
from hub.delivery.model import DeliveryStatus
from hub.persistence.migrate import upgrade
from tenants.demo import demo_flows, source_for
from tenants.model import Area, Party, Principal, Scope, TenantKind, Toewijzingsadvies
from tenants.services import NetworkSpec
from tests.integration.conftest import World, new_master_key
from tests.integration.pipeline import signaal
from tests.integration.regiecheck_world import kvk_of

K = TenantKind
TENANTS = {"mzwo-centrum": K.MELDPUNT, "mzwo-noord": K.MELDPUNT, "ymere": K.WONINGCORPORATIE,
           "hvo-querido": K.ZORGAANBIEDER, "ggd-amsterdam": K.GGD, "arkin": K.ZORGAANBIEDER,
           "politie-amsterdam": K.POLITIE, "vc-centrum": K.GEMEENTE}
KENMERK = "MZWO-C-2026-0042"
PERSOON = {"achternaam": "Visser", "voorletters": "J.", "geboortedatum": "1961-05-02"}
ADRES = {"postcode": "1012 AB", "huisnummer": 12}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def zaken_world(database_url: str, tmp_path, **config_overrides) -> World:
    clock = Clock()
    config = Config(data_dir=tmp_path, database_url=database_url, master_key=new_master_key(),
                    **config_overrides)
    container = bootstrap(config, clock=clock)
    upgrade(container.engine)
    system = Principal.system()
    container.tenants.create(system, tenant_id="ketenhub", name="Beheer", kind=K.OVERIG,
                             is_operator=True)  # sends the hub's own events
    keys = {}
    for tenant_id, kind in TENANTS.items():
        container.tenants.create(system, tenant_id=tenant_id, name=tenant_id, kind=kind,
                                 kvk=kvk_of(tenant_id))
        _, keys[tenant_id] = container.keys.issue(system, tenant_id, name="t",
                                                  scopes=frozenset(Scope) - {Scope.ADMIN})
    container.networks.create(system, NetworkSpec(
        id="amsterdam", name="Amsterdam",
        parties=tuple(Party(t, k.value) for t, k in TENANTS.items()),
        areas=(Area("mzwo-centrum", 1011, 1018, veiligheidscoordinator="vc-centrum"),
               Area("mzwo-noord", 1020, 1039)),
        flows=demo_flows(), toewijzingsadvies=(
            Toewijzingsadvies("geluid", "politie-amsterdam"),
            Toewijzingsadvies("geluid", tenant_kind=K.WONINGCORPORATIE),
            Toewijzingsadvies("geluid", "ggd-amsterdam"),
            Toewijzingsadvies("stank", "ggd-amsterdam"))))
    app = create_app(config, container)
    w = World(app=app, client=app.test_client(), container=container, admin_key="", keys=keys)
    w.clock = clock
    return w


@pytest.fixture
def zw(database_url, tmp_path):
    w = zaken_world(database_url, tmp_path)
    yield w
    w.container.close()


def event(type_: str, data: dict, sender: str = "mzwo-centrum") -> dict:
    return {"specversion": "1.0", "id": str(uuid.uuid4()),
            "source": source_for(sender, "ris"), "type": type_, "data": data}


def send(w, who: str, body: dict, status: int = 202) -> dict:
    body = {**body, "source": f"urn:nld:kvk:{kvk_of(who)}:systeem:test"}
    r = w.client.post("/api/v1/messages", json=body, headers=w.headers(who))
    assert r.status_code == status, r.json
    return r.json


def permitted(answer: dict) -> set[str]:
    return {d["recipient"] for d in answer["deliveries"] if d["decision"] == "permit"}


def zaak(w, who: str, kenmerk: str = KENMERK, status: int = 200) -> dict:
    r = w.client.get(f"/api/v1/zaken/{kenmerk}", headers=w.headers(who))
    assert r.status_code == status, r.json
    return r.json


def link(w, signaal_id: str, kenmerk: str = KENMERK, who: str = "mzwo-centrum",
         status: int = 201) -> dict:
    r = w.client.post(f"/api/v1/zaken/{kenmerk}/signalen", json={"signaal_id": signaal_id},
                      headers=w.headers(who))
    assert r.status_code == status, r.json
    return r.json


def toewijzing(aan: str, kenmerk: str = KENMERK, sender: str = "mzwo-centrum") -> dict:
    return event("nl.ketenhub.toewijzing.v1", {
        "zaak_kenmerk": kenmerk, "aan": aan, "personen": [PERSOON], "adres": ADRES,
        "toelichting": "Past in het bestaande plan; graag oppakken."}, sender=sender)


def afsluiting(kenmerk: str = KENMERK) -> dict:
    return event("nl.ketenhub.afsluiting.v1", {"zaak_kenmerk": kenmerk, "reden": "opgelost"})


def types_of(view: dict) -> list[str]:
    return [i["type"].removeprefix("nl.ketenhub.").removesuffix(".v1") for i in view["items"]]


def test_the_seed_000_story_from_melding_to_afsluiting(zw):
    # Step 1-6: Ymere's melding reaches the meldpunt of the area and is registered as a zaak.
    melding = send(zw, "ymere", signaal())
    assert permitted(melding) == {"mzwo-centrum"}
    registered = link(zw, melding["id"])
    assert (registered["kenmerk"], registered["status"]) == (KENMERK, "open")
    assert registered["categorieen"] == ["geluid"]
    assert registered["advies"] == [{"categorie": "geluid", "partners": [
        "politie-amsterdam", "ymere", "ggd-amsterdam"]}]

    zw.clock.now += timedelta(hours=2)
    # Step 7-8: the regiecheck; GGD and HVO-Querido know the person, politie does not.
    r = zw.client.post("/api/v1/regiechecks", headers=zw.headers("mzwo-centrum"), json={
        "personen": [PERSOON], "soort": "overlast_en_zorg", "overlastsoorten": ["geluid"],
        "partners": ["ggd-amsterdam", "politie-amsterdam", "hvo-querido"],
        "zaak_kenmerk": KENMERK})
    assert r.status_code == 201, r.json
    check_id = r.json["id"]
    for who, answer in (("ggd-amsterdam", {"bekend": True, "contact": {"naam": "A. de Vries"}}),
                        ("hvo-querido", {"bekend": True, "contact": {"naam": "M. Bakker"}}),
                        ("politie-amsterdam", {"bekend": False})):
        answered = zw.client.post(f"/api/v1/regiechecks/{check_id}/antwoord", json=answer,
                                  headers=zw.headers(who))
        assert answered.status_code in (200, 201), answered.json

    zw.clock.now += timedelta(hours=2)
    # Step 10: toewijzing to HVO-Querido with the subject; it accepts with a contact.
    to_hvo = send(zw, "mzwo-centrum", toewijzing("hvo-querido"))
    assert permitted(to_hvo) == {"hvo-querido"}
    [item] = [i for i in _delivered_inbox(zw, "hvo-querido") if i["message_id"] == to_hvo["id"]]
    assert item["event"]["data"]["personen"] == [PERSOON]
    assert item["event"]["data"]["adres"] == {"postcode": "1012AB", "huisnummer": 12}
    reactie = send(zw, "hvo-querido", event("nl.ketenhub.toewijzing.reactie.v1", {
        "zaak_kenmerk": KENMERK, "geaccepteerd": True,
        "contact": {"naam": "M. Bakker", "functie": "ambulant begeleider",
                    "telefoon": "+31 20 555 0101"}}, sender="hvo-querido"))
    assert permitted(reactie) == {"mzwo-centrum"}

    zw.clock.now += timedelta(hours=2)
    # Step 16: the afsluiting reaches HVO-Querido, GGD (bekend) and Ymere (signalled).
    closed = send(zw, "mzwo-centrum", afsluiting())
    assert permitted(closed) == {"hvo-querido", "ggd-amsterdam", "ymere"}

    view = zaak(zw, "mzwo-centrum")
    assert view["status"] == "gesloten" and view["reden_afsluiting"] == "opgelost"
    assert types_of(view) == ["signaal", "regiecheck.vraag", "toewijzing", "toewijzing.reactie",
                              "afsluiting"]
    assert view["items"][0]["via"] == "koppeling"
    assert {o["tenant"]: o["status"] for o in view["items"][1]["ontvangers"]} == {
        "ggd-amsterdam": "bekend", "hvo-querido": "bekend", "politie-amsterdam": "onbekend"}
    assert view["items"][3]["facts"] == {"geaccepteerd": True}
    assert {o["tenant"] for o in view["items"][4]["ontvangers"]} == {
        "hvo-querido", "ggd-amsterdam", "ymere"}
    assert all(o["status"] == "pending" for o in view["items"][4]["ontvangers"])

    # Each partner sees its own part only.
    hvo = zaak(zw, "hvo-querido")
    assert types_of(hvo) == ["regiecheck.vraag", "toewijzing", "toewijzing.reactie",
                             "afsluiting"]
    assert all([o["tenant"] for o in i["ontvangers"]] in (["hvo-querido"], ["mzwo-centrum"])
               for i in hvo["items"])
    ggd = zaak(zw, "ggd-amsterdam")
    assert types_of(ggd) == ["regiecheck.vraag", "afsluiting"]
    assert [o["tenant"] for o in ggd["items"][0]["ontvangers"]] == ["ggd-amsterdam"]
    ymere = zaak(zw, "ymere")
    assert types_of(ymere) == ["signaal", "afsluiting"] and ymere["advies"] == []
    assert [o["tenant"] for o in ymere["items"][0]["ontvangers"]] == ["mzwo-centrum"]
    assert types_of(zaak(zw, "politie-amsterdam")) == ["regiecheck.vraag"]
    assert zaak(zw, "arkin", status=404)

    listed = zw.client.get("/api/v1/zaken?status=gesloten", headers=zw.headers("ggd-amsterdam"))
    assert [z["kenmerk"] for z in listed.json["items"]] == [KENMERK]


def test_a_tenant_without_part_in_a_zaak_gets_the_answer_of_a_missing_one(zw):
    send(zw, "mzwo-centrum", toewijzing("hvo-querido"))
    other = zw.client.get(f"/api/v1/zaken/{KENMERK}", headers=zw.headers("arkin"))
    missing = zw.client.get("/api/v1/zaken/NO-SUCH", headers=zw.headers("arkin"))
    assert other.status_code == missing.status_code == 404
    assert other.json == missing.json
    assert zw.client.get("/api/v1/zaken", headers=zw.headers("arkin")).json["items"] == []
    assert zaak(zw, "mzwo-noord", status=404)


def test_linking_twice_adds_the_signaal_once_and_only_a_received_signaal_links(zw):
    melding = send(zw, "ymere", signaal())
    link(zw, melding["id"])
    assert len(link(zw, melding["id"])["items"]) == 1
    elsewhere = send(zw, "ymere", signaal(postcode="1021 AB"))  # went to mzwo-noord
    refused = link(zw, elsewhere["id"], status=422)
    assert refused["error"]["code"] == "validation.unknown_reference"
    assert link(zw, str(uuid.uuid4()), status=422)["error"]["code"] == \
        "validation.unknown_reference"
    assert link(zw, melding["id"], who="ymere", status=403)["error"]["code"] == \
        "zaak.not_meldpunt"


def test_a_kenmerk_holding_a_bsn_is_refused_at_its_field_and_opens_no_zaak(zw):
    melding = send(zw, "ymere", signaal())
    refused = link(zw, melding["id"], kenmerk="ZAAK-111222333", status=422)
    assert refused["error"]["code"] == "privacy.bsn"
    assert refused["error"]["details"][0]["field"] == "/kenmerk"
    assert "111222333" not in json.dumps(refused)
    listed = zw.client.get("/api/v1/zaken?status=open", headers=zw.headers("mzwo-centrum")).json
    assert listed["items"] == []


def test_a_zaak_closed_under_3_months_ago_is_reopened_and_later_a_new_one_starts(zw):
    send(zw, "mzwo-centrum", toewijzing("hvo-querido"))
    send(zw, "mzwo-centrum", afsluiting())
    first_opened = zaak(zw, "mzwo-centrum")["opened_at"]

    zw.clock.now += timedelta(days=80)
    send(zw, "mzwo-centrum", toewijzing("ggd-amsterdam"))
    reopened = zaak(zw, "mzwo-centrum")
    assert reopened["status"] == "open" and reopened["opened_at"] == first_opened
    assert len(reopened["items"]) == 3

    send(zw, "mzwo-centrum", afsluiting())
    zw.clock.now += timedelta(days=95)
    refused = send(zw, "mzwo-centrum", afsluiting(), status=422)
    assert refused["error"]["code"] == "validation.unknown_reference"
    send(zw, "mzwo-centrum", toewijzing("hvo-querido"))
    fresh = zaak(zw, "mzwo-centrum")
    assert fresh["status"] == "open" and fresh["opened_at"] != first_opened
    assert types_of(fresh) == ["toewijzing"]
    listed = zw.client.get("/api/v1/zaken", headers=zw.headers("mzwo-centrum")).json["items"]
    assert [z["status"] for z in listed] == ["open", "gesloten"]


def test_a_signaal_no_meldpunt_covers_is_answered_with_the_reason(zw):
    answer = send(zw, "ymere", signaal(postcode="9711 AB"))
    assert answer["deliveries"] == []
    assert [w["code"] for w in answer["warnings"]] == ["routing.no_meldpunt_for_area"]


def test_a_reactie_or_afsluiting_on_an_unknown_zaak_is_refused(zw):
    reactie = send(zw, "hvo-querido", event("nl.ketenhub.toewijzing.reactie.v1", {
        "zaak_kenmerk": "NOOIT-GEZIEN", "geaccepteerd": False, "reden": "Onbekend bij ons."},
        sender="hvo-querido"),
        status=422)
    assert reactie["error"]["code"] == "validation.unknown_reference"
    assert reactie["error"]["details"] == [{"field": "/data/zaak_kenmerk",
                                            "rule": "validation.unknown_reference"}]
    closing = send(zw, "mzwo-centrum", afsluiting("NOOIT-GEZIEN"), status=422)
    assert closing["error"]["code"] == "validation.unknown_reference"
    # A zaak of another meldpunt is as unknown as a missing one.
    send(zw, "mzwo-noord", toewijzing("hvo-querido", kenmerk="MZWO-N-1", sender="mzwo-noord"))
    assert send(zw, "mzwo-centrum", afsluiting("MZWO-N-1"), status=422) == closing


def test_the_meldpunt_passes_a_signaal_to_a_zorgaanbieders_centraal_meldpunt(zw):
    body = signaal(sender="mzwo-centrum")
    body["data"] |= {"aan": ["hvo-querido"], "zaak_kenmerk": KENMERK,
                     "melder_type": "gemeente"}
    answer = send(zw, "mzwo-centrum", body)
    assert permitted(answer) == {"hvo-querido"}
    assert [d["basis"] for d in answer["deliveries"]] == ["convenant"]
    assert types_of(zaak(zw, "mzwo-centrum")) == ["signaal"]
    assert types_of(zaak(zw, "hvo-querido")) == ["signaal"]


def _delivered_inbox(w, who: str) -> list[dict]:
    """The tenant's inbox once the worker would have delivered (marked here directly)."""
    with w.container.uow() as uow:
        pending = [d.id for d in uow.deliveries.list_by_status(
            DeliveryStatus.PENDING, after=None, limit=500, recipient=who)]
        uow.deliveries.mark_delivered(pending, w.clock.now)
        uow.commit()
    return w.client.get("/api/v1/inbox", headers=w.headers(who)).json["items"]


def test_samenloop_counts_earlier_signalen_at_the_address_for_the_meldpunt_only(zw):
    now = zw.clock.now
    history = [now - timedelta(days=4 * 365), now - timedelta(days=2 * 365),
               now - timedelta(days=30)]
    for at in history:  # fabricated history at Damrak 12 and one next door
        zw.clock.now = at
        send(zw, "ymere", signaal())
        send(zw, "ymere", _next_door())
    zw.clock.now = now - timedelta(days=10)
    send(zw, "mzwo-centrum", toewijzing("hvo-querido"))  # the zaak has the address (Damrak 12)
    zw.clock.now = now
    _delivered_inbox(zw, "mzwo-centrum")
    body = signaal()
    body["data"]["adres"] = {"postcode": "1012ab", "huisnummer": 12}
    latest = send(zw, "ymere", body)["id"]

    items = {i["message_id"]: i for i in _delivered_inbox(zw, "mzwo-centrum")}
    assert items[latest]["samenloop"] == {"eerdere_signalen_3_jaar": 2, "open_zaak": KENMERK}

    # A partner never sees it: not the sender, not another recipient of the same signaal.
    shared = signaal()
    shared["data"] |= {"aan": ["hvo-querido"], "melder_type": "gemeente"}
    send(zw, "mzwo-noord", shared)  # mzwo-noord passes it on; centrum covers the area
    assert all(i["samenloop"] is None for i in _delivered_inbox(zw, "hvo-querido"))
    status = zw.client.get(f"/api/v1/messages/{latest}", headers=zw.headers("ymere")).json
    assert "samenloop" not in str(status) and "eerdere" not in str(status)


def _next_door() -> dict:
    body = signaal()
    body["data"]["adres"] = {"postcode": "1012 AB", "huisnummer": 14}
    return body


def test_a_regiecheck_about_the_zaak_is_in_its_timeline_and_bekend_partners_hear_the_end(zw):
    send(zw, "mzwo-centrum", toewijzing("hvo-querido"))
    r = zw.client.post("/api/v1/regiechecks", headers=zw.headers("mzwo-centrum"), json={
        "personen": [PERSOON], "soort": "zorg", "overlastsoorten": ["verward_gedrag"],
        "partners": ["ggd-amsterdam", "politie-amsterdam"], "zaak_kenmerk": KENMERK})
    assert r.status_code == 201, r.json
    check_id = r.json["id"]
    contact = {"naam": "A. de Vries", "functie": "Vangnet", "telefoon": "020 555 0101"}
    for who, body in (("ggd-amsterdam", {"bekend": True, "contact": contact}),
                      ("politie-amsterdam", {"bekend": False})):
        answered = zw.client.post(f"/api/v1/regiechecks/{check_id}/antwoord", json=body,
                                  headers=zw.headers(who))
        assert answered.status_code in (200, 201), answered.json

    view = zaak(zw, "mzwo-centrum")
    [check] = [i for i in view["items"] if i["type"] == "nl.ketenhub.regiecheck.vraag.v1"]
    assert check["message_id"] is None and check["facts"]["regiecheck_id"] == check_id
    assert {o["tenant"]: o["status"] for o in check["ontvangers"]} == {
        "ggd-amsterdam": "bekend", "politie-amsterdam": "onbekend"}
    assert {(o["termijn"]["flow"], o["termijn"]["werkdagen"], o["termijn_status"])
            for o in check["ontvangers"]} == {("regiecheck", 3, "gehaald")}
    [hvo] = [o for i in view["items"] if i["type"] == "nl.ketenhub.toewijzing.v1"
             for o in i["ontvangers"]]
    assert (hvo["termijn"]["flow"], hvo["termijn_status"]) == ("toewijzing", "lopend")

    closed = send(zw, "mzwo-centrum", afsluiting())
    assert permitted(closed) == {"hvo-querido", "ggd-amsterdam"}  # politie answered onbekend

    ggd = zaak(zw, "ggd-amsterdam")
    [own] = [i for i in ggd["items"] if i["type"] == "nl.ketenhub.regiecheck.vraag.v1"]
    assert [o["tenant"] for o in own["ontvangers"]] == ["ggd-amsterdam"]
    assert "toewijzing" not in types_of(ggd)


URGENT = {"personen": [PERSOON], "adres": {**ADRES, "woonplaats": "Amsterdam"},
          "situatieschets": "Bewoner dreigt buren, deur gebarricadeerd; direct optreden nodig.",
          "contact": {"naam": "S. Bakker", "functie": "meldpuntmedewerker",
                      "telefoon": "020 555 0123"},
          "zaak_kenmerk": KENMERK}


def test_an_urgent_case_reaches_ggd_and_politie_and_the_veiligheidscoordinator_hears_less(zw):
    answer = send(zw, "mzwo-centrum", event("nl.ketenhub.urgent.v1", URGENT))
    assert permitted(answer) == {"ggd-amsterdam", "politie-amsterdam"}

    [full] = _delivered_inbox(zw, "ggd-amsterdam")
    assert full["event"]["data"]["situatieschets"] == URGENT["situatieschets"]
    [melding] = _delivered_inbox(zw, "vc-centrum")
    assert melding["sender"] == "ketenhub" and melding["event"]["source"] == "urn:nld:ketenhub:hub"
    assert melding["event"]["type"] == "nl.ketenhub.urgent.melding.v1"
    assert melding["event"]["data"] == {
        "urgent_id": answer["id"], "meldpunt": "mzwo-centrum", "zaak_kenmerk": KENMERK,
        "adres": {"postcode": "1012AB", "huisnummer": 12, "woonplaats": "Amsterdam"},
        "tijd": zw.clock.now.isoformat()}
    seen = str(melding)
    for text in ("Visser", "1961", "gebarricadeerd", "Bakker", "0123", "personen"):
        assert text not in seen
    assert melding["basis"] == "convenant"
    with zw.container.uow() as uow:  # an inzage about the address finds the notice too
        [urgent_ref] = [r.subject_ref for r in uow.subjects.of_messages([answer["id"]])
                        if r.kind == "adres"]
        assert [(r.kind, r.subject_ref) for r in uow.subjects.of_messages(
            [melding["message_id"]])] == [("adres", urgent_ref)]

    view = zaak(zw, "mzwo-centrum")
    assert types_of(view) == ["urgent", "urgent.melding"]
    assert [o["tenant"] for o in view["items"][1]["ontvangers"]] == ["vc-centrum"]
    assert types_of(zaak(zw, "vc-centrum")) == ["urgent.melding"]
    assert types_of(zaak(zw, "ggd-amsterdam")) == ["urgent"]

    # Another meldpunt's urgent: no coördinator configured for Noord, none informed.
    send(zw, "mzwo-noord", event("nl.ketenhub.urgent.v1", {
        **URGENT, "adres": {"postcode": "1021 AB", "huisnummer": 3}, "zaak_kenmerk": "N-1"},
        sender="mzwo-noord"))
    assert _delivered_inbox(zw, "vc-centrum") == [melding]
