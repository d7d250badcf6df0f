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

    def delay(self, attempt: int) -> timedelta:
        """Delay before attempt ``attempt + 1``: uniform in [base/2, base * 2**(attempt-1)],
        capped at ``max_s`` (AWS "full jitter", kept above half the base so retries spread)."""
        ceiling = min(self.max_s, self.base_s * 2 ** max(0, attempt - 1))
        floor = min(ceiling, self.base_s / 2)
        return timedelta(seconds=floor + (ceiling - floor) * self.random())

    @staticmethod
    def exhausted(attempts: int, max_attempts: int) -> bool:
        return attempts >= max_attempts
