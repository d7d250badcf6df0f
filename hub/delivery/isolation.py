"""No endpoint holds up another: per endpoint a limit of attempts in flight and a circuit
breaker (pybreaker). An attempt the gate does not admit is *deferred*: it waits in the database
(not on the bus) and is dispatched again when due, without counting as an attempt."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import pybreaker

from connectors.base import AttemptResult
from hub.delivery.model import Outcome


@dataclass(frozen=True)
class IsolationSettings:
    #: Attempts one endpoint may have in flight in one worker process at once.
    per_endpoint: int = 2
    #: Retryable failures in a row after which an endpoint's breaker opens.
    breaker_failures: int = 5
    #: Seconds an open breaker refuses attempts before it lets one probe through.
    breaker_open_s: float = 30.0


class _Failed(Exception):
    """Carries a retryable attempt's result through the breaker, which counts it."""

    def __init__(self, result: AttemptResult) -> None:
        super().__init__(result.error_code)
        self.result = result


class EndpointGate:
    """Thread-safe; one per worker process."""

    def __init__(self, settings: IsolationSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._breakers: dict[str, pybreaker.CircuitBreaker] = {}

    def attempt(self, endpoint_id: str | None,
                send: Callable[[], AttemptResult]) -> AttemptResult | None:
        """``send``'s result, or None when the endpoint is at its limit or its breaker is open
        (the caller defers the delivery). A delivery without endpoint (the inbox) always goes."""
        if endpoint_id is None:
            return send()
        slots, breaker = self._for(endpoint_id)
        if not slots.acquire(blocking=False):
            return None
        try:
            return breaker.call(_counting(send))
        except _Failed as failed:
            return failed.result
        except pybreaker.CircuitBreakerError:
            return None
        finally:
            slots.release()

    def state(self, endpoint_id: str) -> str:
        """``closed``, ``open`` or ``half-open`` (for metrics and tests)."""
        return self._for(endpoint_id)[1].current_state

    def _for(self, endpoint_id: str) -> tuple[threading.BoundedSemaphore, pybreaker.CircuitBreaker]:
        with self._lock:
            if endpoint_id not in self._slots:
                self._slots[endpoint_id] = threading.BoundedSemaphore(
                    max(1, self.settings.per_endpoint))
                self._breakers[endpoint_id] = pybreaker.CircuitBreaker(
                    fail_max=max(1, self.settings.breaker_failures),
                    reset_timeout=self.settings.breaker_open_s, name=endpoint_id,
                    throw_new_error_on_trip=False)
            return self._slots[endpoint_id], self._breakers[endpoint_id]


def _counting(send: Callable[[], AttemptResult]) -> Callable[[], AttemptResult]:
    """Only retryable failures (timeouts, 5xx, refused connections) trip the breaker; a
    rejection (4xx) says nothing about the endpoint's health."""

    def call() -> AttemptResult:
        result = send()
        if result.outcome == Outcome.RETRYABLE.value:
            raise _Failed(result)
        return result

    return call
