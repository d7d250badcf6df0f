"""The retry policy: exponential backoff with full jitter, capped, with a maximum of attempts."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta


@dataclass(frozen=True)
class RetryPolicy:
    base_s: float = 2.0
    max_s: float = 3600.0
    random: Callable[[], float] = field(default=random.random, compare=False)

    def delay(self, attempt: int, at_least_s: float | None = None) -> timedelta:
        """Delay before attempt ``attempt + 1``: uniform in [base/2, base * 2**(attempt-1)],
        capped at ``max_s`` (AWS "full jitter", kept above half the base so retries spread).
        A receiver's ``Retry-After`` (``at_least_s``) is honoured up to ``max_s``."""
        ceiling = min(self.max_s, self.base_s * 2 ** max(0, attempt - 1))
        floor = min(ceiling, self.base_s / 2)
        seconds = floor + (ceiling - floor) * self.random()
        if at_least_s:
            seconds = max(seconds, min(self.max_s, at_least_s))
        return timedelta(seconds=seconds)

    @staticmethod
    def exhausted(attempts: int, max_attempts: int) -> bool:
        return attempts >= max_attempts
