"""The regiecheck's message types: the request, the question, the answer (dat-informatie only),
the reminder and the expiry — their schemas, and the privacy guard over each of them."""

from __future__ import annotations

import json

import pytest
from marshmallow import ValidationError

from consent.privacy import PrivacyGuard
from hub.errors import InvalidMessage
from hub.intake.catalogue import (
    EMITTED_TYPES,
    MESSAGE_TYPES,
    REGIECHECK_ANTWOORD,
    REGIECHECK_HERINNERING,
    REGIECHECK_VERLOPEN,
    REGIECHECK_VRAAG,
    validate_data,
)
from hub.intake.schemas.base import flatten
from hub.intake.schemas.regiecheck import RegiecheckVerzoekSchema

CHECK_ID = "5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10"
PERSOON = {"achternaam": "Jansen", "voornamen": "Piet", "geboortedatum": "1971-03-04"}
CONTACT = {"naam": "A. de Vries", "functie": "wijkagent", "telefoon": "020 555 0101"}
BSN = "111222333"

EXAMPLES = {
    REGIECHECK_VRAAG: {"regiecheck_id": CHECK_ID, "personen": [PERSOON], "soort": "overlast",
                       "overlastsoorten": ["geluid"], "deadline": "2026-12-03T22:59:59Z"},
    REGIECHECK_ANTWOORD: {"regiecheck_id": CHECK_ID, "bekend": True, "contact": CONTACT},
    REGIECHECK_HERINNERING: {"regiecheck_id": CHECK_ID, "deadline": "2026-12-03T22:59:59Z"},
    REGIECHECK_VERLOPEN: {"regiecheck_id": CHECK_ID, "deadline": "2026-12-03T22:59:59Z",
                          "niet_beantwoord": ["wpi"]},
}


def _load(message_type: str, data: dict) -> dict:
    schema = {**MESSAGE_TYPES, **EMITTED_TYPES}[message_type]()
    return schema.load(data)


@pytest.mark.parametrize("message_type", sorted(EXAMPLES))
def test_every_regiecheck_type_has_a_schema_that_loads_its_example(message_type):
    assert _load(message_type, EXAMPLES[message_type])["regiecheck_id"] == CHECK_ID


@pytest.mark.parametrize("message_type", sorted(EXAMPLES))
def test_every_regiecheck_type_refuses_an_unknown_field(message_type):
    with pytest.raises(ValidationError) as err:
        _load(message_type, EXAMPLES[message_type] | {"toelichting": "x"})
    assert flatten(err.value.messages, ["data"]) == [
        {"field": "/data/toelichting", "rule": "validation.unknown_field"}]


@pytest.mark.parametrize("message_type", sorted(EXAMPLES))
def test_the_privacy_guard_finds_a_bsn_in_every_regiecheck_type(message_type):
    data = json.loads(json.dumps(EXAMPLES[message_type]))
    data["regiecheck_id"] = f"BSN {BSN}"
    verdict = PrivacyGuard.default().scan({"data": data})
    assert [(f.rule, f.field) for f in verdict.findings] == [("privacy.bsn", "/data/regiecheck_id")]


@pytest.mark.parametrize("message_type", sorted(EXAMPLES))
def test_the_example_of_every_regiecheck_type_passes_the_privacy_guard(message_type):
    assert PrivacyGuard.default().scan({"data": EXAMPLES[message_type]}).ok


def test_only_the_answer_is_accepted_from_partners():
    assert REGIECHECK_ANTWOORD in MESSAGE_TYPES
    assert not {REGIECHECK_VRAAG, REGIECHECK_HERINNERING, REGIECHECK_VERLOPEN} & set(MESSAGE_TYPES)


def test_an_answer_that_knows_the_person_needs_a_contact():
    with pytest.raises(InvalidMessage) as err:
        validate_data(REGIECHECK_ANTWOORD, {"regiecheck_id": CHECK_ID, "bekend": True})
    assert err.value.details == [{"field": "/data/contact", "rule": "validation.required"}]


def test_an_answer_that_does_not_know_the_person_is_just_bekend_false():
    assert validate_data(REGIECHECK_ANTWOORD, {"regiecheck_id": CHECK_ID, "bekend": False}) == {
        "regiecheck_id": CHECK_ID, "bekend": False}


def test_bekend_must_be_a_json_boolean():
    with pytest.raises(InvalidMessage) as err:
        validate_data(REGIECHECK_ANTWOORD, {"regiecheck_id": CHECK_ID, "bekend": "ja"})
    assert err.value.details == [{"field": "/data/bekend", "rule": "validation.invalid"}]


def test_a_request_names_roles_and_refuses_an_unknown_one():
    schema = RegiecheckVerzoekSchema()
    body = {"personen": [PERSOON | {"rol": "melder"}], "reden_melder": "Veroorzaakt zelf overlast",
            "soort": "zorg"}
    assert schema.load(body)["personen"][0]["rol"] == "melder"
    with pytest.raises(ValidationError) as err:
        schema.load(body | {"personen": [PERSOON | {"rol": "buurman"}]})
    assert flatten(err.value.messages, []) == [
        {"field": "/personen/0/rol", "rule": "validation.choice"}]


def test_a_melder_reason_has_at_least_ten_characters():
    with pytest.raises(ValidationError) as err:
        RegiecheckVerzoekSchema().load({"personen": [PERSOON], "soort": "zorg",
                                        "reden_melder": "kort"})
    assert flatten(err.value.messages, []) == [
        {"field": "/reden_melder", "rule": "validation.length"}]


def test_a_partner_is_asked_at_most_once_in_a_request():
    with pytest.raises(ValidationError) as err:
        RegiecheckVerzoekSchema().load({"personen": [PERSOON], "soort": "zorg",
                                        "partners": ["politie", "politie"]})
    assert flatten(err.value.messages, [])[0]["rule"] == "validation.unique"
