"""The one error hierarchy of the consent package.

Every error carries a stable dotted ``code``, a fixed human ``message`` that never contains a
rejected value, and ``details`` that the HTTP layer renders into the common error body.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tenants.errors import KetenhubError

if TYPE_CHECKING:
    from consent.privacy.findings import Finding


class ConsentError(KetenhubError):
    """Base of every error the consent package raises."""

    code = "consent.error"
    message = "De aanvraag is geweigerd."


# Fixed sentences per rule: the message names the rule, never the offending value.
_PRIVACY_MESSAGES = {
    "privacy.bsn": (
        "Het bericht bevat een burgerservicenummer (BSN); dat mag nooit worden uitgewisseld."
    ),
    "privacy.medical": (
        "Het bericht bevat medische gegevens; die mogen nooit worden uitgewisseld."
    ),
    "privacy.dat_informatie": (
        "Een regiecheck-antwoord bevat alleen dat-informatie (bekend ja/nee en een contact)."
    ),
}

# When several rules are broken at once the most sensitive one names the error.
_RULE_PRECEDENCE = ("privacy.bsn", "privacy.medical", "privacy.dat_informatie")


class PrivacyViolation(ConsentError):
    """Raised when a value breaks a hard privacy rule (BSN, medical data, dat-informatie)."""

    code = "privacy.violation"

    def __init__(self, findings: Sequence[Finding]) -> None:
        if not findings:
            raise ValueError("PrivacyViolation needs at least one finding")
        self.findings: tuple[Finding, ...] = tuple(findings)
        rules = {f.rule for f in self.findings}
        self.code = next((r for r in _RULE_PRECEDENCE if r in rules), self.findings[0].rule)
        super().__init__(_PRIVACY_MESSAGES.get(self.code, ConsentError.message))

    @property
    def details(self) -> list[dict]:
        return [
            {"field": f.field, "rule": f.rule, "span": list(f.span) if f.span else None}
            for f in self.findings
        ]


# -- consent registry and begeleide woningen ---------------------------------------------------


class ConsentNotFound(ConsentError):
    """Raised when a consent or begeleide woning does not exist *or* the caller may not see it.

    The two cases are indistinguishable on purpose (DESIGN.md §3 rule 6): HTTP 404, never 403."""

    code = "not_found"
    message = "De gevraagde resource bestaat niet."


class InvalidConsent(ConsentError):
    """Raised when a consent or begeleide woning breaks a registry rule.

    ``details`` lists every broken rule as ``{"field": <JSON pointer>, "rule": <code>}``; the
    error's ``code`` is the rule of the first detail (checks run most fundamental first), or
    ``validation.invalid`` when no detail is given. Values are never echoed."""

    code = "validation.invalid"
    message = "De toestemming of woning voldoet niet aan de regels."

    def __init__(self, details: Sequence[dict] | None = None, message: str | None = None) -> None:
        if message is None and details:
            message = RULE_MESSAGES.get(details[0]["rule"])
        super().__init__(message, details)
        if self._details:
            self.code = self._details[0]["rule"]


#: A rule's own message, where the generic one would leave the caller guessing.
RULE_MESSAGES = {
    "consent.recipient_not_organisation": (
        "Een nieuwe toestemming noemt de ontvangers als organisatie (tenant-id), niet als "
        "soort organisatie (werkafspraak 10)."),
}


class NotController(ConsentError):
    """Raised when the caller may see a consent but is not its controller (the zorgaanbieder that
    obtained it), or is no zorgaanbieder and so can never be one. Maps to HTTP 403."""

    code = "consent.not_controller"
    message = "Alleen de zorgaanbieder die de toestemming verkreeg mag dit."


class ConsentConflict(ConsentError):
    """Raised when a change collides with another (a version written concurrently, a begeleide
    woning registered twice). Maps to HTTP 409."""

    code = "conflict"
    message = "Conflict met de huidige toestand."


class AddressError(ConsentError, ValueError):
    """Raised when a Dutch address part is malformed; ``field`` names it (``postcode``,
    ``huisnummer``, ``huisletter``, ``toevoeging``), never its value."""

    code = "validation.address"
    message = "Het adres is ongeldig."

    def __init__(self, field: str) -> None:
        super().__init__(details=[{"field": field, "rule": self.code}])
        self.field = field


class IdentityError(ConsentError, ValueError):
    """Raised when an identity field (for the client's pseudonym) is missing or unusable;
    ``field`` names it and ``rule`` what is wrong, never the value."""

    code = "validation.identity"
    message = "Een identiteitsgegeven ontbreekt of is onleesbaar."

    def __init__(self, field: str, rule: str = "validation.required") -> None:
        super().__init__(details=[{"field": field, "rule": rule}])
        self.field = field
        self.rule = rule
