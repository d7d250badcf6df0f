"""The data schemas of the message catalogue: normalisation, rule codes and JSON pointers."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from hub.errors import InvalidMessage
from hub.intake.catalogue import MESSAGE_TYPES, pc4, validate_data

TODAY = date(2026, 11, 25)
MARKER = "GEHEIM7Q"

ADRES = {"postcode": "1012 ab", "huisnummer": 12, "huisletter": "a", "toevoeging": "2h",
         "woonplaats": "Amsterdam"}
PERSOON = {"achternaam": "Jansen", "voorvoegsel": "de", "voornamen": "Piet Jan", "voorletters": "P.J.",
           "geboortedatum": "1970-03-04", "adres": {"postcode": "1012AB", "huisnummer": 12}}
CONTACT = {"naam": "A. de Vries", "functie": "casusregisseur", "telefoon": "+31 20 123 4567",
           "email": "a.devries@example.nl"}

EXAMPLES = {
    "nl.ketenhub.signaal.v1": {
        "soort": "overlast_en_zorg", "categorieen": ["geluid", "verward_gedrag"], "adres": ADRES,
        "omschrijving": "Nachtelijk geluid en een buurvrouw die verward overkomt.",
        "waargenomen_op": {"van": "2026-11-01", "tot": "2026-11-20"}, "melder_type": "omwonende",
        "urgentie": "normaal", "kenmerk_afzender": "CRM-2026-0042",
    },
    "nl.ketenhub.signaal.reactie.v1": {
        "signaal_id": "5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10", "status": "klager_benaderd",
        "toelichting": "Klager gebeld.",
    },
    "nl.ketenhub.huurachterstand.v1": {"adres": ADRES, "maanden_achterstand": 3, "kenmerk_afzender": "H-1"},
    "nl.ketenhub.urgent.v1": {"personen": [PERSOON], "adres": ADRES, "situatieschets": "Dreigt met geweld.",
                              "contact": CONTACT},
    "nl.ketenhub.toewijzing.v1": {"zaak_kenmerk": "MZWO-2026-17", "aan": "ggz-noord",
                                  "toelichting": "Bekend."},
    "nl.ketenhub.toewijzing.reactie.v1": {"zaak_kenmerk": "MZWO-2026-17", "geaccepteerd": True,
                                          "contact": CONTACT},
    "nl.ketenhub.afsluiting.v1": {"zaak_kenmerk": "MZWO-2026-17", "reden": "opgelost",
                                  "toelichting": "Rust."},
    "nl.ketenhub.regiecheck.antwoord.v1": {"regiecheck_id": "5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10",
                                           "bekend": True, "contact": CONTACT},
    "nl.ketenhub.aanmelding.v1": {
        "adres": {"postcode": "3511 AB", "huisnummer": 4}, "eigendom": "corporatie",
        "woningcorporatie": "mitros", "overlastvormen": ["geluid", "vervuiling"],
        "criteria": {"woongerelateerd": True, "ernstig_of_drie_maanden": True,
                     "meerdere_vormen": True, "complexe_problematiek": True,
                     "voorliggende_partij_heeft_ingezet": True, "meerdere_disciplines": True},
        "omschrijving": "Al maanden geluid en vervuiling rond de woning.",
        "kenmerk_afzender": "MIT-2026-9"},
    "nl.ketenhub.aanmelding.reactie.v1": {
        "aanmelding_id": "5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10", "status": "in_behandeling"},
    "nl.ketenhub.toestemmingsverzoek.v1": {
        "aanmelding_id": "5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10", "aan": "mitros",
        "adres": {"postcode": "3511 AB", "huisnummer": 4}},
    "nl.ketenhub.toestemmingsverzoek.reactie.v1": {
        "verzoek_id": "5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10", "status": "gegeven"},
}


def valid(message_type: str) -> dict:
    return copy.deepcopy(EXAMPLES[message_type])


def refuse(message_type: str, data: dict) -> InvalidMessage:
    with pytest.raises(InvalidMessage) as err:
        validate_data(message_type, data, today=TODAY)
    return err.value


def only(message_type: str, data: dict) -> tuple[str, list[dict]]:
    exc = refuse(message_type, data)
    return exc.code, exc.details


SIGNAAL = "nl.ketenhub.signaal.v1"
URGENT = "nl.ketenhub.urgent.v1"


# -- the catalogue ---------------------------------------------------------------------------------


def test_the_catalogue_holds_exactly_the_message_types_of_the_api():
    assert set(MESSAGE_TYPES) == set(EXAMPLES)


@pytest.mark.parametrize("message_type", sorted(EXAMPLES))
def test_a_valid_example_of_every_type_is_accepted_and_serialises_as_json(message_type):
    data = validate_data(message_type, valid(message_type), today=TODAY)
    assert json.loads(json.dumps(data)) == data
    assert validate_data(message_type, data, today=TODAY) == data  # normalising is idempotent


def test_an_unknown_message_type_is_refused_with_unknown_type():
    exc = refuse("nl.ketenhub.onbekend.v1", {})
    assert exc.code == "validation.unknown_type"
    assert exc.details == [{"field": "/type", "rule": "validation.unknown_type"}]


def test_data_that_is_not_an_object_is_invalid():
    assert only(SIGNAAL, ["geluid"]) == ("validation.invalid", [{"field": "/data",
                                                                 "rule": "validation.invalid"}])


# -- adres -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["1012 AB", "1012ab", " 1012 aB "])
def test_a_postcode_with_a_space_or_lower_case_is_normalised(given):
    data = valid(SIGNAAL) | {"adres": {"postcode": given, "huisnummer": 1}}
    assert validate_data(SIGNAAL, data, today=TODAY)["adres"] == {"postcode": "1012AB", "huisnummer": 1}


@pytest.mark.parametrize("postcode", ["0123AB", "1234SA", "1234 sd", "1234SS", "12345", "1234-AB",
                                      "1234  AB", "1234ABC"])
def test_a_postcode_that_is_not_dutch_breaks_the_format_rule(postcode):
    data = valid(SIGNAAL) | {"adres": {"postcode": postcode, "huisnummer": 1}}
    assert only(SIGNAAL, data) == ("validation.format", [{"field": "/data/adres/postcode",
                                                          "rule": "validation.format"}])


@pytest.mark.parametrize(("huisnummer", "rule"), [
    (0, "validation.range"), (100000, "validation.range"), ("12", "validation.invalid"),
    (True, "validation.invalid"), (12.0, "validation.invalid"),
])
def test_a_huisnummer_is_an_integer_from_1_to_99999(huisnummer, rule):
    data = valid(SIGNAAL) | {"adres": {"postcode": "1012AB", "huisnummer": huisnummer}}
    assert only(SIGNAAL, data)[1] == [{"field": "/data/adres/huisnummer", "rule": rule}]


@pytest.mark.parametrize(("field", "value", "rule"), [
    ("huisletter", "ab", "validation.length"), ("huisletter", "1", "validation.format"),
    ("toevoeging", "abcde", "validation.length"), ("toevoeging", "a-b", "validation.format"),
    ("woonplaats", "x" * 81, "validation.length"),
])
def test_the_optional_parts_of_an_adres_are_checked(field, value, rule):
    data = valid(SIGNAAL) | {"adres": {"postcode": "1012AB", "huisnummer": 1, field: value}}
    assert only(SIGNAAL, data)[1] == [{"field": f"/data/adres/{field}", "rule": rule}]


def test_huisletter_and_toevoeging_are_upper_cased():
    adres = validate_data(SIGNAAL, valid(SIGNAAL), today=TODAY)["adres"]
    assert (adres["huisletter"], adres["toevoeging"]) == ("A", "2H")


def test_pc4_gives_the_postcode_area_of_an_adres():
    assert pc4({"postcode": "1012AB", "huisnummer": 1}) == 1012
    assert pc4({"postcode": "9999 zz"}) == 9999


# -- signaal ---------------------------------------------------------------------------------------


def test_urgentie_defaults_to_normaal():
    data = valid(SIGNAAL)
    del data["urgentie"]
    assert validate_data(SIGNAAL, data, today=TODAY)["urgentie"] == "normaal"


def test_strings_are_stripped():
    data = valid(SIGNAAL) | {"omschrijving": "  geluid \n", "kenmerk_afzender": " K-1 "}
    out = validate_data(SIGNAAL, data, today=TODAY)
    assert (out["omschrijving"], out["kenmerk_afzender"]) == ("geluid", "K-1")


@pytest.mark.parametrize("empty", ["", "   ", None])
def test_an_empty_or_null_required_field_is_required(empty):
    data = valid(SIGNAAL) | {"omschrijving": empty}
    assert only(SIGNAAL, data) == ("validation.required", [{"field": "/data/omschrijving",
                                                            "rule": "validation.required"}])


def test_an_empty_or_null_optional_field_is_left_out():
    adres = {"postcode": "1012AB", "huisnummer": 1, "huisletter": "", "woonplaats": None}
    data = valid(SIGNAAL) | {"adres": adres}
    assert validate_data(SIGNAAL, data, today=TODAY)["adres"] == {"postcode": "1012AB", "huisnummer": 1}


def test_an_omschrijving_over_2000_characters_is_too_long():
    data = valid(SIGNAAL) | {"omschrijving": "x" * 2001}
    assert only(SIGNAAL, data)[1] == [{"field": "/data/omschrijving", "rule": "validation.length"}]


@pytest.mark.parametrize(("categorieen", "detail"), [
    ([], {"field": "/data/categorieen", "rule": "validation.required"}),
    ("geluid", {"field": "/data/categorieen", "rule": "validation.invalid"}),
    (["geluid", "geluid"], {"field": "/data/categorieen/1", "rule": "validation.unique"}),
    (["geluid", "lawaai"], {"field": "/data/categorieen/1", "rule": "validation.choice"}),
])
def test_categorieen_is_a_non_empty_list_of_known_unique_values(categorieen, detail):
    assert only(SIGNAAL, valid(SIGNAAL) | {"categorieen": categorieen})[1] == [detail]


@pytest.mark.parametrize(("field", "value"), [
    ("soort", "overlast_zonder_zorg"), ("melder_type", "buurman"), ("urgentie", "hoog"),
    ("soort", "Overlast"),
])
def test_an_unknown_choice_breaks_the_choice_rule(field, value):
    assert only(SIGNAAL, valid(SIGNAAL) | {field: value})[1] == [{"field": f"/data/{field}",
                                                                   "rule": "validation.choice"}]


def test_waargenomen_op_may_be_a_single_date():
    data = valid(SIGNAAL) | {"waargenomen_op": "2026-11-20"}
    assert validate_data(SIGNAAL, data, today=TODAY)["waargenomen_op"] == "2026-11-20"


def test_waargenomen_op_may_be_an_open_period():
    data = valid(SIGNAAL) | {"waargenomen_op": {"van": "2026-11-01"}}
    assert validate_data(SIGNAAL, data, today=TODAY)["waargenomen_op"] == {"van": "2026-11-01"}


@pytest.mark.parametrize(("value", "detail"), [
    ("2026-11-26", {"field": "/data/waargenomen_op", "rule": "validation.date_in_future"}),
    ("20-11-2026", {"field": "/data/waargenomen_op", "rule": "validation.format"}),
    ("2026-02-30", {"field": "/data/waargenomen_op", "rule": "validation.format"}),
    ("2026-11-20T10:00:00Z", {"field": "/data/waargenomen_op", "rule": "validation.format"}),
    (20261120, {"field": "/data/waargenomen_op", "rule": "validation.invalid"}),
    ({"van": "2026-11-20", "tot": "2026-11-01"},
     {"field": "/data/waargenomen_op/tot", "rule": "validation.period"}),
    ({"van": "2026-11-20", "tot": "2026-12-01"},
     {"field": "/data/waargenomen_op/tot", "rule": "validation.date_in_future"}),
    ({"tot": "2026-11-20"}, {"field": "/data/waargenomen_op/van", "rule": "validation.required"}),
    ({"van": "2026-11-20", "tijd": "s nachts"},
     {"field": "/data/waargenomen_op/tijd", "rule": "validation.unknown_field"}),
])
def test_waargenomen_op_must_be_a_past_date_or_a_sound_period(value, detail):
    assert only(SIGNAAL, valid(SIGNAAL) | {"waargenomen_op": value})[1] == [detail]


def test_today_itself_is_not_in_the_future():
    data = valid(SIGNAAL) | {"waargenomen_op": TODAY.isoformat()}
    assert validate_data(SIGNAAL, data, today=TODAY)["waargenomen_op"] == "2026-11-25"


def test_without_a_pinned_day_the_real_today_is_used():
    data = valid(SIGNAAL) | {"waargenomen_op": "2999-01-01"}
    with pytest.raises(InvalidMessage) as err:
        validate_data(SIGNAAL, data)
    assert err.value.code == "validation.date_in_future"


# -- the other types -------------------------------------------------------------------------------


def test_a_signaal_id_must_be_a_uuid_and_is_lower_cased():
    t = "nl.ketenhub.signaal.reactie.v1"
    data = valid(t) | {"signaal_id": "5B7C1C7E-5F0B-4A7E-9D0E-2F1F4C3B2A10"}
    assert validate_data(t, data, today=TODAY)["signaal_id"] == "5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10"
    assert only(t, valid(t) | {"signaal_id": "signaal-1"})[1] == [{"field": "/data/signaal_id",
                                                                    "rule": "validation.format"}]


@pytest.mark.parametrize("maanden", [0, 121, -1])
def test_maanden_achterstand_is_between_1_and_120(maanden):
    t = "nl.ketenhub.huurachterstand.v1"
    assert only(t, valid(t) | {"maanden_achterstand": maanden})[1] == [
        {"field": "/data/maanden_achterstand", "rule": "validation.range"}]


def test_urgent_needs_between_1_and_20_personen():
    assert only(URGENT, valid(URGENT) | {"personen": []})[1] == [{"field": "/data/personen",
                                                                   "rule": "validation.required"}]
    assert only(URGENT, valid(URGENT) | {"personen": [PERSOON] * 21})[1] == [{"field": "/data/personen",
                                                                               "rule": "validation.length"}]


@pytest.mark.parametrize(("geboortedatum", "rule"), [
    ("1899-12-31", "validation.range"), ("2026-11-26", "validation.date_in_future"),
    ("4-3-1970", "validation.format"),
])
def test_a_geboortedatum_is_between_1900_and_today(geboortedatum, rule):
    data = valid(URGENT) | {"personen": [PERSOON | {"geboortedatum": geboortedatum}]}
    assert only(URGENT, data)[1] == [{"field": "/data/personen/0/geboortedatum", "rule": rule}]


def test_a_persoon_needs_achternaam_and_geboortedatum():
    data = valid(URGENT) | {"personen": [PERSOON, {"voornamen": "Kees"}]}
    assert only(URGENT, data) == ("validation.required", [
        {"field": "/data/personen/1/achternaam", "rule": "validation.required"},
        {"field": "/data/personen/1/geboortedatum", "rule": "validation.required"},
    ])


def test_a_persoon_has_no_bsn_field():
    data = valid(URGENT) | {"personen": [PERSOON | {"bsn": "123456782"}]}
    assert only(URGENT, data) == ("validation.unknown_field", [{"field": "/data/personen/0/bsn",
                                                                 "rule": "validation.unknown_field"}])


@pytest.mark.parametrize(("contact", "detail"), [
    ({"functie": "wijkagent"}, {"field": "/data/contact/naam", "rule": "validation.required"}),
    ({"naam": "X", "email": "geen-adres"}, {"field": "/data/contact/email", "rule": "validation.format"}),
    ({"naam": "X", "telefoon": "bel maar"}, {"field": "/data/contact/telefoon", "rule": "validation.format"}),
    ("A. de Vries", {"field": "/data/contact", "rule": "validation.invalid"}),
])
def test_a_contact_is_checked(contact, detail):
    assert only(URGENT, valid(URGENT) | {"contact": contact})[1] == [detail]


@pytest.mark.parametrize("aan", ["GGZ-Noord", "-ggz", "ggz noord", "a" * 65])
def test_toewijzing_aan_must_be_a_tenant_id(aan):
    t = "nl.ketenhub.toewijzing.v1"
    assert only(t, valid(t) | {"aan": aan})[1][0]["field"] == "/data/aan"


@pytest.mark.parametrize("geaccepteerd", ["true", 1, "ja"])
def test_geaccepteerd_must_be_a_json_boolean(geaccepteerd):
    t = "nl.ketenhub.toewijzing.reactie.v1"
    assert only(t, valid(t) | {"geaccepteerd": geaccepteerd})[1] == [{"field": "/data/geaccepteerd",
                                                                       "rule": "validation.invalid"}]


def test_a_refused_toewijzing_gives_a_reason_and_needs_no_contact():
    t = "nl.ketenhub.toewijzing.reactie.v1"
    data = {"zaak_kenmerk": "Z-1", "geaccepteerd": False, "reden": "Niet in ons werkgebied."}
    assert validate_data(t, data, today=TODAY) == data
    assert only(t, {"zaak_kenmerk": "Z-1", "geaccepteerd": False}) == (
        "validation.required", [{"field": "/data/reden", "rule": "validation.required"}])


def test_a_reactie_may_name_its_toewijzing_by_message_id():
    t = "nl.ketenhub.toewijzing.reactie.v1"
    named = valid(t) | {"toewijzing_id": "0C4E0B1A-2F3D-4E5F-8A9B-0C1D2E3F4A5B"}
    assert validate_data(t, named, today=TODAY)["toewijzing_id"] == \
        "0c4e0b1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b"
    assert only(t, valid(t) | {"toewijzing_id": "Z-1"})[1][0]["field"] == "/data/toewijzing_id"


def test_an_accepted_toewijzing_names_the_contact():
    t = "nl.ketenhub.toewijzing.reactie.v1"
    assert only(t, {"zaak_kenmerk": "Z-1", "geaccepteerd": True}) == (
        "validation.required", [{"field": "/data/contact", "rule": "validation.required"}])


def test_a_toewijzing_may_carry_the_personen_and_the_adres_of_the_zaak():
    t = "nl.ketenhub.toewijzing.v1"
    data = valid(t) | {"personen": [PERSOON], "adres": ADRES}
    loaded = validate_data(t, data, today=TODAY)
    assert loaded["personen"][0]["achternaam"] == "Jansen"
    assert loaded["adres"]["postcode"] == "1012AB"
    assert only(t, valid(t) | {"personen": [{"achternaam": "Jansen"}]})[1] == [
        {"field": "/data/personen/0/geboortedatum", "rule": "validation.required"}]


def test_a_signaal_may_name_partners_and_a_zaak():
    data = valid(SIGNAAL) | {"aan": ["hvo-querido"], "zaak_kenmerk": "MZWO-2026-17"}
    assert validate_data(SIGNAAL, data, today=TODAY)["aan"] == ["hvo-querido"]
    assert only(SIGNAAL, valid(SIGNAAL) | {"aan": ["HVO Querido"]})[1] == [
        {"field": "/data/aan/0", "rule": "validation.format"}]


def test_an_afsluiting_needs_a_known_reden_and_a_short_zaak_kenmerk():
    t = "nl.ketenhub.afsluiting.v1"
    # Without unknown or missing fields, the first problem in document order gives the code.
    assert only(t, {"zaak_kenmerk": "z" * 65, "reden": "klaar"}) == ("validation.choice", [
        {"field": "/data/reden", "rule": "validation.choice"},
        {"field": "/data/zaak_kenmerk", "rule": "validation.length"},
    ])


# -- unknown fields, collecting and ranking --------------------------------------------------------


@pytest.mark.parametrize(("data", "pointer"), [
    (EXAMPLES[SIGNAAL] | {"extra": 1}, "/data/extra"),
    (EXAMPLES[SIGNAAL] | {"adres": ADRES | {"verdieping": 2}}, "/data/adres/verdieping"),
    (EXAMPLES[URGENT] | {"personen": [PERSOON | {"adres": {"postcode": "1012AB", "huisnummer": 1,
                                                            "etage": 1}}]},
     "/data/personen/0/adres/etage"),
    (EXAMPLES[URGENT] | {"contact": CONTACT | {"notitie": None}}, "/data/contact/notitie"),
])
def test_unknown_fields_are_refused_at_any_depth(data, pointer):
    message_type = URGENT if "personen" in data else SIGNAAL
    assert only(message_type, data) == ("validation.unknown_field", [{"field": pointer,
                                                                       "rule": "validation.unknown_field"}])


@pytest.mark.parametrize("key", ["123456782", "naam 123456782", "x" * 80, "gegevens: met spaties"])
def test_an_unknown_key_that_could_hold_personal_data_is_not_named(key):
    exc = refuse(SIGNAAL, valid(SIGNAAL) | {"adres": ADRES | {key: 1}})
    assert exc.details == [{"field": "/data/adres", "rule": "validation.unknown_field"}]
    assert key not in str(exc) + exc.message + json.dumps(exc.details)


def test_every_problem_is_reported_and_unknown_field_ranks_first():
    data = valid(SIGNAAL) | {"omschrijving": "", "soort": "x", "extra": 1}
    code, details = only(SIGNAAL, data)
    assert code == "validation.unknown_field"
    assert details == [
        {"field": "/data/extra", "rule": "validation.unknown_field"},
        {"field": "/data/omschrijving", "rule": "validation.required"},
        {"field": "/data/soort", "rule": "validation.choice"},
    ]


def test_required_ranks_before_other_rules():
    assert only(SIGNAAL, valid(SIGNAAL) | {"omschrijving": "", "soort": "x"})[0] == "validation.required"


def test_the_message_is_dutch_and_matches_the_code():
    exc = refuse(SIGNAAL, valid(SIGNAAL) | {"extra": 1})
    assert exc.message == "Het bericht bevat een onbekend veld."


# -- no echo ---------------------------------------------------------------------------------------

BAD_VALUES = [
    ("soort", MARKER), ("categorieen", [MARKER]), ("categorieen", MARKER), ("omschrijving", MARKER * 300),
    ("waargenomen_op", MARKER), ("waargenomen_op", {"van": MARKER}), ("waargenomen_op", {"van": "2026-11-01",
                                                                                        "x": MARKER}),
    ("melder_type", MARKER), ("urgentie", MARKER), ("kenmerk_afzender", MARKER * 10),
    ("adres", MARKER), ("adres", {"postcode": MARKER, "huisnummer": MARKER}),
    ("adres", {"postcode": "1012AB", "huisnummer": 1, "huisletter": MARKER, "toevoeging": MARKER,
               "woonplaats": MARKER * 10}),
]


@pytest.mark.parametrize(("field", "value"), BAD_VALUES)
def test_a_refused_value_is_never_echoed(field, value):
    exc = refuse(SIGNAAL, valid(SIGNAAL) | {field: value})
    for text in (str(exc), exc.message, json.dumps(exc.details), repr(exc.args)):
        assert MARKER not in text


@pytest.mark.parametrize(("message_type", "field", "value"), [
    (URGENT, "personen", [PERSOON | {"geboortedatum": MARKER, "achternaam": MARKER * 40}]),
    (URGENT, "contact", {"naam": "X", "email": MARKER, "telefoon": MARKER}),
    ("nl.ketenhub.toewijzing.v1", "aan", MARKER),
    ("nl.ketenhub.toewijzing.reactie.v1", "geaccepteerd", MARKER),
    ("nl.ketenhub.signaal.reactie.v1", "signaal_id", MARKER),
    ("nl.ketenhub.huurachterstand.v1", "maanden_achterstand", MARKER),
    ("nl.ketenhub.afsluiting.v1", "reden", MARKER),
    ("nl.ketenhub.regiecheck.antwoord.v1", "regiecheck_id", MARKER),
    ("nl.ketenhub.regiecheck.antwoord.v1", "contact", {"naam": MARKER * 30, "email": MARKER}),
])
def test_no_type_echoes_a_refused_value(message_type, field, value):
    exc = refuse(message_type, valid(message_type) | {field: value})
    for text in (str(exc), exc.message, json.dumps(exc.details)):
        assert MARKER not in text


# -- the Utrecht flows (seed 002) ------------------------------------------------------------------


AANMELDING = "nl.ketenhub.aanmelding.v1"


def test_an_aanmelding_of_a_corporatie_home_must_name_the_corporatie():
    data = valid(AANMELDING)
    del data["woningcorporatie"]
    code, details = only(AANMELDING, data)
    assert details == [{"field": "/data/woningcorporatie", "rule": "validation.required"}]


def test_an_aanmelding_must_judge_every_admission_criterion():
    data = valid(AANMELDING)
    del data["criteria"]["meerdere_disciplines"]
    _, details = only(AANMELDING, data)
    assert {"field": "/data/criteria/meerdere_disciplines", "rule": "validation.required"} in details


def test_an_aanmelding_escalatie_defaults_to_false():
    data = validate_data(AANMELDING, valid(AANMELDING), today=TODAY)
    assert data["criteria"]["escalatie"] is False


def test_a_refused_aanmelding_needs_a_reason():
    data = {"aanmelding_id": "5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10", "status": "afgewezen"}
    _, details = only("nl.ketenhub.aanmelding.reactie.v1", data)
    assert details == [{"field": "/data/reden", "rule": "validation.required"}]
    data["reden"] = "Geen extreme woonoverlast; past in de reguliere aanpak."
    assert validate_data("nl.ketenhub.aanmelding.reactie.v1", data, today=TODAY)["reden"]


def test_a_toestemming_is_given_or_refused_and_nothing_else():
    data = valid("nl.ketenhub.toestemmingsverzoek.reactie.v1") | {"status": "misschien"}
    code, details = only("nl.ketenhub.toestemmingsverzoek.reactie.v1", data)
    assert details == [{"field": "/data/status", "rule": "validation.choice"}]
