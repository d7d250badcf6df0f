"""The regiecheck flow on the in-memory unit of work: asking, the melder rule, answers by
endpoint and by CloudEvent, dat-informatie refusals, reminders and expiry."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from consent.errors import PrivacyViolation
from consent.policy import PolicyDecisionPoint
from consent.privacy import PrivacyGuard
from hub.crypto.keyring import MasterKey
from hub.crypto.vault import PayloadVault
from hub.endpoints.service import EndpointService
from hub.errors import ResourceNotFound
from hub.flows.regiecheck.answers import AnswerRecorder, AntwoordToAsker
from hub.flows.regiecheck.contacts import contact_aad
from hub.flows.regiecheck.errors import AlleenMeldpunt, MelderZonderReden, PartnerNietInNetwerk
from hub.flows.regiecheck.schedule import RegiecheckScheduler
from hub.flows.regiecheck.service import RegiecheckService
from hub.intake.catalogue import REGIECHECK_ANTWOORD
from hub.intake.service import IntakeService
from hub.memory import MemoryHubStore, MemoryHubUnitOfWork
from hub.routing.rules import Router
from tenants.demo import regiecheck_flows
from tenants.directory import Directory, Snapshot
from tenants.model import Party, Principal, RegiecheckPartner, Scope, TenantKind
from tenants.services import NetworkService, NetworkSpec, TenantService

K = TenantKind
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam
PARTNERS = {"politie": K.POLITIE, "ggd": K.GGD, "ymere": K.WONINGCORPORATIE}
PERSOON = {"achternaam": "Jansen", "voornamen": "Piet", "geboortedatum": "1971-03-04"}
REDEN = "Melder veroorzaakt vermoedelijk zelf overlast"


class Clock:
    def __init__(self) -> None:
        self.now = MONDAY

    def __call__(self) -> datetime:
        return self.now


class Flow:
    def __init__(self) -> None:
        self.store = MemoryHubStore()
        self.clock = clock = Clock()

        def uow() -> MemoryHubUnitOfWork:
            return MemoryHubUnitOfWork(self.store)

        self.uow = uow
        system = Principal.system()
        tenants, networks = TenantService(uow, clock), NetworkService(uow, clock)
        for tenant_id, kind in {"mzwo-centrum": K.MELDPUNT, "mzwo-noord": K.MELDPUNT,
                                "cordaan": K.ZORGAANBIEDER, "arkin": K.ZORGAANBIEDER,
                                **PARTNERS}.items():
            tenants.create(system, tenant_id=tenant_id, name=tenant_id, kind=kind,
                           kvk=str(20_000_000 + len(tenant_id)))
        networks.create(system, NetworkSpec(
            id="amsterdam", name="Amsterdam",
            parties=tuple(Party(t, "x") for t in ("mzwo-centrum", "mzwo-noord", "cordaan",
                                                  *PARTNERS)),
            regiecheck_partners=(RegiecheckPartner("politie"), RegiecheckPartner("ggd"),
                                 RegiecheckPartner(tenant_kind=K.WONINGCORPORATIE),
                                 RegiecheckPartner("cordaan", standaard=False)),
            flows=regiecheck_flows((K.POLITIE, K.GGD, K.WONINGCORPORATIE, K.ZORGAANBIEDER))))
        directory = Directory(lambda: Snapshot.build(
            list(self.store.tenants.tenants.values()), list(self.store.tenants.networks.values())),
            ttl=0)
        self.vault = PayloadVault(MasterKey(b"m" * 32), clock)
        pdp = PolicyDecisionPoint(directory)
        router = Router()
        router.add(AntwoordToAsker())
        endpoints = EndpointService(uow=uow, vault=self.vault, clock=clock, connectors={})
        guard = PrivacyGuard.default()
        self.intake = IntakeService(uow=uow, guard=guard, router=router, pdp=pdp,
                                    directory=directory, vault=self.vault, clock=clock,
                                    max_attempts=3, active_endpoints=endpoints.active_for,
                                    hooks=(AnswerRecorder(self.vault, contact_aad),))
        self.service = RegiecheckService(uow=uow, intake=self.intake, pdp=pdp,
                                         directory=directory, vault=self.vault, guard=guard,
                                         clock=clock)
        self.schedule = RegiecheckScheduler(uow=uow, intake=self.intake, pdp=pdp,
                                            directory=directory, clock=clock)

    @staticmethod
    def who(tenant_id: str) -> Principal:
        return Principal(tenant_id=tenant_id, key_id=f"k-{tenant_id}", scopes=frozenset(Scope))

    def ask(self, **extra: object) -> dict:
        body = {"personen": [dict(PERSOON)], "soort": "overlast",
                "overlastsoorten": ["geluid"], **extra}
        return self.service.create(self.who("mzwo-centrum"), body).view

    def tables(self):  # noqa: ANN201
        return self.store.tables

    def payloads(self) -> list[dict]:
        """Every stored message, opened."""
        uow = MemoryHubUnitOfWork(self.store)
        return [json.loads(self.vault.open_message(uow.data_keys, m.sender, m.key_version,
                                                   m.wrapped_key, m.payload,
                                                   m.id.encode()))
                for m in self.tables().messages.values()]

    def answer_event(self, check_id: str, partner: str, data: dict) -> dict:
        return {"specversion": "1.0", "id": str(uuid.uuid4()),
                "source": f"urn:nld:kvk:{20_000_000 + len(partner)}:systeem:crm",
                "type": REGIECHECK_ANTWOORD, "data": {"regiecheck_id": check_id, **data}}


@pytest.fixture
def flow() -> Flow:
    return Flow()


def test_the_standard_list_is_asked_one_question_each_with_the_term_in_werkdagen(flow):
    view = flow.ask()
    assert [p["tenant"] for p in view["partners"]] == ["politie", "ggd", "ymere"]
    assert view["deadline"] == datetime(2026, 12, 3, 22, 59, 59, tzinfo=UTC)
    questions = [p for p in flow.payloads() if p["type"].endswith("vraag.v1")]
    assert len(questions) == 3
    deliveries = list(flow.tables().deliveries.values())
    assert sorted(r.delivery.recipient for r in deliveries) == ["ggd", "politie", "ymere"]
    assert {r.delivery.basis for r in deliveries} == {"convenant"}
    assert {r.delivery.deadline for r in deliveries} == {view["deadline"]}
    assert len(flow.tables().decisions) == 3
    assert len(flow.tables().outbox) == 3


def test_the_networks_answer_term_sets_the_deadline(flow):
    networks = NetworkService(flow.uow, flow.clock)
    network = networks.get(Principal.system(), "amsterdam")
    networks.replace(Principal.system(), NetworkSpec(
        id=network.id, name=network.name, parties=network.parties,
        regiecheck_partners=network.regiecheck_partners, flows=network.flows,
        regiecheck_termijn_werkdagen=5))
    assert flow.ask()["deadline"] == datetime(2026, 12, 7, 22, 59, 59, tzinfo=UTC)


def test_extra_partners_are_asked_besides_the_standard_list(flow):
    view = flow.ask(extra_partners=["cordaan"])
    assert [p["tenant"] for p in view["partners"]] == ["politie", "ggd", "ymere", "cordaan"]


def test_a_partner_outside_the_network_is_refused_by_name_and_nothing_is_asked(flow):
    with pytest.raises(PartnerNietInNetwerk) as err:
        flow.ask(extra_partners=["arkin"])
    assert err.value.details[0]["field"] == "/extra_partners/0"
    assert "arkin" in err.value.details[0]["message"]
    assert flow.tables().messages == {} and flow.tables().regiechecks == {}


def test_only_a_meldpunt_asks(flow):
    with pytest.raises(AlleenMeldpunt):
        flow.service.create(flow.who("politie"), {"personen": [PERSOON], "soort": "zorg"})


def test_a_melder_without_a_reason_is_refused_and_nothing_is_stored(flow):
    with pytest.raises(MelderZonderReden) as err:
        flow.ask(personen=[PERSOON | {"rol": "melder"}])
    assert err.value.code == "regiecheck.melder_zonder_reden"
    assert flow.tables().messages == {} and flow.tables().regiechecks == {}


def test_a_melders_reason_is_kept_sealed_and_audited_by_hash_and_sent_to_nobody(flow):
    view = flow.ask(personen=[PERSOON, PERSOON | {"rol": "melder", "achternaam": "Bakker"}],
                    reden_melder=REDEN)
    check = flow.tables().regiechecks[view["id"]]
    uow = MemoryHubUnitOfWork(flow.store)
    sealed = json.loads(flow.vault.open(uow.data_keys, "mzwo-centrum", check.key_version,
                                        check.payload, check.id.encode()))
    assert sealed["reden_melder"] == REDEN
    assert REDEN.encode() not in check.payload
    for payload in flow.payloads():
        assert REDEN not in json.dumps(payload)
        assert "melder" not in json.dumps(payload["data"]["personen"])
    audit = [a for a in flow.tables().audit if a["action"] == "regiecheck.created"]
    assert "reden_melder_sha256" in audit[0]["facts"]
    assert REDEN not in json.dumps(flow.tables().audit, default=str)


def test_a_repeat_with_the_same_kenmerk_returns_the_check_and_asks_nobody_again(flow):
    first = flow.ask(kenmerk_afzender="RIS-1")
    again = flow.service.create(flow.who("mzwo-centrum"), {
        "personen": [PERSOON], "soort": "overlast", "kenmerk_afzender": "RIS-1"})
    assert again.replayed and again.view["id"] == first["id"]
    assert len(flow.tables().messages) == 3 and len(flow.tables().regiechecks) == 1


def _state(flow: Flow, check_id: str) -> list[tuple]:
    view = flow.service.get(flow.who("mzwo-centrum"), check_id)
    return [(p["tenant"], p["status"], p["late"], p.get("contact")) for p in view["partners"]]


CONTACT = {"naam": "A. de Vries", "functie": "wijkagent", "telefoon": "020 555 0101"}


def test_an_answer_by_cloudevent_and_by_endpoint_give_the_same_state():
    by_endpoint, by_event = Flow(), Flow()
    states = []
    for flow, via_event in ((by_endpoint, False), (by_event, True)):
        check_id = flow.ask()["id"]
        for partner, data in (("politie", {"bekend": True, "contact": CONTACT}),
                              ("ggd", {"bekend": False})):
            if via_event:
                flow.intake.accept(flow.who(partner), flow.answer_event(check_id, partner, data))
            else:
                flow.service.answer(flow.who(partner), check_id, data)
        states.append(_state(flow, check_id))
        answers = [p for p in flow.payloads() if p["type"] == REGIECHECK_ANTWOORD]
        assert [a["data"]["bekend"] for a in answers] == [True, False]
    assert states[0] == states[1] == [("politie", "bekend", False, CONTACT),
                                      ("ggd", "onbekend", False, None),
                                      ("ymere", "gevraagd", False, None)]


@pytest.mark.parametrize("body", [
    {"bekend": True, "contact": CONTACT, "toelichting": "Bekend sinds 2019"},
    {"bekend": True, "contact": CONTACT, "diagnose": "x"},
    {"bekend": True, "contact": CONTACT | {"extra": {"dossier": "x"}}},
    {"bekend": True, "contact": {"naam": {"diagnose": "x"}}},
    {"bekend": False, "contact": CONTACT},
])
def test_an_answer_beyond_dat_informatie_is_refused_and_stores_nothing(flow, body):
    check_id = flow.ask()["id"]
    before = (len(flow.tables().messages), len(flow.tables().deliveries))
    for send in (lambda: flow.service.answer(flow.who("politie"), check_id, body),
                 lambda: flow.intake.accept(flow.who("politie"),
                                            flow.answer_event(check_id, "politie", body))):
        with pytest.raises(PrivacyViolation) as err:
            send()
        assert err.value.code == "privacy.dat_informatie"
    assert (len(flow.tables().messages), len(flow.tables().deliveries)) == before
    assert _state(flow, check_id)[0][1] == "gevraagd"


def test_a_bsn_in_a_contact_field_is_refused_with_the_privacy_code(flow):
    check_id = flow.ask()["id"]
    with pytest.raises(PrivacyViolation) as err:
        flow.service.answer(flow.who("politie"), check_id,
                            {"bekend": True, "contact": CONTACT | {"functie": "BSN 111222333"}})
    assert err.value.code == "privacy.bsn"
    assert err.value.details[0]["field"] == "/contact/functie"
    assert _state(flow, check_id)[0][1] == "gevraagd"


def test_a_partner_that_was_not_asked_cannot_answer(flow):
    check_id = flow.ask()["id"]
    with pytest.raises(ResourceNotFound):
        flow.service.answer(flow.who("cordaan"), check_id, {"bekend": False})


def test_a_second_answer_replaces_the_first(flow):
    check_id = flow.ask()["id"]
    flow.service.answer(flow.who("politie"), check_id, {"bekend": False})
    flow.service.answer(flow.who("politie"), check_id, {"bekend": True, "contact": CONTACT})
    assert _state(flow, check_id)[0] == ("politie", "bekend", False, CONTACT)
    answers = [a for a in flow.tables().audit if a["action"] == "regiecheck.antwoord"]
    assert [a["facts"]["replaces_earlier"] for a in answers] == [False, True]


def test_when_everyone_answered_the_check_is_compleet(flow):
    check_id = flow.ask()["id"]
    for partner in PARTNERS:
        flow.service.answer(flow.who(partner), check_id, {"bekend": False})
    assert flow.service.get(flow.who("mzwo-centrum"), check_id)["status"] == "compleet"
    flow.clock.now = MONDAY + timedelta(days=10)
    assert flow.schedule.run_once().expired == 0


def test_a_reminder_goes_once_on_the_last_morning_and_the_check_expires_at_the_deadline(flow):
    check_id = flow.ask()["id"]
    flow.service.answer(flow.who("politie"), check_id, {"bekend": False})
    flow.clock.now = datetime(2026, 12, 3, 6, 59, tzinfo=UTC)  # 07:59 on the last werkdag
    assert flow.schedule.run_once().reminders == 0
    flow.clock.now = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)  # 08:00
    assert flow.schedule.run_once().reminders == 2
    assert flow.schedule.run_once().reminders == 0
    reminded = sorted(r.delivery.recipient for r in flow.tables().deliveries.values()
                      if flow.tables().messages[r.delivery.message_id].type.endswith(
                          "herinnering.v1"))
    assert reminded == ["ggd", "ymere"]
    flow.clock.now = datetime(2026, 12, 3, 22, 59, 58, tzinfo=UTC)
    assert flow.schedule.run_once().expired == 0
    flow.clock.now = datetime(2026, 12, 3, 23, 0, tzinfo=UTC)
    assert flow.schedule.run_once().expired == 1
    assert flow.schedule.run_once().expired == 0
    view = flow.service.get(flow.who("mzwo-centrum"), check_id)
    assert view["status"] == "verlopen"
    assert [p["status"] for p in view["partners"]] == ["onbekend", "verlopen", "verlopen"]
    expiry = [p for p in flow.payloads() if p["type"].endswith("verlopen.v1")]
    assert expiry[0]["data"]["niet_beantwoord"] == ["ggd", "ymere"]
    # A late answer lands, marked late.
    flow.service.answer(flow.who("ggd"), check_id, {"bekend": False})
    assert _state(flow, check_id)[1] == ("ggd", "onbekend", True, None)
    assert flow.service.get(flow.who("mzwo-centrum"), check_id)["status"] == "verlopen"


def test_the_asker_sees_the_check_and_nobody_else_does(flow):
    check_id = flow.ask()["id"]
    for other in ("politie", "mzwo-noord"):
        with pytest.raises(ResourceNotFound):
            flow.service.get(flow.who(other), check_id)
    mine = flow.service.list_gevraagd(flow.who("politie"), status=None, after=None, limit=None)
    assert [(i["id"], i["status"]) for i in mine.items] == [(check_id, "gevraagd")]
    assert flow.service.list_gevraagd(flow.who("cordaan"), status=None, after=None,
                                      limit=None).items == []
    assert flow.service.list_asked(flow.who("mzwo-noord"), status=None, after=None,
                                   limit=None).items == []
