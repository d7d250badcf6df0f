"""Errors of the hub package itself (infrastructure and request handling)."""

from __future__ import annotations

from tenants.errors import KetenhubError


class HubError(KetenhubError):
    """Base of every error the hub package raises."""

    code = "hub.error"


class DatabaseUnavailable(HubError):
    """Raised when the database cannot be reached or drops the connection mid-transaction."""

    code = "unavailable.database"
    message = "De database is tijdelijk niet bereikbaar. Probeer het later opnieuw."


class DuplicateKey(HubError):
    """Raised when a write repeats a unique key (the same message, data key version or
    decision twice): a storage adapter's translation of the driver's unique violation."""

    code = "conflict.duplicate"
    message = "Dit bestaat al."


class BusUnavailable(HubError):
    """Raised when the message bus cannot be reached."""

    code = "unavailable.bus"
    message = "De berichtenbus is tijdelijk niet bereikbaar. Probeer het later opnieuw."


class InvalidMessage(HubError):
    """Raised when a submitted message breaks the CloudEvents envelope or its type's schema."""

    code = "validation.invalid"
    message = "Het bericht voldoet niet aan het schema."

    def __init__(self, code: str = "validation.invalid", message: str | None = None,
                 details: list[dict] | None = None) -> None:
        super().__init__(message, details)
        self.code = code


class UnsupportedMediaType(HubError):
    """Raised when a request body is not JSON in UTF-8 (HTTP 415)."""

    code = "request.unsupported_media_type"
    message = "Content-Type moet application/json zijn (UTF-8)."


class MalformedJson(HubError):
    """Raised when a request body does not parse as JSON (HTTP 400)."""

    code = "request.malformed_json"
    message = "De body is geen geldige JSON."


class ResourceNotFound(HubError):
    """Raised when a message or delivery does not exist or belongs to another tenant."""

    code = "not_found"
    message = "De gevraagde resource bestaat niet."


class StateConflict(HubError):
    """Raised when an operation does not fit the resource's current state."""

    code = "conflict"
    message = "Dit kan niet in de huidige toestand."


class IdempotencyMismatch(HubError):
    """Raised when a sender repeats a ``source`` + ``id`` with a different message."""

    code = "idempotency.mismatch"
    message = ("Dit source en id zijn eerder gebruikt voor een ander bericht; geef een nieuw "
               "bericht een nieuw id.")

    def __init__(self) -> None:
        super().__init__(details=[{"field": "/id", "rule": self.code}])
