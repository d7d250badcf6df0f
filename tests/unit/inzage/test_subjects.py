"""The subjects a message is about, as the intake hook stores them, and the register lookup."""

from __future__ import annotations

from hub.inzage.hook import subjects_of
from tenants.verwerkingen import DEFAULT_VERWERKINGSREGISTER, for_audit, for_message


def _person(p: dict) -> str:
    return "p:" + p["achternaam"] + p["geboortedatum"]


def _address(a: dict) -> str | None:
    return f"a:{a['postcode']}{a['huisnummer']}" if a.get("postcode") else None


def test_every_person_and_address_of_a_message_is_a_subject():
    data = {"personen": [{"achternaam": "Vries", "geboortedatum": "1968-05-17",
                          "adres": {"postcode": "1012AB", "huisnummer": 1}},
                         {"achternaam": "Vries", "geboortedatum": "2001-01-01"}],
            "adres": {"postcode": "1012AB", "huisnummer": 12}}
    assert subjects_of(data, _person, _address) == {
        ("persoon", "p:Vries1968-05-17"), ("persoon", "p:Vries2001-01-01"),
        ("adres", "a:1012AB1"), ("adres", "a:1012AB12")}


def test_a_message_without_person_or_address_has_no_subject():
    assert subjects_of({"zaak_kenmerk": "Z-1", "reden": "opgelost"}, _person, _address) == set()


def test_a_person_without_a_usable_identity_is_skipped_not_refused():
    from consent.errors import IdentityError

    def refuse(_: dict) -> str:
        raise IdentityError("voornamen")

    data = {"personen": [{"achternaam": "X", "geboortedatum": "1990-01-01"}],
            "adres": {"postcode": "1012AB", "huisnummer": 3}}
    assert subjects_of(data, refuse, _address) == {("adres", "a:1012AB3")}


def test_the_register_names_the_activity_of_a_message_by_type_and_basis():
    signaal = "nl.ketenhub.signaal.v1"
    assert for_message(DEFAULT_VERWERKINGSREGISTER, signaal, "convenant").id == "signalering"
    assert for_message(DEFAULT_VERWERKINGSREGISTER, signaal, "consent").id == \
        "signalering_toestemming"
    assert for_message(DEFAULT_VERWERKINGSREGISTER, "nl.ketenhub.urgent.v1").id == "urgent"
    assert for_message(DEFAULT_VERWERKINGSREGISTER, "nl.ketenhub.onbekend.v1") is None
    assert for_audit(DEFAULT_VERWERKINGSREGISTER, "consent.registered").id == \
        "toestemmingenregister"


def test_every_message_type_of_the_catalogue_has_an_activity_in_the_default_register():
    from hub.intake.catalogue import MESSAGE_TYPES

    missing = [t for t in MESSAGE_TYPES if for_message(DEFAULT_VERWERKINGSREGISTER, t) is None]
    assert not missing, f"message types without a processing activity: {missing}"
