"""Consent terms, waakvlam periods and address keys of the model."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from consent.errors import AddressError
from consent.model import (
    BegeleideWoning,
    ContractVorm,
    DataCategory,
    EffectiveStatus,
    Provision,
    add_years,
    address_key,
)
from tests.unit.consent.conftest import T0, K, make_consent


def woning(omklap=date(2025, 3, 1), vorm=ContractVorm.EIGEN_NAAM, **kw):
    base = dict(id="bw_1", network_id="amsterdam", postcode="1012AB", huisnummer=12,
                huisletter=None, toevoeging=None, zorgaanbieder="zorg-a", client_ref="c" * 64,
                consent_id="cns_a", contractvorm=vorm, omklap_datum=omklap, created_at=T0)
    base.update(kw)
    return BegeleideWoning(**base)


def test_a_provision_names_a_tenant_or_a_kind_never_both():
    with pytest.raises(ValueError):
        Provision("permit", tenant_id="ymere", tenant_kind=K.WONINGCORPORATIE)
    with pytest.raises(ValueError):
        Provision("permit")
    with pytest.raises(ValueError):
        Provision("maybe", tenant_id="ymere")  # type: ignore[arg-type]


def test_applies_to_is_true_for_a_deny_as_well_as_a_permit():
    c = make_consent(provisions=[Provision("deny", tenant_id="ymere")])
    assert c.applies_to("ymere", K.WONINGCORPORATIE)
    assert not c.permits("ymere", K.WONINGCORPORATIE)
    assert not c.applies_to("politie", K.POLITIE)


def test_effective_status_moves_from_active_to_expired_after_the_last_second():
    c = make_consent(valid_until=T0)
    assert c.effective_status(T0) is EffectiveStatus.ACTIVE
    assert c.effective_status(T0 + timedelta(seconds=1)) is EffectiveStatus.EXPIRED
    assert c.withdrawn(T0, "").effective_status(T0) is EffectiveStatus.WITHDRAWN


def test_withdrawing_makes_the_next_version_and_keeps_everything_else():
    c = make_consent(version=4)
    w = c.withdrawn(T0, "reden")
    assert (w.version, w.withdrawn_at, w.withdrawal_reason) == (5, T0, "reden")
    assert (w.id, w.provisions, w.valid_until, w.created_at) == (
        c.id, c.provisions, c.valid_until, c.created_at)


def test_covers_only_the_listed_categories():
    c = make_consent(categories=[DataCategory.SIGNAAL_ZORG])
    assert c.covers("signaal_zorg") and not c.covers(DataCategory.HUURACHTERSTAND)


def test_two_years_after_a_leap_day_is_the_28th_of_february():
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2025, 3, 1), 2) == date(2027, 3, 1)


def test_the_waakvlam_runs_from_the_omklap_day_to_the_day_before_the_second_anniversary():
    w = woning(omklap=date(2025, 3, 1))
    assert w.waakvlam_until == date(2027, 3, 1)
    assert not w.in_waakvlam(date(2025, 2, 28))
    assert w.in_waakvlam(date(2025, 3, 1))
    assert w.in_waakvlam(date(2027, 2, 28))
    assert not w.in_waakvlam(date(2027, 3, 1))


def test_the_waakvlam_day_is_the_dutch_calendar_day():
    w = woning(omklap=date(2025, 3, 1))
    # 28 Feb 2027 23:30 UTC is already 1 March 00:30 in Amsterdam.
    assert not w.in_waakvlam(datetime(2027, 2, 28, 23, 30, tzinfo=UTC))
    assert w.in_waakvlam(datetime(2027, 2, 28, 22, 59, tzinfo=UTC))


def test_a_waakvlam_after_a_leap_day_omklap_ends_on_the_28th():
    w = woning(omklap=date(2024, 2, 29))
    assert w.waakvlam_until == date(2026, 2, 28)
    assert w.in_waakvlam(date(2026, 2, 27)) and not w.in_waakvlam(date(2026, 2, 28))


def test_without_omklap_there_is_no_waakvlam():
    w = woning(omklap=None, vorm=ContractVorm.INTERMEDIAIR)
    assert w.waakvlam_until is None and not w.in_waakvlam(T0)


def test_signalen_and_huurachterstand_route_during_waakvlam_and_nothing_after_it():
    w = woning(omklap=date(2025, 3, 1))
    during, after = datetime(2026, 6, 1, tzinfo=UTC), datetime(2027, 6, 1, tzinfo=UTC)
    assert w.routes("signaal_overlast", during) and w.routes("signaal_zorg", during)
    assert w.routes("huurachterstand", during)
    assert not w.routes("signaal_overlast", after) and not w.routes("huurachterstand", after)
    assert not w.routes("afspraken_wonen", during)
    assert (w.refusal(during), w.refusal(after)) == (None, "waakvlam ended")


def test_an_intermediair_woning_routes_signalen_until_the_arrangement_ends():
    w = woning(omklap=None, vorm=ContractVorm.INTERMEDIAIR)
    assert w.routes("signaal_overlast", datetime(2040, 1, 1, tzinfo=UTC))
    assert not w.routes("huurachterstand", T0)
    ended = replace(w, einde_datum=date(2027, 1, 1))
    assert ended.routes("signaal_overlast", datetime(2026, 12, 31, 12, tzinfo=UTC))
    assert not ended.routes("signaal_overlast", datetime(2027, 1, 1, 12, tzinfo=UTC))
    assert ended.refusal(date(2027, 1, 1)) == "begeleide woning ended"


@pytest.mark.parametrize(("parts", "key"), [
    (("1012 ab", 12, None, None), "1012AB|12|"),
    (("1012AB", "12", "a", None), "1012AB|12|A"),
    (("1012AB", 12, None, "A"), "1012AB|12|A"),
    (("1012AB", 12, "A", "-2"), "1012AB|12|A2"),
    (("1012AB", 12, None, " a-2 "), "1012AB|12|A2"),
    (("1012AB", 12, "", ""), "1012AB|12|"),
])
def test_address_keys_meet_across_spellings(parts, key):
    assert address_key(*parts) == key


@pytest.mark.parametrize(("parts", "field"), [
    (("0123AB", 1, None, None), "postcode"),
    (("1012A", 1, None, None), "postcode"),
    (("1012AB", 0, None, None), "huisnummer"),
    (("1012AB", "12a", None, None), "huisnummer"),
    (("1012AB", 12, "AB", None), "huisletter"),
    (("1012AB", 12, "1", None), "huisletter"),
    (("1012AB", 12, None, "ABCDE"), "toevoeging"),
])
def test_a_malformed_address_part_is_named(parts, field):
    with pytest.raises(AddressError) as caught:
        address_key(*parts)
    assert caught.value.field == field


def test_the_woning_address_key_uses_its_own_fields():
    assert woning(huisletter="A", toevoeging="2").address_key() == "1012AB|12|A2"
