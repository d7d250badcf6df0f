"""The toewijzing term over the in-memory unit of work: intake opens one term per toewijzing
message (so two toewijzingen on one zaak are two terms, not a duplicate), and a partner's
``toewijzing.reactie`` meets the terms it owes on that zaak — all of them, or only the one
its ``toewijzing_id`` names — and never another partner's."""

from __future__ import annotations

import pytest

from consent.policy import PolicyDecisionPoint
from hub.errors import InvalidMessage
from hub.flows.termijnen import Antwoord, Termijnen, TermijnFlows, TermijnStatus
from hub.flows.termijnen.standard import Toewijzing, standard_flows
from hub.intake.service import IntakeService
from hub.routing.rules import Router, correlation_of
from tenants.model import Area, Flow, LegalBasis, Party, Principal, TenantKind, TermijnRegel
from tenants.services import NetworkSpec
from tests.fakes import event
from tests.unit.pipeline.conftest import Pipeline, _guard

K = TenantKind
TOEWIJZING = "nl.ketenhub.toewijzing.v1"
REACTIE = "nl.ketenhub.toewijzing.reactie.v1"


def toewijzing_pipeline(termijnen: tuple[TermijnRegel, ...] | None = None) -> Pipeline:
    pipe = Pipeline()
    system = Principal.system()
    pipe.tenants.create(system, tenant_id="hvo", name="hvo", kind=K.ZORGAANBIEDER)
    pipe.networks.replace(system, NetworkSpec(
        id="amsterdam", name="Amsterdam",
        parties=(Party("mzwo-centrum", "meldpunt"), Party("ymere", "woningcorporatie"),
                 Party("arkin", "zorgaanbieder"), Party("hvo", "zorgaanbieder")),
        areas=(Area("mzwo-centrum", 1011, 1018),), termijnen=termijnen, flows=(
            Flow(TOEWIJZING, K.MELDPUNT, K.ZORGAANBIEDER, LegalBasis.CONVENANT),
            Flow(REACTIE, K.ZORGAANBIEDER, K.MELDPUNT, LegalBasis.CONVENANT))))
    service = Termijnen(flows=TermijnFlows(standard_flows()), directory=pipe.directory,
                        clock=pipe.clock)
    pipe.intake = IntakeService(
        uow=pipe.uow, guard=_guard(), router=Router(), pdp=PolicyDecisionPoint(pipe.directory),
        directory=pipe.directory, vault=pipe.vault, clock=pipe.clock, max_attempts=3,
        active_endpoints=pipe.endpoints.active_for, termijnen=service)
    return pipe


def toewijzing(pipe: Pipeline, kenmerk: str, aan: str = "arkin") -> str:
    return pipe.send(event(TOEWIJZING, {"zaak_kenmerk": kenmerk, "aan": aan}),
                     sender="mzwo-centrum").answer["id"]


def reactie(pipe: Pipeline, who: str, kenmerk: str, **extra) -> str:
    return pipe.send(event(REACTIE, {"zaak_kenmerk": kenmerk, "geaccepteerd": True,
                                     "contact": {"naam": "T. de Vries"}, **extra}, sender=who),
                     sender=who).answer["id"]


def terms(pipe: Pipeline) -> dict[str, tuple[str, TermijnStatus]]:
    """Per toewijzing message: who owes the term and its status."""
    return {x.subject_id: (x.owed_by, x.status) for x in rows(pipe) if x.flow == "toewijzing"}


def rows(pipe: Pipeline) -> list:
    return list(pipe.store.tables.termijnen.values())


def test_each_toewijzing_opens_its_own_term_and_a_reactie_on_the_zaak_meets_the_partners():
    pipe = toewijzing_pipeline()
    first, second = toewijzing(pipe, "K-1"), toewijzing(pipe, "K-1")
    to_hvo = toewijzing(pipe, "K-1", aan="hvo")
    assert terms(pipe) == {first: ("arkin", TermijnStatus.LOPEND),
                           second: ("arkin", TermijnStatus.LOPEND),
                           to_hvo: ("hvo", TermijnStatus.LOPEND)}
    [x] = [x for x in rows(pipe) if x.subject_id == first]
    assert (x.owed_to, x.werkdagen) == ("mzwo-centrum", 2)
    [delivery] = pipe.deliveries_of(first)
    assert delivery.deadline == x.deadline

    answer = reactie(pipe, "arkin", "K-1")
    assert terms(pipe) == {first: ("arkin", TermijnStatus.GEHAALD),
                           second: ("arkin", TermijnStatus.GEHAALD),
                           to_hvo: ("hvo", TermijnStatus.LOPEND)}
    assert {x.met_by for x in rows(pipe) if x.owed_by == "arkin"} == {
        answer}


def test_a_reactie_naming_its_toewijzing_meets_that_term_only():
    pipe = toewijzing_pipeline()
    first, second = toewijzing(pipe, "K-2"), toewijzing(pipe, "K-2")
    reactie(pipe, "arkin", "K-2", toewijzing_id=second)
    assert terms(pipe) == {first: ("arkin", TermijnStatus.LOPEND),
                           second: ("arkin", TermijnStatus.GEHAALD)}


def test_a_reactie_on_a_zaak_or_toewijzing_the_partner_was_not_asked_is_an_unknown_reference():
    pipe = toewijzing_pipeline()
    to_hvo = toewijzing(pipe, "K-3", aan="hvo")
    toewijzing(pipe, "K-4")
    stored = len(pipe.store.tables.messages)
    for kenmerk, extra, field in (("K-3", {}, "/data/zaak_kenmerk"),
                                  ("K-4", {"toewijzing_id": to_hvo}, "/data/toewijzing_id")):
        with pytest.raises(InvalidMessage) as err:
            reactie(pipe, "arkin", kenmerk, **extra)
        assert err.value.code == "validation.unknown_reference"
        assert [d["field"] for d in err.value.details] == [field]
    assert len(pipe.store.tables.messages) == stored
    assert {s for _, s in terms(pipe).values()} == {TermijnStatus.LOPEND}


def test_a_network_sets_its_own_toewijzing_term():
    pipe = toewijzing_pipeline(termijnen=(TermijnRegel("toewijzing", 4, ("toewijzing.reactie",)),))
    sent = toewijzing(pipe, "K-5")
    [x] = rows(pipe)
    assert (x.subject_id, x.werkdagen) == (sent, 4)
    none = toewijzing_pipeline(termijnen=())
    toewijzing(none, "K-5")
    assert rows(none) == []


def test_the_toewijzing_flow_reads_a_reactie_as_accepted_or_refused_on_a_zaak_or_a_toewijzing():
    flow = Toewijzing()
    assert flow.answers(REACTIE, {"zaak_kenmerk": "K-6", "geaccepteerd": False}) == (
        Antwoord("toewijzing", "", "toewijzing.reactie:geweigerd", zaak=correlation_of("K-6")),)
    assert flow.answers(REACTIE, {"zaak_kenmerk": "K-6", "geaccepteerd": True,
                                  "toewijzing_id": "m-1"}) == (
        Antwoord("toewijzing", "m-1", "toewijzing.reactie:geaccepteerd"),)
    assert flow.answers(TOEWIJZING, {"zaak_kenmerk": "K-6"}) == ()
