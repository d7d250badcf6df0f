"""The decision table of consent evaluation (DESIGN.md §3 rule 4, consent.evaluation)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consent.evaluation import (
    CONSENT,
    CONSENT_DENIES,
    CONSENT_EXPIRED,
    CONSENT_NOT_YET_VALID,
    CONSENT_WITHDRAWN,
    NO_CONSENT,
    evaluate,
)
from consent.model import ConsentStatus, DataCategory, Provision
from tests.unit.consent.conftest import T0, K, make_consent

P_KIND = Provision("permit", tenant_kind=K.WONINGCORPORATIE)
D_KIND = Provision("deny", tenant_kind=K.WONINGCORPORATIE)
P_YMERE = Provision("permit", tenant_id="ymere")
D_YMERE = Provision("deny", tenant_id="ymere")
OVERLAST = DataCategory.SIGNAAL_OVERLAST


def verdict(consents, recipient="ymere", kind=K.WONINGCORPORATIE, category=OVERLAST, at=T0, **kw):
    return evaluate(consents, recipient_id=recipient, recipient_kind=kind, category=category,
                    at=at, **kw)


TABLE = [
    ("no consents at all deny by default", [], False, NO_CONSENT),
    ("a permit for the recipient's kind permits", [[P_KIND]], True, CONSENT),
    ("a permit naming the recipient permits", [[P_YMERE]], True, CONSENT),
    ("a named deny beats a kind permit", [[P_KIND, D_YMERE]], False, CONSENT_DENIES),
    ("a named permit beats a kind deny", [[D_KIND, P_YMERE]], True, CONSENT),
    ("deny beats permit for the same kind", [[P_KIND, D_KIND]], False, CONSENT_DENIES),
    ("deny beats permit for the same name", [[P_YMERE, D_YMERE]], False, CONSENT_DENIES),
    ("a named deny in one consent beats a kind permit in another", [[P_KIND], [D_YMERE]], False,
     CONSENT_DENIES),
    ("a named permit in one consent beats a kind deny in another", [[D_KIND], [P_YMERE]], True,
     CONSENT),
    ("a kind deny in one consent beats a kind permit in another", [[P_KIND], [D_KIND]], False,
     CONSENT_DENIES),
    ("a permit for another tenant says nothing about this one",
     [[Provision("permit", tenant_id="eigen-haard")]], False, NO_CONSENT),
    ("a permit for another kind says nothing about this tenant",
     [[Provision("permit", tenant_kind=K.POLITIE)]], False, NO_CONSENT),
]


@pytest.mark.parametrize(("consent_provisions", "permit", "reason"),
                         [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_decision_table_on_specificity_and_effect(consent_provisions, permit, reason):
    consents = [make_consent(id=f"cns_{i}", provisions=p) for i, p in enumerate(consent_provisions)]
    v = verdict(consents)
    assert (v.permit, v.reason) == (permit, reason)
    if reason == NO_CONSENT:
        assert (v.consent_id, v.consent_version) == (None, None)
    else:
        assert v.consent_id is not None and v.consent_version == 1


def test_the_deny_verdict_names_the_consent_with_the_deciding_deny():
    consents = [make_consent(id="cns_permit", provisions=[P_KIND]),
                make_consent(id="cns_deny", version=3, provisions=[D_YMERE])]
    v = verdict(consents)
    assert (v.consent_id, v.consent_version) == ("cns_deny", 3)


def test_the_last_second_of_valid_until_is_still_in_force():
    until = T0.replace(hour=23, minute=59, second=59)
    c = make_consent(valid_until=until)
    assert verdict([c], at=until).permit
    assert verdict([c], at=until + timedelta(microseconds=999_999)).permit


def test_the_second_after_valid_until_is_expired():
    until = T0.replace(hour=23, minute=59, second=59)
    v = verdict([make_consent(valid_until=until)], at=until + timedelta(seconds=1))
    assert (v.permit, v.reason, v.consent_id) == (False, CONSENT_EXPIRED, "cns_a")


def test_valid_from_is_in_force_from_its_first_instant():
    c = make_consent(valid_from=T0)
    assert verdict([c], at=T0).permit
    v = verdict([c], at=T0 - timedelta(microseconds=1))
    assert (v.permit, v.reason) == (False, CONSENT_NOT_YET_VALID)


def test_a_withdrawn_consent_denies_with_its_version():
    c = make_consent()
    w = c.withdrawn(T0 - timedelta(minutes=1), "cliënt trekt in")
    v = verdict([w])
    assert (v.permit, v.reason, v.consent_id, v.consent_version) == (
        False, CONSENT_WITHDRAWN, "cns_a", 2)


def test_withdrawal_between_intake_and_delivery_turns_permit_into_deny():
    c = make_consent()
    at_intake = verdict([c], at=T0)
    withdrawn = c.withdrawn(T0 + timedelta(minutes=5), "ingetrokken")
    at_delivery = verdict([withdrawn], at=T0 + timedelta(minutes=10))
    assert (at_intake.permit, at_intake.consent_version) == (True, 1)
    assert (at_delivery.permit, at_delivery.reason, at_delivery.consent_version) == (
        False, CONSENT_WITHDRAWN, 2)


def test_withdrawal_wins_over_expiry_when_explaining_a_deny():
    expired = make_consent(id="cns_old", valid_until=T0 - timedelta(days=1))
    withdrawn = make_consent(id="cns_new").withdrawn(T0, "")
    assert verdict([expired, withdrawn]).reason == CONSENT_WITHDRAWN


def test_expiry_wins_over_not_yet_valid_when_explaining_a_deny():
    expired = make_consent(id="cns_old", valid_until=T0 - timedelta(days=1))
    future = make_consent(id="cns_next", valid_from=T0 + timedelta(days=1))
    v = verdict([future, expired])
    assert (v.reason, v.consent_id) == (CONSENT_EXPIRED, "cns_old")


def test_a_consent_in_force_wins_over_an_expired_one():
    expired = make_consent(id="cns_old", valid_until=T0 - timedelta(days=1))
    current = make_consent(id="cns_new")
    v = verdict([expired, current])
    assert (v.permit, v.consent_id) == (True, "cns_new")


def test_an_expired_deny_no_longer_blocks():
    old_deny = make_consent(id="cns_old", provisions=[D_YMERE],
                            valid_until=T0 - timedelta(days=1))
    assert verdict([old_deny, make_consent(id="cns_new")]).permit


def test_an_expired_consent_that_never_permitted_the_recipient_is_no_consent():
    old_deny = make_consent(provisions=[D_YMERE], valid_until=T0 - timedelta(days=1))
    assert verdict([old_deny]).reason == NO_CONSENT


def test_a_category_the_consent_does_not_cover_is_no_consent():
    c = make_consent(categories=[DataCategory.SIGNAAL_OVERLAST])
    v = verdict([c], category=DataCategory.HUURACHTERSTAND)
    assert (v.permit, v.reason) == (False, NO_CONSENT)


def test_a_deny_only_applies_to_the_categories_of_its_consent():
    deny_rent = make_consent(id="cns_rent", provisions=[D_YMERE],
                             categories=[DataCategory.HUURACHTERSTAND])
    permit_signal = make_consent(id="cns_signal", provisions=[P_KIND])
    assert verdict([deny_rent, permit_signal]).permit
    assert not verdict([deny_rent, permit_signal], category=DataCategory.HUURACHTERSTAND).permit


def test_the_category_may_be_given_as_a_string():
    assert verdict([make_consent()], category="signaal_overlast").permit


def test_of_several_permitting_consents_the_one_lasting_longest_is_named():
    short = make_consent(id="cns_a", valid_until=T0 + timedelta(days=10))
    long = make_consent(id="cns_b", valid_until=T0 + timedelta(days=100))
    assert verdict([short, long]).consent_id == "cns_b"
    assert verdict([long, short]).consent_id == "cns_b"


def test_of_equally_long_consents_the_smallest_id_is_named():
    a, b = make_consent(id="cns_a"), make_consent(id="cns_b")
    assert verdict([b, a]).consent_id == "cns_a"


def test_the_controller_may_receive_under_its_own_consent_without_a_sender():
    v = verdict([make_consent()], recipient="zorg-a", kind=K.ZORGAANBIEDER)
    assert (v.permit, v.consent_id) == (True, "cns_a")


def test_the_controller_receives_from_a_sender_the_consent_permits():
    v = verdict([make_consent()], recipient="zorg-a", kind=K.ZORGAANBIEDER,
                sender_id="ymere", sender_kind=K.WONINGCORPORATIE)
    assert v.permit


def test_the_controller_does_not_receive_from_a_sender_the_consent_denies():
    c = make_consent(provisions=[P_KIND, Provision("deny", tenant_id="eigen-haard")])
    v = verdict([c], recipient="zorg-a", kind=K.ZORGAANBIEDER, sender_id="eigen-haard",
                sender_kind=K.WONINGCORPORATIE)
    assert (v.permit, v.reason) == (False, CONSENT_DENIES)


def test_the_controller_does_not_receive_from_a_sender_the_consent_does_not_name():
    v = verdict([make_consent()], recipient="zorg-a", kind=K.ZORGAANBIEDER,
                sender_id="politie", sender_kind=K.POLITIE)
    assert (v.permit, v.reason) == (False, NO_CONSENT)


def test_a_consent_does_not_cover_a_message_between_two_other_tenants():
    v = verdict([make_consent()], sender_id="mzwo-centrum", sender_kind=K.MELDPUNT)
    assert (v.permit, v.reason) == (False, NO_CONSENT)


def test_the_controller_may_send_to_a_recipient_its_consent_permits():
    assert verdict([make_consent()], sender_id="zorg-a", sender_kind=K.ZORGAANBIEDER).permit


def test_another_zorgaanbieder_is_not_the_controller():
    v = verdict([make_consent()], recipient="zorg-b", kind=K.ZORGAANBIEDER)
    assert (v.permit, v.reason) == (False, NO_CONSENT)


def test_a_withdrawn_consent_is_not_in_force_at_any_moment():
    w = make_consent().withdrawn(T0 + timedelta(days=5), "")
    assert w.status is ConsentStatus.WITHDRAWN
    assert not w.in_force(T0)
