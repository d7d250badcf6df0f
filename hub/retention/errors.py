"""Errors of retention."""

from __future__ import annotations

from hub.errors import HubError


class RetentionFailed(HubError):
    """Raised when a retention run stops on an error (the run is recorded as failed and a
    ``retention.failed`` alert raised; what it shredded before stays shredded)."""

    code = "retention.failed"
    message = "Het vernietigen van verlopen gegevens is mislukt; zie de melding voor de beheerder."
