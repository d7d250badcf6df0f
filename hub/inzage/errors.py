"""Errors of the inzage."""

from __future__ import annotations

from hub.errors import InvalidMessage


class InvalidInzage(InvalidMessage):
    """Raised when the identity of an inzage request gives no pseudonym (a name part or the
    birth date missing or unreadable); names the field, never its value."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__("validation.identity", "Een identiteitsgegeven ontbreekt of is onleesbaar.",
                         [{"field": field, "rule": rule}])
