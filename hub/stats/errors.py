"""Errors of the statistics."""

from __future__ import annotations

from hub.errors import HubError, InvalidMessage


class StatsError(HubError):
    """Base of the errors of the statistics."""


class NotForThisTenant(StatsError):
    """Raised when a tenant that is no gemeente or meldpunt asks for statistics (answered 403)."""

    code = "stats.niet_toegestaan"
    message = "Alleen een gemeente of meldpunt kan statistieken opvragen."


class UnknownNetwork(StatsError):
    """Raised when the network asked for does not exist or the caller is no party of it
    (answered 404, never revealing which)."""

    code = "not_found"
    message = "Het gevraagde netwerk bestaat niet."


def invalid_query(field: str, rule: str, message: str) -> InvalidMessage:
    """The 422 for a query the statistics cannot answer; names the parameter, not its value."""
    return InvalidMessage(rule, message, [{"field": field, "rule": rule, "in": "query"}])
