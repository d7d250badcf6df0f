"""Errors of the zaken flow."""

from __future__ import annotations

from hub.errors import HubError, InvalidMessage


class ZaakError(HubError):
    """Base of the errors of the zaken flow."""


class UnknownZaak(ZaakError):
    """Raised when a zaak does not exist or is not the caller's to see (answered as 404)."""

    code = "not_found"
    message = "De gevraagde zaak bestaat niet."


class NotAMeldpunt(ZaakError):
    """Raised when a tenant that holds no procesregie tries to change a zaak (answered as 403)."""

    code = "zaak.not_meldpunt"
    message = "Alleen een meldpunt beheert zaken."


def unknown_signaal() -> InvalidMessage:
    """The 422 for linking a signaal the meldpunt did not receive (or that does not exist)."""
    return InvalidMessage("validation.unknown_reference",
                          "Het verzoek verwijst naar een onbekend signaal.",
                          [{"field": "/signaal_id", "rule": "validation.unknown_reference"}])
