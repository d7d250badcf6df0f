"""Registering, withdrawing, reading and evaluating consents through the service."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date, datetime, timedelta

import pytest

from consent.errors import (
    ConsentConflict,
    ConsentNotFound,
    InvalidConsent,
    NotController,
    PrivacyViolation,
)
from consent.evaluation import CONSENT, CONSENT_EXPIRED, CONSENT_WITHDRAWN
from consent.memory import MemoryConsentStore, MemoryConsentUnitOfWork
from consent.model import BegeleideWoning, Consent, ConsentStatus, DataCategory, Provision
from consent.pseudonym import client_ref, network_secret
from consent.services import ConsentService, ConsentSpec
from tests.unit.consent.conftest import MASTER, SHA, T0, K, make_consent


def rules(caught):
    return [(d["field"], d["rule"]) for d in caught.value.details]


# -- registration ----------------------------------------------------------------------------

def test_a_registered_consent_is_version_one_with_a_pseudonymous_client(reg):
    c = reg.register()
    expected = client_ref(network_secret(MASTER, "amsterdam"), achternaam="van der Berg",
                          voorletters="J.P.", geboortedatum="1980-02-29")
    assert (c.version, c.status, c.client_ref, c.controller, c.network_id) == (
        1, ConsentStatus.ACTIVE, expected, "zorg-a", "amsterdam")
    assert c.provisions == (Provision("permit", tenant_id="ymere"),)
    assert c.categories == {DataCategory.SIGNAAL_OVERLAST, DataCategory.HUURACHTERSTAND}
    assert c.evidence.signed_on == date(2026, 11, 19)


def test_no_identity_field_is_kept_in_the_consent_or_the_store(reg):
    c = reg.register()
    stored = repr(reg.store.consents)
    for value in ("Berg", "berg", "Jan", "Pieter", "1980"):
        assert value not in stored
    names = {f.name for f in fields(Consent)} | {f.name for f in fields(BegeleideWoning)}
    assert not names & {"achternaam", "voorvoegsel", "voornamen", "voorletters", "geboortedatum",
                        "naam", "name", "bsn"}
    assert c.client_ref in stored


def test_a_consent_may_be_registered_for_a_known_client_ref(reg):
    ref = reg.register().client_ref
    again = reg.register(client={"client_ref": ref})
    assert again.client_ref == ref
    assert reg.register(client=None, client_ref=ref).client_ref == ref


def test_recipients_are_organisations_by_tenant_id_or_explicit_object_and_deny_may_name_kinds(reg):
    c = reg.register(recipients=["ymere", {"tenant": "eigen-haard"}],
                     deny=[{"tenant": "ggd"}, "gemeente"])
    assert set(c.provisions) == {
        Provision("permit", tenant_id="ymere"),
        Provision("permit", tenant_id="eigen-haard"),
        Provision("deny", tenant_id="ggd"),
        Provision("deny", tenant_kind=K.GEMEENTE),
    }


def test_a_new_consent_naming_a_kind_of_organisation_is_refused_in_dutch(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(recipients=["ymere", "woningcorporatie", {"kind": "ggd"}])
    assert rules(caught) == [("/recipients/1", "consent.recipient_not_organisation"),
                             ("/recipients/2", "consent.recipient_not_organisation")]
    assert caught.value.code == "consent.recipient_not_organisation"
    assert "organisatie" in caught.value.message and "woningcorporatie" not in caught.value.message


def test_a_recipient_string_is_a_tenant_id_even_when_it_reads_like_a_kind(reg):
    c = reg.register(recipients=["ggd"])
    assert c.provisions == (Provision("permit", tenant_id="ggd"),)
    with pytest.raises(InvalidConsent) as caught:
        reg.register(recipients=["ymere"], deny=["ggd"])
    assert rules(caught) == [("/deny/0", "consent.ambiguous_recipient")]


def test_an_unknown_recipient_is_refused_with_its_pointer(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(recipients=["ymere", "nobody"])
    assert caught.value.code == "consent.unknown_recipient"
    assert rules(caught) == [("/recipients/1", "consent.unknown_recipient")]


def test_a_named_recipient_outside_the_network_is_refused(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(recipients=["zorg-utrecht"])
    assert rules(caught) == [("/recipients/0", "consent.recipient_not_in_network")]


def test_the_same_tenant_permitted_and_denied_is_a_conflict_in_the_request(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(recipients=["ymere"], deny=["ymere"])
    assert rules(caught) == [("/deny/0", "consent.conflicting_provision")]


def test_a_consent_without_any_permitted_recipient_is_refused(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(recipients=[], deny=["ymere"])
    assert rules(caught) == [("/recipients", "validation.required")]


def test_only_a_zorgaanbieder_can_be_controller(reg):
    with pytest.raises(NotController):
        reg.register(tenant="ymere")
    with pytest.raises(NotController):
        reg.register(tenant="zorg-a", controller="zorg-b")


def test_the_hub_admin_registers_on_behalf_of_a_named_zorgaanbieder(reg):
    c = reg.consents.register(reg.system, reg.spec(controller="zorg-b"))
    assert c.controller == "zorg-b"
    with pytest.raises(NotController):
        reg.consents.register(reg.system, reg.spec())


def test_a_controller_in_several_networks_must_name_one(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(tenant="zorg-multi")
    assert rules(caught) == [("/network_id", "consent.network_required")]
    assert reg.register(tenant="zorg-multi", network_id="amsterdam").network_id == "amsterdam"


def test_a_network_the_controller_is_no_party_of_is_refused(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(network_id="utrecht")
    assert rules(caught) == [("/network_id", "consent.not_in_network")]


@pytest.mark.parametrize(("client", "pointer", "rule"), [
    ({"achternaam": "Berg", "geboortedatum": "1980-01-01"}, "/client/voornamen",
     "validation.required"),
    ({"achternaam": "Berg", "voornamen": "Jan"}, "/client/geboortedatum", "validation.required"),
    ({"achternaam": "Berg", "voornamen": "Jan", "geboortedatum": "01-01-1980"},
     "/client/geboortedatum", "validation.date"),
    ({"achternaam": "Berg", "voornamen": "Jan", "geboortedatum": "1980-01-01", "bsn": "x"},
     "/client", "validation.unknown_field"),
    ({"client_ref": "not-hex"}, "/client/client_ref", "consent.client_ref_format"),
    ({"client_ref": "a" * 64, "achternaam": "Berg"}, "/client", "consent.client_ambiguous"),
])
def test_an_unusable_client_is_refused_with_its_pointer(reg, client, pointer, rule):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(client=client)
    assert rules(caught) == [(pointer, rule)]


def test_categories_are_required_and_must_be_known(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(categories=[])
    assert rules(caught) == [("/categories", "validation.required")]
    with pytest.raises(InvalidConsent) as caught:
        reg.register(categories=["signaal_overlast", "medisch_dossier"])
    assert rules(caught) == [("/categories/1", "validation.enum")]


def test_purpose_and_necessity_are_required(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(purpose=" ", necessity="")
    assert rules(caught) == [("/purpose", "validation.required"),
                             ("/necessity", "validation.required")]


def test_medical_data_in_the_purpose_is_a_privacy_violation_that_names_the_field(reg):
    with pytest.raises(PrivacyViolation) as caught:
        reg.register(purpose="Cliënt gebruikt lithium vanwege schizofrenie")
    assert caught.value.code == "privacy.medical"
    assert {d["field"] for d in caught.value.details} == {"/purpose"}
    assert "lithium" not in caught.value.message
    assert reg.store.consents == {}


def test_a_bsn_in_the_necessity_is_refused(reg):
    with pytest.raises(PrivacyViolation) as caught:
        reg.register(necessity="Betreft cliënt met BSN 111222333")
    assert caught.value.code == "privacy.bsn"


# -- term ------------------------------------------------------------------------------------

def test_valid_until_is_required(reg):
    spec = reg.spec()
    del spec["valid_until"]
    with pytest.raises(InvalidConsent) as caught:
        reg.consents.register(reg.officer("zorg-a"), spec)
    assert caught.value.code == "consent.valid_until_required"
    assert rules(caught) == [("/valid_until", "consent.valid_until_required")]


def test_a_term_of_exactly_two_calendar_years_is_accepted(reg):
    c = reg.register(valid_until=T0.replace(year=2028))
    assert c.valid_until == datetime(2028, 11, 20, 9, 30, tzinfo=UTC)


def test_a_term_one_second_over_two_years_is_too_long(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(valid_until=T0.replace(year=2028) + timedelta(seconds=1))
    assert caught.value.code == "consent.term_too_long"


def test_the_maximum_term_is_configurable(reg):
    short = ConsentService(lambda: MemoryConsentUnitOfWork(MemoryConsentStore()), reg.clock,
                           secret_for_network=lambda n: b"s", networks_of=reg.networks.get,
                           tenant_kind=reg.kinds.get, max_term=timedelta(days=90))
    spec = reg.spec(valid_until=T0 + timedelta(days=91))
    with pytest.raises(InvalidConsent) as caught:
        short.register(reg.officer("zorg-a"), spec)
    assert caught.value.code == "consent.term_too_long"
    assert short.register(reg.officer("zorg-a"), reg.spec(valid_until=T0 + timedelta(days=90)))


def test_valid_until_must_lie_after_valid_from(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(valid_until=T0)
    assert caught.value.code == "consent.valid_until_before_valid_from"


def test_a_consent_already_over_is_refused(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(valid_from=T0 - timedelta(days=20), valid_until=T0 - timedelta(days=1),
                     evidence={"sha256": SHA, "signed_on": "2026-10-01"})
    assert caught.value.code == "consent.valid_until_in_past"


def test_naive_times_are_refused(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(valid_until=datetime(2027, 1, 1))
    assert rules(caught) == [("/valid_until", "validation.timezone")]


def test_valid_from_defaults_to_now_and_times_are_whole_seconds(reg):
    reg.clock.now = T0 + timedelta(microseconds=123)
    spec = reg.spec(valid_until=T0 + timedelta(days=10, microseconds=456))
    del spec["valid_from"]
    c = reg.consents.register(reg.officer("zorg-a"), spec)
    assert (c.valid_from, c.valid_until) == (T0, T0 + timedelta(days=10))


# -- evidence --------------------------------------------------------------------------------

def test_evidence_is_required(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(evidence=None)
    assert rules(caught) == [("/evidence", "validation.required")]


def test_the_evidence_hash_must_be_a_sha256(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(evidence={"sha256": "abc", "signed_on": "2026-11-19"})
    assert rules(caught) == [("/evidence/sha256", "consent.evidence_sha256")]
    upper = reg.register(evidence={"sha256": SHA.upper(), "signed_on": "2026-11-19"})
    assert upper.evidence.sha256 == SHA


def test_a_document_signed_in_the_future_is_refused(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(evidence={"sha256": SHA, "signed_on": "2026-11-21"},
                     valid_from=T0 + timedelta(days=2))
    assert rules(caught) == [("/evidence/signed_on", "consent.signed_in_future")]


def test_a_consent_cannot_start_before_it_was_signed(reg):
    with pytest.raises(InvalidConsent) as caught:
        reg.register(valid_from=T0 - timedelta(days=10))
    assert rules(caught) == [("/valid_from", "consent.valid_from_before_signing")]


# -- versions and withdrawal -----------------------------------------------------------------

def test_withdrawing_writes_version_two_effective_at_once(reg):
    c = reg.register()
    reg.clock.advance(minutes=3)
    w = reg.consents.withdraw(reg.officer("zorg-a"), c.id, "Cliënt trekt toestemming in")
    assert (w.version, w.status, w.withdrawn_at) == (2, ConsentStatus.WITHDRAWN, reg.clock.now)
    latest, versions = reg.consents.get(reg.officer("zorg-a"), c.id)
    assert latest == w
    assert [(v.version, v.status) for v in versions] == [
        (1, ConsentStatus.ACTIVE), (2, ConsentStatus.WITHDRAWN)]
    assert versions[0] == c


def test_withdrawing_twice_writes_no_third_version(reg):
    c = reg.register()
    first = reg.consents.withdraw(reg.officer("zorg-a"), c.id, "reden")
    second = reg.consents.withdraw(reg.officer("zorg-a"), c.id, "andere reden")
    assert second == first
    assert len(reg.consents.get(reg.officer("zorg-a"), c.id)[1]) == 2


def test_only_the_controller_may_withdraw(reg):
    c = reg.register()
    with pytest.raises(NotController):
        reg.consents.withdraw(reg.officer("ymere"), c.id, "reden")
    with pytest.raises(ConsentNotFound):
        reg.consents.withdraw(reg.officer("zorg-b"), c.id, "reden")


def test_a_withdrawal_reason_is_screened(reg):
    c = reg.register()
    with pytest.raises(PrivacyViolation):
        reg.consents.withdraw(reg.officer("zorg-a"), c.id, "BSN 111222333")
    assert reg.consents.get(reg.officer("zorg-a"), c.id)[0].version == 1


def test_a_concurrent_version_is_a_conflict():
    store = MemoryConsentStore()
    c = make_consent()
    with MemoryConsentUnitOfWork(store) as uow:
        uow.consents.add_version(c)
        uow.commit()
    with MemoryConsentUnitOfWork(store) as uow:
        with pytest.raises(ConsentConflict):
            uow.consents.add_version(c)


def test_nothing_is_stored_when_the_unit_of_work_is_not_committed():
    store = MemoryConsentStore()
    with MemoryConsentUnitOfWork(store) as uow:
        uow.consents.add_version(make_consent())
    assert store.consents == {}


# -- visibility ------------------------------------------------------------------------------

def test_the_controller_and_a_named_recipient_see_the_consent(reg):
    c = reg.register()
    assert reg.consents.get(reg.officer("zorg-a"), c.id)[0] == c
    assert reg.consents.get(reg.officer("ymere"), c.id)[0] == c


def test_a_recipient_by_kind_of_an_earlier_stored_consent_sees_it(reg):
    c = reg.legacy()
    assert reg.consents.get(reg.officer("eigen-haard"), c.id)[0] == c


@pytest.mark.parametrize("tenant", ["zorg-b", "politie", "mzwo-centrum", "zorg-utrecht"])
def test_anyone_else_gets_not_found_never_forbidden(reg, tenant):
    c = reg.register()
    with pytest.raises(ConsentNotFound) as caught:
        reg.consents.get(reg.officer(tenant), c.id)
    assert caught.value.code == "not_found"


def test_a_denied_tenant_does_not_see_the_consent_even_when_its_kind_is_permitted(reg):
    c = reg.legacy(deny=["eigen-haard"])
    with pytest.raises(ConsentNotFound):
        reg.consents.get(reg.officer("eigen-haard"), c.id)


def test_a_recipient_that_left_the_network_no_longer_sees_the_consent(reg):
    c = reg.register()
    reg.networks["ymere"] = []
    with pytest.raises(ConsentNotFound):
        reg.consents.get(reg.officer("ymere"), c.id)


def test_an_unknown_consent_and_an_invisible_one_look_the_same(reg):
    c = reg.register()
    with pytest.raises(ConsentNotFound) as unknown:
        reg.consents.get(reg.officer("zorg-b"), "cns_nope")
    with pytest.raises(ConsentNotFound) as hidden:
        reg.consents.get(reg.officer("zorg-b"), c.id)
    assert (unknown.value.code, unknown.value.message) == (hidden.value.code, hidden.value.message)


def test_the_list_shows_only_visible_consents(reg):
    mine = reg.register()
    reg.register(tenant="zorg-b", recipients=["mzwo-centrum"])
    for_ymere = reg.legacy(tenant="zorg-b")
    assert {c.id for c in reg.consents.list(reg.officer("zorg-a")).items} == {mine.id}
    assert {c.id for c in reg.consents.list(reg.officer("ymere")).items} == {mine.id, for_ymere.id}
    assert len(reg.consents.list(reg.system).items) == 3


def test_the_list_filters_on_client_and_effective_status(reg):
    a = reg.register()
    b = reg.register(client={"achternaam": "Jansen", "voornamen": "Els",
                             "geboortedatum": "1990-01-01"},
                     valid_until=T0 + timedelta(days=1))
    c = reg.register()
    reg.consents.withdraw(reg.officer("zorg-a"), c.id, "Cliënt trekt in.")
    reg.clock.advance(days=2)
    officer = reg.officer("zorg-a")

    def ids(**kw):
        return {x.id for x in reg.consents.list(officer, **kw).items}

    assert ids(client_ref=a.client_ref) == {a.id, c.id}
    assert ids(status="active") == {a.id}
    assert ids(status="expired") == {b.id}
    assert ids(status="withdrawn") == {c.id}
    with pytest.raises(InvalidConsent):
        reg.consents.list(officer, status="pending")


def test_the_list_pages_through_visible_consents_only(reg):
    for _ in range(3):
        reg.register(tenant="zorg-b", recipients=["mzwo-centrum"])
    made = {reg.register().id for _ in range(5)}
    seen, cursor = [], None
    while True:
        page = reg.consents.list(reg.officer("ymere"), after=cursor, limit=2)
        seen += [c.id for c in page.items]
        assert len(page.items) <= 2
        if page.next is None:
            break
        cursor = page.next
    assert sorted(seen) == sorted(made)


# -- evaluation through the service ----------------------------------------------------------

def test_the_service_evaluates_the_clients_consents_in_the_network(reg):
    c = reg.register()
    v = reg.consents.evaluate(c.client_ref, "amsterdam", "ymere", K.WONINGCORPORATIE,
                              "signaal_overlast", reg.clock.now)
    assert (v.permit, v.reason, v.consent_id, v.consent_version) == (True, CONSENT, c.id, 1)
    other = reg.consents.evaluate(c.client_ref, "utrecht", "ymere", K.WONINGCORPORATIE,
                                  "signaal_overlast", reg.clock.now)
    assert not other.permit


def test_a_withdrawal_between_intake_and_delivery_denies_at_delivery(reg):
    c = reg.register()
    intake = reg.consents.evaluate(c.client_ref, "amsterdam", "zorg-a", K.ZORGAANBIEDER,
                                   "signaal_overlast", reg.clock.now, sender_id="ymere",
                                   sender_kind=K.WONINGCORPORATIE)
    reg.clock.advance(minutes=1)
    reg.consents.withdraw(reg.officer("zorg-a"), c.id, "Cliënt trekt in.")
    reg.clock.advance(minutes=1)
    delivery = reg.consents.evaluate(c.client_ref, "amsterdam", "zorg-a", K.ZORGAANBIEDER,
                                     "signaal_overlast", reg.clock.now, sender_id="ymere",
                                     sender_kind=K.WONINGCORPORATIE)
    assert (intake.permit, intake.consent_version) == (True, 1)
    assert (delivery.permit, delivery.reason, delivery.consent_version) == (
        False, CONSENT_WITHDRAWN, 2)


def test_after_the_last_second_the_service_says_expired(reg):
    c = reg.register(valid_until=T0 + timedelta(days=1))
    at = c.valid_until + timedelta(seconds=1)
    v = reg.consents.evaluate(c.client_ref, "amsterdam", "ymere", K.WONINGCORPORATIE,
                              "huurachterstand", at)
    assert (v.permit, v.reason) == (False, CONSENT_EXPIRED)


def test_a_spec_object_works_as_well_as_a_mapping(reg):
    spec = ConsentSpec(**reg.spec())
    assert reg.consents.register(reg.officer("zorg-a"), spec).version == 1
    with pytest.raises(InvalidConsent) as caught:
        reg.consents.register(reg.officer("zorg-a"), {**reg.spec(), "bsn": "111222333"})
    assert caught.value.code == "validation.unknown_field"
    assert "111222333" not in repr(caught.value.details)
