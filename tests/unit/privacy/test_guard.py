"""The guard walks whole JSON values and reports findings by pointer, never by value."""

import json

import pytest

from consent.errors import ConsentError, PrivacyViolation
from consent.privacy import Finding, PrivacyGuard, Verdict


def test_a_clean_signal_passes(guard):
    signal = {
        "specversion": "1.0",
        "id": "5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10",
        "source": "urn:nld:kvk:12345672:systeem:crm",
        "time": "2026-11-20T09:30:00Z",
        "data": {
            "soort": "overlast",
            "adres": {"postcode": "1012 AB", "huisnummer": 12},
            "omschrijving": "Harde muziek en verward gedrag, de melding is opgenomen in het systeem.",
        },
    }
    verdict = guard.scan(signal)
    assert verdict.ok and not verdict.bsn and not verdict.medical


def test_findings_carry_the_json_pointer_and_span(guard):
    verdict = guard.scan({"data": {"omschrijving": "bsn 111222333", "personen": [{"x": "PTSS"}]}})
    assert Finding("privacy.bsn", "/data/omschrijving", (4, 13)) in verdict.findings
    assert Finding("privacy.medical", "/data/personen/0/x", (0, 4)) in verdict.findings


def test_cloudevents_attributes_and_extensions_are_scanned(guard):
    verdict = guard.scan({"id": "111222333", "subject": "schizofrenie", "kenmerkext": 111222333})
    assert {f.field for f in verdict.findings} == {"/id", "/subject", "/kenmerkext"}


def test_keys_are_scanned_and_redacted_in_pointers(guard):
    verdict = guard.scan({"111222333": "x"})
    assert verdict.findings == (Finding("privacy.bsn", "/*********", (0, 9)),)


def test_pointer_segments_are_escaped(guard):
    verdict = guard.scan({"a/b": {"c~d": "haldol"}})
    assert verdict.findings[0].field == "/a~1b/c~0d"


def test_integral_floats_and_integers_are_checked_but_booleans_and_null_are_not(guard):
    assert guard.scan(111222333.0).bsn
    assert guard.scan(111222333).bsn
    assert guard.scan([True, None, 1.5]).ok


def test_the_root_pointer_is_empty_and_a_base_pointer_is_prefixed(guard):
    assert guard.scan("haldol").findings[0].field == ""
    assert guard.scan({"x": "haldol"}, pointer="/data").findings[0].field == "/data/x"


def test_verdict_to_dict_never_contains_the_value(guard):
    payload = {"data": {"omschrijving": "bsn 111222333 en haldol"}}
    rendered = json.dumps(guard.scan(payload).to_dict())
    assert "111222333" not in rendered and "haldol" not in rendered
    assert json.loads(rendered)["bsn"] is True and json.loads(rendered)["medical"] is True


def test_enforce_raises_a_privacy_violation_naming_the_most_sensitive_rule(guard):
    with pytest.raises(PrivacyViolation) as caught:
        guard.enforce({"a": "haldol", "b": "111222333"})
    error = caught.value
    assert isinstance(error, ConsentError)
    assert error.code == "privacy.bsn"
    assert "111222333" not in error.message
    assert {d["rule"] for d in error.details} == {"privacy.bsn", "privacy.medical"}
    assert all(set(d) == {"field", "rule", "span"} for d in error.details)


def test_enforce_passes_a_clean_value(guard):
    guard.enforce({"omschrijving": "Geluidsoverlast na middernacht."})


def test_the_default_guard_is_built_once_per_process():
    assert PrivacyGuard.default() is PrivacyGuard.default()


def test_a_verdict_without_findings_is_ok():
    assert Verdict(()).ok and Verdict(()).to_dict() == {"bsn": False, "medical": False, "findings": []}
