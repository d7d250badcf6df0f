"""Errors of the termijnen flow."""

from __future__ import annotations

from hub.errors import HubError


class TermijnError(HubError):
    """Base of the errors the termijnen flow raises."""

    code = "termijn.error"


class DuplicateFlow(TermijnError):
    """Raised when a flow with a term is registered without a name or under a name taken."""

    code = "termijn.duplicate_flow"
    message = "Deze termijnstroom is al geregistreerd."
