"""The policy decision point's decision table: every rule of DESIGN.md §3 rule 4 and the
consent issue, decided on an in-memory directory (no I/O)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from consent.model import ConsentStatus, DataCategory, Provision
from consent.policy import ConsentSubject, MessageFacts, PolicyDecisionPoint
from tenants.directory import Directory, Snapshot
from tenants.model import Flow, LegalBasis, Network, Party, Tenant, TenantKind, TenantStatus
from tests.unit.consent.conftest import T0, make_consent

K = TenantKind
SIGNAAL = "nl.ketenhub.signaal.v1"
URGENT = "nl.ketenhub.urgent.v1"


def _tenant(tid: str, kind: TenantKind, status: TenantStatus = TenantStatus.ACTIVE) -> Tenant:
    return Tenant(id=tid, name=tid, kind=kind, created_at=T0, updated_at=T0, status=status)


def _pdp(*, suspended: set[str] = frozenset(), ymere_until: date | None = None,
         network_until: date | None = None) -> PolicyDecisionPoint:
    tenants = [_tenant("ymere", K.WONINGCORPORATIE), _tenant("eigen-haard", K.WONINGCORPORATIE),
               _tenant("zorg-a", K.ZORGAANBIEDER), _tenant("mzwo", K.MELDPUNT),
               _tenant("ggd", K.GGD)]
    tenants = [replace(t, status=TenantStatus.SUSPENDED) if t.id in suspended else t
               for t in tenants]
    network = Network(
        id="amsterdam", name="A", created_at=T0, valid_until=network_until,
        parties=(Party("ymere", "corporatie", valid_until=ymere_until),
                 Party("eigen-haard", "corporatie"), Party("zorg-a", "zorg"),
                 Party("mzwo", "meldpunt"), Party("ggd", "ggd")),
        flows=(Flow(SIGNAAL, K.WONINGCORPORATIE, K.ZORGAANBIEDER, LegalBasis.CONSENT),
               Flow(SIGNAAL, K.WONINGCORPORATIE, K.MELDPUNT, LegalBasis.CONVENANT),
               Flow(URGENT, K.MELDPUNT, K.GGD, LegalBasis.NOODSITUATIE),
               Flow(SIGNAAL, K.MELDPUNT, K.GGD, LegalBasis.NOODSITUATIE)))
    directory = Directory(lambda: Snapshot.build(tenants, [network]))
    return PolicyDecisionPoint(directory)


def _signaal(*consents, sender="ymere", recipient="zorg-a",
             categories=("signaal_overlast",)) -> MessageFacts:
    subject = ConsentSubject("amsterdam", "c" * 64, categories, tuple(consents))
    return MessageFacts(type=SIGNAAL, sender=sender, subjects={recipient: subject})


def _decide(pdp, facts, recipient="zorg-a", at=T0):
    return pdp.decide(facts, recipient, at)


NAMED_YMERE = Provision("permit", tenant_id="ymere")
KIND_CORPORATIE = Provision("permit", tenant_kind=K.WONINGCORPORATIE)
DENY_YMERE = Provision("deny", tenant_id="ymere")
DENY_KIND = Provision("deny", tenant_kind=K.WONINGCORPORATIE)

TABLE = [
    # (name, provisions of one consent, permit?, reason)
    ("named tenant permitted", (NAMED_YMERE,), True, "consent"),
    ("tenant kind permitted", (KIND_CORPORATIE,), True, "consent"),
    ("named deny beats kind permit", (KIND_CORPORATIE, DENY_YMERE), False,
     "consent denies recipient"),
    ("named permit beats kind deny", (DENY_KIND, NAMED_YMERE), True, "consent"),
    ("deny beats permit at equal specificity (named)", (NAMED_YMERE, DENY_YMERE), False,
     "consent denies recipient"),
    ("deny beats permit at equal specificity (kind)", (KIND_CORPORATIE, DENY_KIND), False,
     "consent denies recipient"),
    ("another corporatie named only", (Provision("permit", tenant_id="eigen-haard"),), False,
     "no consent"),
]


@pytest.mark.parametrize("case", TABLE, ids=[c[0] for c in TABLE])
def test_consent_provisions_decide_by_specificity_then_deny_first(case):
    _, provisions, permit, reason = case
    decision = _decide(_pdp(), _signaal(make_consent(provisions=provisions)))
    assert (decision.permit, decision.reason) == (permit, reason)
    assert decision.basis == "consent"
    if permit:
        assert (decision.consent_id, decision.consent_version) == ("cns_a", 1)


def test_without_any_consent_the_default_is_deny():
    decision = _decide(_pdp(), _signaal())
    assert (decision.permit, decision.reason) == (False, "no consent")


def test_a_consent_based_flow_without_a_client_is_denied():
    facts = MessageFacts(type=SIGNAAL, sender="ymere")
    assert _decide(_pdp(), facts).reason == "no consent"


def test_the_last_second_of_valid_until_still_permits_and_the_next_one_does_not():
    consent = make_consent(valid_until=T0)
    assert _decide(_pdp(), _signaal(consent), at=T0).permit
    assert _decide(_pdp(), _signaal(consent), at=T0 + timedelta(microseconds=999_999)).permit
    late = _decide(_pdp(), _signaal(consent), at=T0 + timedelta(seconds=1))
    assert (late.permit, late.reason) == (False, "consent expired")


def test_a_consent_not_yet_valid_denies():
    consent = make_consent(valid_from=T0 + timedelta(seconds=1))
    assert _decide(_pdp(), _signaal(consent)).reason == "consent not yet valid"


def test_a_withdrawal_between_intake_and_delivery_turns_permit_into_deny():
    consent = make_consent()
    pdp = _pdp()
    at_intake = _decide(pdp, _signaal(consent), at=T0)
    withdrawn = replace(consent, version=2, status=ConsentStatus.WITHDRAWN,
                        withdrawn_at=T0 + timedelta(minutes=1))
    at_delivery = _decide(pdp, _signaal(withdrawn), at=T0 + timedelta(minutes=2))
    assert at_intake.permit and (at_intake.consent_version == 1)
    assert (at_delivery.permit, at_delivery.reason) == (False, "consent withdrawn")


def test_a_category_the_consent_does_not_cover_is_denied_and_both_are_needed_for_both():
    consent = make_consent(categories=(DataCategory.SIGNAAL_OVERLAST,))
    assert not _decide(_pdp(), _signaal(consent, categories=("signaal_zorg",))).permit
    both = _signaal(consent, categories=("signaal_overlast", "signaal_zorg"))
    assert not _decide(_pdp(), both).permit


def test_lapsed_network_membership_denies_even_with_consent():
    pdp = _pdp(ymere_until=(T0 - timedelta(days=1)).date())
    decision = _decide(pdp, _signaal(make_consent()))
    assert (decision.permit, decision.reason) == (False, "not in network")


def test_an_expired_network_denies_convenant_traffic_too():
    pdp = _pdp(network_until=(T0 - timedelta(days=1)).date())
    decision = pdp.decide(MessageFacts(type=SIGNAAL, sender="ymere"), "mzwo", T0)
    assert (decision.permit, decision.reason) == (False, "not in network")


def test_a_suspended_recipient_or_sender_is_denied():
    consent = make_consent()
    assert _decide(_pdp(suspended={"zorg-a"}), _signaal(consent)).reason == "recipient suspended"
    assert _decide(_pdp(suspended={"ymere"}), _signaal(consent)).reason == "sender suspended"


def test_meldpunt_traffic_rests_on_the_convenant():
    decision = _pdp().decide(MessageFacts(type=SIGNAAL, sender="ymere"), "mzwo", T0)
    assert (decision.permit, decision.basis, decision.network_id) == (True, "convenant",
                                                                     "amsterdam")


def test_noodsituatie_is_denied_on_a_message_that_is_not_urgent():
    decision = _pdp().decide(MessageFacts(type=SIGNAAL, sender="mzwo", urgent=False), "ggd", T0)
    assert (decision.permit, decision.reason) == (False, "noodsituatie requires an urgent message")


def test_noodsituatie_needs_a_justification_and_then_flags_a_review():
    pdp = _pdp()
    bare = pdp.decide(MessageFacts(type=URGENT, sender="mzwo", urgent=True), "ggd", T0)
    assert (bare.permit, bare.reason) == (False, "noodsituatie requires a justification")
    justified = pdp.decide(MessageFacts(type=URGENT, sender="mzwo", urgent=True,
                                        justification="Acuut gevaar voor bewoner."), "ggd", T0)
    assert justified.permit and justified.basis == "noodsituatie" and justified.review_required


def test_a_recipient_outside_every_network_is_not_in_network():
    decision = _pdp().decide(MessageFacts(type=SIGNAAL, sender="ymere"), "onbekend", T0)
    assert (decision.permit, decision.reason) == (False, "not in network")
