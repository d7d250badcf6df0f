"""Registering and looking up begeleide woningen."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from consent.errors import ConsentConflict, ConsentNotFound, InvalidConsent, NotController
from consent.model import ContractVorm
from tests.unit.consent.conftest import T0


@pytest.fixture
def consent(reg):
    return reg.register()


def woning_spec(consent, **kw):
    base = {"adres": {"postcode": "1012 ab", "huisnummer": 12, "huisletter": "a"},
            "client_ref": consent.client_ref, "consent_id": consent.id,
            "contractvorm": "intermediair"}
    base.update(kw)
    return base


def test_a_zorgaanbieder_registers_a_woning_under_its_own_consent(reg, consent):
    w = reg.woningen.register(reg.officer("zorg-a"), woning_spec(consent))
    assert (w.postcode, w.huisnummer, w.huisletter, w.toevoeging) == ("1012AB", 12, "A", None)
    assert (w.zorgaanbieder, w.network_id, w.consent_id, w.contractvorm) == (
        "zorg-a", "amsterdam", consent.id, ContractVorm.INTERMEDIAIR)
    assert reg.woningen.get(reg.officer("zorg-a"), w.id) == w


def test_an_omklap_starts_two_years_of_waakvlam(reg, consent):
    w = reg.woningen.register(reg.officer("zorg-a"), woning_spec(
        consent, contractvorm="eigen_naam", omklap_datum="2026-11-01"))
    assert w.waakvlam_until == date(2028, 11, 1)
    assert w.in_waakvlam(T0) and w.routes("huurachterstand", T0)


def test_an_intermediair_contract_has_no_omklap_date(reg, consent):
    with pytest.raises(InvalidConsent) as caught:
        reg.woningen.register(reg.officer("zorg-a"), woning_spec(consent, omklap_datum="2026-11-01"))
    assert caught.value.code == "consent.omklap_requires_eigen_naam"


def test_an_omklap_in_the_future_is_refused(reg, consent):
    with pytest.raises(InvalidConsent) as caught:
        reg.woningen.register(reg.officer("zorg-a"), woning_spec(
            consent, contractvorm="eigen_naam", omklap_datum="2026-11-21"))
    assert caught.value.code == "consent.omklap_in_future"


def test_only_the_controller_of_the_consent_registers_a_woning(reg, consent):
    with pytest.raises(NotController):
        reg.woningen.register(reg.officer("ymere"), woning_spec(consent))


def test_a_consent_the_caller_cannot_see_is_an_unknown_consent(reg, consent):
    with pytest.raises(InvalidConsent) as caught:
        reg.woningen.register(reg.officer("zorg-b"), woning_spec(consent))
    assert [(d["field"], d["rule"]) for d in caught.value.details] == [
        ("/consent_id", "consent.unknown")]


def test_the_client_must_be_the_client_of_the_consent(reg, consent):
    with pytest.raises(InvalidConsent) as caught:
        reg.woningen.register(reg.officer("zorg-a"), woning_spec(consent, client_ref="d" * 64))
    assert caught.value.code == "consent.client_mismatch"


def test_a_withdrawn_or_expired_consent_cannot_carry_a_new_woning(reg, consent):
    reg.consents.withdraw(reg.officer("zorg-a"), consent.id, "Cliënt verhuist.")
    with pytest.raises(InvalidConsent) as caught:
        reg.woningen.register(reg.officer("zorg-a"), woning_spec(consent))
    assert caught.value.code == "consent.withdrawn"
    short = reg.register(valid_until=T0 + timedelta(days=1))
    reg.clock.advance(days=2)
    with pytest.raises(InvalidConsent) as caught:
        reg.woningen.register(reg.officer("zorg-a"), woning_spec(short))
    assert caught.value.code == "consent.expired"


def test_a_malformed_address_is_refused_with_pointers(reg, consent):
    with pytest.raises(InvalidConsent) as caught:
        reg.woningen.register(reg.officer("zorg-a"), woning_spec(
            consent, adres={"postcode": "12", "huisnummer": 0}))
    assert [(d["field"], d["rule"]) for d in caught.value.details] == [
        ("/adres/postcode", "validation.postcode"), ("/adres/huisnummer", "validation.huisnummer")]


def test_the_same_woning_twice_is_a_conflict(reg, consent):
    reg.woningen.register(reg.officer("zorg-a"), woning_spec(consent))
    with pytest.raises(ConsentConflict):
        reg.woningen.register(reg.officer("zorg-a"), woning_spec(
            consent, adres={"postcode": "1012AB", "huisnummer": "12", "toevoeging": "A"}))


def test_lookup_finds_the_woning_across_address_spellings(reg, consent):
    w = reg.woningen.register(reg.officer("zorg-a"), woning_spec(consent))
    assert reg.woningen.lookup("1012AB", 12, None, "a", T0) == [w]
    assert reg.woningen.lookup("1012ab", "12", "A", None, T0, network_id="amsterdam") == [w]
    assert reg.woningen.lookup("1012AB", 12, None, None, T0) == []
    assert reg.woningen.lookup("1012AB", 12, "A", None, T0, network_id="utrecht") == []
    assert reg.woningen.lookup("not a postcode", 12) == []


def test_others_do_not_see_a_woning(reg, consent):
    w = reg.woningen.register(reg.officer("zorg-a"), woning_spec(consent))
    with pytest.raises(ConsentNotFound):
        reg.woningen.get(reg.officer("ymere"), w.id)
    assert reg.woningen.list(reg.officer("ymere")).items == []
    assert reg.woningen.list(reg.officer("ymere"), zorgaanbieder="zorg-a").items == []
    assert reg.woningen.list(reg.officer("zorg-a")).items == [w]
    assert reg.woningen.list(reg.system).items == [w]


def test_signaal_and_huurachterstand_stop_when_the_waakvlam_ends(reg, consent):
    w = reg.woningen.register(reg.officer("zorg-a"), woning_spec(
        consent, contractvorm="eigen_naam", omklap_datum="2025-03-01"))
    last_day = datetime(2027, 2, 28, 12, tzinfo=UTC)
    assert w.routes("huurachterstand", last_day) and w.routes("signaal_overlast", last_day)
    assert not w.routes("huurachterstand", last_day + timedelta(days=1))
    assert not w.routes("signaal_overlast", last_day + timedelta(days=1))


def test_the_omklap_and_the_end_are_recorded_on_an_existing_woning(reg, consent):
    officer = reg.officer("zorg-a")
    w = reg.woningen.register(officer, woning_spec(consent))
    assert w.contractvorm.value == "intermediair" and w.waakvlam_until is None
    omgeklapt = reg.woningen.change(officer, w.id, {"contractvorm": "eigen_naam",
                                                    "omklap_datum": "2025-03-01"})
    assert omgeklapt.waakvlam_until == date(2027, 3, 1)
    assert reg.woningen.get(officer, w.id) == omgeklapt
    ended = reg.woningen.change(officer, w.id, {"einde_datum": date(2026, 1, 1)})
    assert ended.refusal(date(2026, 1, 1)) == "begeleide woning ended"


def test_a_change_that_does_not_fit_is_refused_and_nothing_changes(reg, consent):
    officer = reg.officer("zorg-a")
    w = reg.woningen.register(officer, woning_spec(consent))
    with pytest.raises(InvalidConsent) as err:
        reg.woningen.change(officer, w.id, {"omklap_datum": "2025-03-01"})
    assert err.value.details == [{"field": "/omklap_datum",
                                  "rule": "consent.omklap_requires_eigen_naam"}]
    with pytest.raises(ConsentNotFound):
        reg.woningen.change(reg.officer("zorg-b"), w.id, {"einde_datum": "2026-01-01"})
    assert reg.woningen.get(officer, w.id) == w
