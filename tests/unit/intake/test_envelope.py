"""The CloudEvents envelope: attribute rules, extensions, normalisation and the error shape."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime

import pytest

from hub.errors import InvalidMessage
from hub.intake.envelope import CloudEvent, parse_event

TODAY = date(2026, 11, 25)
MARKER = "GEHEIM7Q"

SIGNAAL_DATA = {
    "soort": "overlast", "categorieen": ["geluid"], "adres": {"postcode": "1012 ab", "huisnummer": 12},
    "omschrijving": "Harde muziek na middernacht.", "waargenomen_op": "2026-11-20",
    "melder_type": "omwonende", "kenmerk_afzender": "CRM-42",
}
EVENT = {
    "specversion": "1.0",
    "id": "5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10",
    "source": "urn:nld:kvk:12345678:systeem:crm",
    "type": "nl.ketenhub.signaal.v1",
    "time": "2026-11-20T09:30:00Z",
    "datacontenttype": "application/json",
    "data": SIGNAAL_DATA,
}


def event(**changes: object) -> dict:
    raw = copy.deepcopy(EVENT)
    for name, value in changes.items():
        if value is ...:
            raw.pop(name, None)
        else:
            raw[name] = value
    return raw


def parse(raw: object) -> CloudEvent:
    return parse_event(raw, today=TODAY)


def refuse(raw: object) -> InvalidMessage:
    with pytest.raises(InvalidMessage) as err:
        parse(raw)
    return err.value


def assert_refused(raw: object, field: str, rule: str) -> None:
    exc = refuse(raw)
    assert (exc.code, exc.details) == (rule, [{"field": field, "rule": rule}])


# -- accepted events -------------------------------------------------------------------------------


def test_a_valid_event_is_parsed_and_its_data_normalised():
    ev = parse(event())
    assert (ev.id, ev.source, ev.type, ev.specversion) == (EVENT["id"], EVENT["source"], EVENT["type"], "1.0")
    assert ev.time == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert ev.datacontenttype == "application/json"
    assert (ev.subject, ev.dataschema, ev.extensions) == (None, None, {})
    assert ev.data["adres"] == {"postcode": "1012AB", "huisnummer": 12}
    assert ev.data["urgentie"] == "normaal"


def test_to_dict_gives_the_normalised_event_and_round_trips():
    ev = parse(event(subject="zaak-17", dataschema="https://ketenhub.nl/schemas/signaal.v1.json",
                     traceparent="00-abc-def-01", sequence=7, test=True))
    as_dict = ev.to_dict()
    assert as_dict == {
        "specversion": "1.0", "id": EVENT["id"], "source": EVENT["source"], "type": EVENT["type"],
        "time": "2026-11-20T09:30:00Z", "subject": "zaak-17", "datacontenttype": "application/json",
        "dataschema": "https://ketenhub.nl/schemas/signaal.v1.json",
        "traceparent": "00-abc-def-01", "sequence": 7, "test": True, "data": ev.data,
    }
    assert parse(json.loads(json.dumps(as_dict))) == ev


def test_a_minimal_event_keeps_absent_optional_attributes_absent():
    ev = parse(event(time=..., datacontenttype=...))
    assert (ev.time, ev.datacontenttype) == (None, None)
    assert set(ev.to_dict()) == {"specversion", "id", "source", "type", "data"}


@pytest.mark.parametrize(("given", "normalised"), [
    ("2026-11-20T10:30:00+01:00", "2026-11-20T09:30:00Z"),
    ("2026-11-20t09:30:00z", "2026-11-20T09:30:00Z"),
    ("2026-11-20T09:30:00.250Z", "2026-11-20T09:30:00.250000Z"),
    ("2026-11-20T04:30:00-05:00", "2026-11-20T09:30:00Z"),
])
def test_time_is_normalised_to_utc_with_a_z(given, normalised):
    ev = parse(event(time=given))
    assert ev.time is not None and ev.time.tzinfo is not None and ev.time.utcoffset().total_seconds() == 0
    assert ev.to_dict()["time"] == normalised


def test_an_oin_source_is_accepted_and_names_the_organisation():
    ev = parse(event(source="urn:nld:oin:00000001234567890000:systeem:x"))
    assert ev.source_organisation == ("oin", "00000001234567890000")
    assert parse(event()).source_organisation == ("kvk", "12345678")


def test_a_datacontenttype_with_utf8_charset_is_normalised():
    ev = parse(event(datacontenttype="application/json; charset=utf-8"))
    assert ev.datacontenttype == "application/json"


def test_null_optional_attributes_count_as_absent():
    ev = parse(event(time=None, subject=None, traceparent=None))
    assert (ev.time, ev.subject, ev.extensions) == (None, None, {})


def test_an_urgent_message_is_urgent():
    data = {
        "personen": [{"achternaam": "Jansen", "geboortedatum": "1970-03-04"}],
        "adres": {"postcode": "1012AB", "huisnummer": 1}, "situatieschets": "Acuut gevaar.",
        "contact": {"naam": "A. de Vries"},
    }
    assert parse(event(type="nl.ketenhub.urgent.v1", data=data)).is_urgent


def test_a_signaal_is_urgent_only_when_its_urgentie_says_so():
    assert not parse(event()).is_urgent
    assert parse(event(data=SIGNAAL_DATA | {"urgentie": "urgent"})).is_urgent


# -- envelope rules --------------------------------------------------------------------------------


def test_an_event_that_is_not_an_object_is_invalid():
    assert_refused(["not", "an", "event"], "", "validation.invalid")


@pytest.mark.parametrize("name", ["specversion", "id", "source", "type"])
def test_a_missing_required_attribute_is_required(name):
    assert_refused(event(**{name: ...}), f"/{name}", "validation.required")


@pytest.mark.parametrize("name", ["specversion", "id", "source", "type"])
def test_a_null_required_attribute_is_required(name):
    assert_refused(event(**{name: None}), f"/{name}", "validation.required")


@pytest.mark.parametrize("value", ["0.3", "1", 1.0, "1.0 "])
def test_specversion_must_be_1_0(value):
    assert_refused(event(specversion=value), "/specversion", "cloudevents.specversion")


@pytest.mark.parametrize("value", ["", "x" * 257, 123, ["id"], "a\nb"])
def test_id_must_be_a_non_empty_string_of_at_most_256_characters(value):
    assert_refused(event(id=value), "/id", "cloudevents.id")


def test_an_id_of_256_characters_is_fine():
    assert parse(event(id="x" * 256)).id == "x" * 256


@pytest.mark.parametrize("value", [
    "https://crm.example.nl", "urn:nld:kvk:1234567:systeem:crm", "urn:nld:oin:123:systeem:x",
    "urn:nld:kvk:12345678:systeem:c r m", "urn:nld:bsn:123456782", "urn:nl:kvk:12345678",
    "URN:NLD:kvk:12345678",
    "urn:nld:kvk:123456789012", 12345678, "",
])
def test_source_must_be_a_urn_nld_with_oin_or_kvk(value):
    assert_refused(event(source=value), "/source", "cloudevents.source")


@pytest.mark.parametrize("value", ["signaal", "NL.Ketenhub.Signaal.v1", "nl..ketenhub", ".nl.ketenhub", 7])
def test_type_must_be_reverse_dns(value):
    assert_refused(event(type=value), "/type", "cloudevents.type")


def test_a_type_outside_the_catalogue_is_unknown():
    assert_refused(event(type="nl.ketenhub.onbekend.v1"), "/type", "validation.unknown_type")


@pytest.mark.parametrize("value", [
    "2026-11-20", "2026-11-20T09:30:00", "2026-13-01T00:00:00Z", "20-11-2026T09:30:00Z",
    "2026-11-20 09:30:00Z", "gisteren", 1763631000,
])
def test_time_must_be_rfc_3339(value):
    assert_refused(event(time=value), "/time", "cloudevents.time")


@pytest.mark.parametrize("value", ["text/plain", "application/xml", "application/json; charset=latin-1", 1])
def test_datacontenttype_must_be_application_json(value):
    assert_refused(event(datacontenttype=value), "/datacontenttype", "cloudevents.datacontenttype")


@pytest.mark.parametrize("value", ["Piet Jansen", "Jansen", "P.Jansen", "zaak 17", "zaak\u00a017",
                                   "zaäk-17", "zaak-17\n", "x" * 257 + "1"])
def test_subject_holds_an_opaque_reference_only(value):
    assert_refused(event(subject=value), "/subject", "cloudevents.subject")


@pytest.mark.parametrize("value", ["Piet Jansen", "Jansen", "de buurvrouw van 3"])
def test_a_string_extension_holds_an_opaque_reference_only(value):
    assert_refused(event(extra=value), "/extra", "cloudevents.extension")


@pytest.mark.parametrize("value", ["zaak-17", "5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10", "YM-2026-001",
                                   "urn:nld:zaak:Z2026.17"])
def test_a_reference_with_a_digit_is_an_opaque_subject(value):
    assert parse(event(subject=value)).subject == value


@pytest.mark.parametrize("value", ["", 1, "geen uri"])
def test_subject_and_dataschema_are_checked_when_present(value):
    if value != "geen uri":
        assert_refused(event(subject=value), "/subject", "cloudevents.subject")
    assert_refused(event(dataschema=value), "/dataschema", "cloudevents.dataschema")


def test_data_is_required():
    assert_refused(event(data=...), "/data", "validation.required")


@pytest.mark.parametrize("value", ["tekst", ["geluid"], 12, True])
def test_data_must_be_a_json_object(value):
    assert_refused(event(data=value), "/data", "validation.invalid")


def test_data_base64_is_refused():
    raw = event(data_base64="eyJ4IjogMX0=")
    exc = refuse(raw)
    assert exc.code == "cloudevents.data_base64"
    assert exc.details == [{"field": "/data_base64", "rule": "cloudevents.data_base64"}]


# -- extensions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Traceparent", "trace_parent", "trace-parent", "a" * 21])
def test_a_top_level_attribute_that_is_no_valid_extension_name_is_an_unknown_field(name):
    assert_refused(event(**{name: "x"}), f"/{name}", "validation.unknown_field")


@pytest.mark.parametrize("value", [1.5, {"a": 1}, ["a"], 2**31, -(2**31) - 1, "a\x00b", "a\x85"])
def test_an_extension_value_must_be_a_string_an_integer_or_a_boolean(value):
    assert_refused(event(extra=value), "/extra", "cloudevents.extension")


def test_extensions_of_every_allowed_kind_are_kept():
    ev = parse(event(a="x1", b=2**31 - 1, c=False, d=-(2**31), a1b2c3d4e5f6g7h8i9j0="ref-20"))
    assert ev.extensions == {"a": "x1", "b": 2**31 - 1, "c": False, "d": -(2**31),
                             "a1b2c3d4e5f6g7h8i9j0": "ref-20"}


@pytest.mark.parametrize("name", ["BSN 123456782", "bsn:123456782", "ë", "x" * 70])
def test_an_unknown_attribute_whose_name_could_hold_personal_data_is_not_named(name):
    exc = refuse(event(**{name: "x"}))
    assert exc.details == [{"field": "", "rule": "validation.unknown_field"}]
    assert name not in str(exc) + json.dumps(exc.details)


# -- data, ranking and collecting ------------------------------------------------------------------


def test_data_problems_point_into_the_event():
    raw = event(data=SIGNAAL_DATA | {"adres": {"postcode": "0000XX", "huisnummer": 1, "etage": 2}})
    exc = refuse(raw)
    assert exc.code == "validation.unknown_field"
    assert exc.details == [
        {"field": "/data/adres/etage", "rule": "validation.unknown_field"},
        {"field": "/data/adres/postcode", "rule": "validation.format"},
    ]


def test_every_envelope_problem_is_reported_together_with_the_data_problems():
    raw = event(source="crm", time="gisteren", data=SIGNAAL_DATA | {"omschrijving": "", "extra": 1})
    exc = refuse(raw)
    assert exc.code == "cloudevents.source"  # envelope codes beat data codes, even unknown_field
    assert exc.details == [
        {"field": "/source", "rule": "cloudevents.source"},
        {"field": "/time", "rule": "cloudevents.time"},
        {"field": "/data/extra", "rule": "validation.unknown_field"},
        {"field": "/data/omschrijving", "rule": "validation.required"},
    ]


def test_within_the_envelope_unknown_field_beats_required_beats_the_rest():
    exc = refuse(event(source="crm", id=..., Extra=1))
    assert exc.code == "validation.unknown_field"
    assert refuse(event(source="crm", id=...)).code == "validation.required"


def test_the_message_names_the_broken_rule_in_dutch():
    assert refuse(event(specversion="0.3")).message == 'specversion moet "1.0" zijn.'


# -- no echo ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("changes", [
    {"specversion": MARKER}, {"id": MARKER * 40}, {"id": MARKER + "\n"}, {"source": MARKER},
    {"source": f"urn:nld:kvk:{MARKER}"}, {"type": MARKER}, {"type": f"nl.ketenhub.{MARKER.lower()}.v1"},
    {"time": MARKER}, {"subject": 7}, {"datacontenttype": MARKER}, {"dataschema": MARKER},
    {"data": MARKER}, {"data": [MARKER]}, {"data_base64": MARKER}, {"extra": [MARKER]},
    {"extra": {"k": MARKER}}, {"data": SIGNAAL_DATA | {"soort": MARKER}},
    {"data": SIGNAAL_DATA | {"adres": {"postcode": MARKER, "huisnummer": MARKER, "etage": MARKER}}},
])
def test_a_refused_value_is_never_echoed(changes):
    # Values only: the name of an unknown field is named (unless it could hold data, see above).
    exc = refuse(event(**changes))
    for text in (str(exc), exc.message, json.dumps(exc.details), repr(exc.args)):
        assert MARKER not in text
        assert MARKER.lower() not in text
