"""The one error hierarchy of the consent package.

Every error carries a stable dotted ``code``, a fixed human ``message`` that never contains a
rejected value, and ``details`` that the HTTP layer renders into the common error body.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from consent.privacy.findings import Finding


class ConsentError(Exception):
    """Base of every error the consent package raises."""

    code: str = "consent.error"
    message: str = "De aanvraag is geweigerd. / The request was refused."

    def __init__(self, message: str | None = None, details: Sequence[dict] | None = None) -> None:
        if message is not None:
            self.message = message
        self._details: list[dict] = [dict(d) for d in details or ()]
        super().__init__(self.message)

    @property
    def details(self) -> list[dict]:
        return [dict(d) for d in self._details]


# Fixed sentences per rule: the message names the rule, never the offending value.
_PRIVACY_MESSAGES = {
    "privacy.bsn": (
        "Het bericht bevat een burgerservicenummer (BSN); dat mag nooit worden uitgewisseld. "
        "/ The message contains a citizen service number (BSN), which is never exchanged."
    ),
    "privacy.medical": (
        "Het bericht bevat medische gegevens; die mogen nooit worden uitgewisseld. "
        "/ The message contains medical data, which is never exchanged."
    ),
    "privacy.dat_informatie": (
        "Een regiecheck-antwoord bevat alleen dat-informatie (bekend ja/nee en een contact). "
        "/ A regiecheck answer carries dat-informatie only (known yes/no and a contact)."
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
    message = "De gevraagde resource bestaat niet. / The requested resource does not exist."


class InvalidConsent(ConsentError):
    """Raised when a consent or begeleide woning breaks a registry rule.

    ``details`` lists every broken rule as ``{"field": <JSON pointer>, "rule": <code>}``; the
    error's ``code`` is the rule of the first detail (checks run most fundamental first), or
    ``validation.invalid`` when no detail is given. Values are never echoed."""

    code = "validation.invalid"
    message = ("De toestemming of woning voldoet niet aan de regels. "
               "/ The consent or begeleide woning breaks a registry rule.")

    def __init__(self, details: Sequence[dict] | None = None, message: str | None = None) -> None:
        super().__init__(message, details)
        if self._details:
            self.code = self._details[0]["rule"]


class NotController(ConsentError):
    """Raised when the caller may see a consent but is not its controller (the zorgaanbieder that
    obtained it), or is no zorgaanbieder and so can never be one. Maps to HTTP 403."""

    code = "consent.not_controller"
    message = ("Alleen de zorgaanbieder die de toestemming verkreeg mag dit. "
               "/ Only the zorgaanbieder that obtained the consent may do this.")


class ConsentConflict(ConsentError):
    """Raised when a change collides with another (a version written concurrently, a begeleide
    woning registered twice). Maps to HTTP 409."""

    code = "conflict"
    message = "Conflict met de huidige toestand. / Conflict with the current state."
