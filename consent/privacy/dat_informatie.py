"""Rule 3: a regiecheck answer carries dat-informatie only.

The answer says *whether* a partner knows the person and *who* to contact, never *what* they
know. Any field beyond the fixed shape, at any depth, is a breach; so is a contact on an answer
that says the person is unknown. Type and content errors of the allowed fields are schema
validation's business, not this rule's.
"""

from __future__ import annotations

from consent.privacy.findings import DAT_INFORMATIE, Finding

ALLOWED_TOP = frozenset({"bekend", "contact"})
ALLOWED_CONTACT = frozenset({"naam", "functie", "telefoon", "email"})


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def check_dat_informatie(answer: object) -> list[Finding]:
    """Findings for every field of a regiecheck answer that is not dat-informatie."""
    if not isinstance(answer, dict):
        return [Finding(DAT_INFORMATIE, "", None)]
    findings = [
        Finding(DAT_INFORMATIE, f"/{_escape(str(key))}", None) for key in answer if key not in ALLOWED_TOP
    ]
    if "contact" not in answer:
        return findings
    contact = answer["contact"]
    if answer.get("bekend") is not True:
        # An unknown person has no contact: any contact here would be information about them.
        findings.append(Finding(DAT_INFORMATIE, "/contact", None))
    elif not isinstance(contact, dict):
        findings.append(Finding(DAT_INFORMATIE, "/contact", None))
    else:
        findings.extend(
            Finding(DAT_INFORMATIE, f"/contact/{_escape(str(key))}", None)
            for key in contact
            if key not in ALLOWED_CONTACT
        )
        # Allowed contact fields hold text; a nested structure would smuggle information in.
        findings.extend(
            Finding(DAT_INFORMATIE, f"/contact/{_escape(str(key))}", None)
            for key, value in contact.items()
            if key in ALLOWED_CONTACT and isinstance(value, (dict, list))
        )
    return findings
