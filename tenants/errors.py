"""Errors of the tenants package, and the one base every package's error tree shares.
Messages never contain a submitted value."""

from __future__ import annotations

from collections.abc import Sequence


class KetenhubError(Exception):
    """Base of the error tree of every package (tenants, consent, connectors, hub): a stable
    dotted ``code`` for machines, a Dutch ``message`` for people that never quotes a submitted
    value, and ``details`` (``{"field": <JSON pointer>, "rule": <code>, …}``) that the API
    renders into its one error body (``hub/api/errors.py``)."""

    code: str = "error"
    message: str = "De aanvraag kon niet worden verwerkt."

    def __init__(self, message: str | None = None, details: Sequence[dict] | None = None) -> None:
        if message:
            self.message = message
        self._details: list[dict] = [dict(d) for d in details or ()]
        super().__init__(self.message)

    @property
    def details(self) -> list[dict]:
        return [dict(d) for d in self._details]


class TenantsError(KetenhubError):
    """Base of every error the tenants package raises."""

    code = "tenants.error"


class NotFound(TenantsError):
    """Raised when a resource does not exist or belongs to a tenant the caller may not see."""

    code = "not_found"
    message = "De gevraagde resource bestaat niet."


class Conflict(TenantsError):
    """Raised when a resource with the same identity already exists."""

    code = "conflict"
    message = "Er bestaat al een resource met deze identiteit."


class StaleVersion(TenantsError):
    """Raised when a change names a version of a resource that is no longer its current one
    (someone else changed it since it was read); nothing is stored."""

    code = "conflict.stale_version"
    message = ("Iemand anders heeft dit intussen gewijzigd. Laad de huidige versie en breng "
               "uw wijziging opnieuw aan.")


class InvalidInput(TenantsError):
    """Raised when well-formed input breaks a domain rule (e.g. an unknown party or a bad range)."""

    code = "validation.invalid"
    message = "De invoer voldoet niet aan de regels."


class MissingCredentials(TenantsError):
    """Raised when a request carries no API key."""

    code = "auth.missing_key"
    message = "Geen API-sleutel meegestuurd (Authorization: Bearer <sleutel>)."


class InvalidCredentials(TenantsError):
    """Raised when an API key is unknown, malformed, expired or revoked."""

    code = "auth.invalid_key"
    message = "De API-sleutel is ongeldig, verlopen of ingetrokken."


class TenantSuspended(TenantsError):
    """Raised when the key's tenant is suspended."""

    code = "auth.tenant_suspended"
    message = "Deze organisatie is geschorst."


class InsufficientScope(TenantsError):
    """Raised when a valid key lacks the scope the operation needs."""

    code = "auth.insufficient_scope"
    message = "De API-sleutel mist de benodigde scope."


class HubAdminOnly(TenantsError):
    """Raised when an operation needs the hub operator's admin key."""

    code = "auth.hub_admin_required"
    message = "Alleen de beheerder van de hub mag dit."


class LoginFailed(TenantsError):
    """Raised when a username and password do not match an active account (never saying which)."""

    code = "auth.login_failed"
    message = "Gebruikersnaam of wachtwoord is onjuist."


class AccountLocked(TenantsError):
    """Raised when an account is locked after too many failed logins in a row."""

    code = "auth.locked"
    message = "Te veel mislukte pogingen. Probeer het over een kwartier opnieuw."


class WrongSecondFactor(TenantsError):
    """Raised when a TOTP code is wrong, expired or used before."""

    code = "auth.second_factor"
    message = "De code is onjuist of verlopen."
