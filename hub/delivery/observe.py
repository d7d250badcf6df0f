"""What the delivery processor tells the metrics about each attempt (no I/O, no personal data:
the connector alias, the outcome, the duration and the state the delivery is left in)."""

from __future__ import annotations

from typing import Protocol


class AttemptObserver(Protocol):
    def attempted(self, connector: str, outcome: str, duration_s: float, state: str) -> None:
        """One attempt ended: ``outcome`` as recorded (success, retryable, permanent, blocked),
        ``state`` the delivery's status after it (delivered, retrying, dead, blocked)."""


class NoObserver:
    def attempted(self, connector: str, outcome: str, duration_s: float, state: str) -> None:
        return None
