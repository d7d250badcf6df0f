"""Rule 3 (dat-informatie) and the error hierarchy."""

import pytest

from consent.errors import ConsentError, PrivacyViolation
from consent.privacy import Finding, check_dat_informatie


@pytest.mark.parametrize(
    "answer",
    [
        {"bekend": False},
        {"bekend": True, "contact": {"naam": "J. de Vries"}},
        {
            "bekend": True,
            "contact": {
                "naam": "J. de Vries",
                "functie": "wijkagent",
                "telefoon": "020-1234567",
                "email": "j@example.nl",
            },
        },
    ],
)
def test_a_regiecheck_answer_with_dat_informatie_only_is_accepted(answer):
    assert check_dat_informatie(answer) == []


def test_an_extra_top_level_field_is_dat_informatie_breach():
    findings = check_dat_informatie({"bekend": True, "toelichting": "x", "contact": {"naam": "A"}})
    assert findings == [Finding("privacy.dat_informatie", "/toelichting", None)]


def test_an_extra_contact_field_is_a_breach_with_its_pointer():
    findings = check_dat_informatie({"bekend": True, "contact": {"naam": "A", "notitie": "..."}})
    assert findings == [Finding("privacy.dat_informatie", "/contact/notitie", None)]


def test_a_contact_on_an_unknown_person_is_a_breach():
    findings = check_dat_informatie({"bekend": False, "contact": {"naam": "A"}})
    assert [f.field for f in findings] == ["/contact"]


def test_nested_structures_in_contact_fields_are_a_breach():
    findings = check_dat_informatie({"bekend": True, "contact": {"naam": {"diagnose": "x"}}})
    assert [f.field for f in findings] == ["/contact/naam"]


def test_a_non_object_answer_is_a_breach():
    assert check_dat_informatie(["bekend"]) == [Finding("privacy.dat_informatie", "", None)]


def test_a_privacy_violation_from_dat_informatie_has_the_dat_informatie_code():
    error = PrivacyViolation(check_dat_informatie({"bekend": True, "dossier": "..."}))
    assert error.code == "privacy.dat_informatie"
    assert error.details == [{"field": "/dossier", "rule": "privacy.dat_informatie", "span": None}]


def test_medical_outranks_dat_informatie_in_the_error_code():
    error = PrivacyViolation(
        [Finding("privacy.dat_informatie", "/x", None), Finding("privacy.medical", "/y", (0, 3))]
    )
    assert error.code == "privacy.medical"
    assert error.details[1]["span"] == [0, 3]


def test_a_privacy_violation_needs_findings():
    with pytest.raises(ValueError):
        PrivacyViolation([])


def test_the_base_error_has_a_code_a_message_and_no_details():
    error = ConsentError()
    assert error.code == "consent.error" and error.message and error.details == []
