"""No endpoint holds up another: per endpoint a limit of attempts in flight and a circuit
breaker. An attempt the gate does not admit is *deferred*: it waits in the database (not on the
bus) and is dispatched again when due, without counting as an attempt.

The breaker is written here rather than taken from pybreaker: pybreaker holds its lock for the
whole guarded call, so one hanging request would serialise every attempt to that endpoint,
which is exactly what this module must prevent."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from connectors.base import AttemptResult
from hub.delivery.model import Outcome

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"


@dataclass(frozen=True)
class IsolationSettings:
    #: Attempts one endpoint may have in flight in one worker process at once.
    per_endpoint: int = 2
    #: Retryable failures in a row after which an endpoint's breaker opens.
    breaker_failures: int = 5
    #: Seconds an open breaker refuses attempts before it lets one probe through.
    breaker_open_s: float = 30.0
    #: Seconds a delivery waits when its endpoint had all its attempts in flight.
    busy_wait_s: float = 1.0


class _Breaker:
    """Closed: attempts go; ``failures`` retryable failures in a row open it. Open: nothing goes
    for ``open_s``; then half-open: one probe goes, its success closes, its failure reopens."""

    def __init__(self, failures: int, open_s: float, clock: Callable[[], float]) -> None:
        self._max, self._open_s, self._clock = max(1, failures), open_s, clock
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    def state(self) -> str:
        if self._opened_at is None:
            return CLOSED
        return HALF_OPEN if self._clock() - self._opened_at >= self._open_s else OPEN

    def admit(self) -> bool:
        state = self.state()
        if state == OPEN or (state == HALF_OPEN and self._probing):
            return False
        self._probing = state == HALF_OPEN
        return True

    def failing(self) -> bool:
        """The last attempt failed, or the breaker is not closed."""
        return self._failures > 0 or self._opened_at is not None

    def record(self, failed: bool) -> None:
        self._probing = False
        if not failed:
            self._failures, self._opened_at = 0, None
            return
        self._failures += 1
        if self._opened_at is not None or self._failures >= self._max:
            self._opened_at = self._clock()


class EndpointGate:
    """Thread-safe; one per worker process. The lock guards bookkeeping only, never a call."""

    def __init__(self, settings: IsolationSettings,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self._clock = clock
        self._lock = threading.Lock()
        self._in_flight: dict[str, int] = {}
        self._breakers: dict[str, _Breaker] = {}

    def reserve(self, endpoint_id: str, wanted: int) -> int:
        """Up to ``wanted`` slots (chains of attempts) for the endpoint, within its limit and
        only while its breaker admits attempts; 0 means: defer its deliveries. Attempts
        without an endpoint ("") are not limited."""
        if not endpoint_id:
            return 1
        with self._lock:
            in_flight = self._in_flight.get(endpoint_id, 0)
            free = max(0, max(1, self.settings.per_endpoint) - in_flight)
            breaker = self._breaker(endpoint_id)
            probing = breaker.state() == HALF_OPEN
            if free == 0 or not breaker.admit():
                return 0
            granted = 1 if probing else min(free, wanted)
            self._in_flight[endpoint_id] = in_flight + granted
            return granted

    def admits(self, endpoint_id: str) -> bool:
        """Whether the next attempt of a reserved chain may go (the breaker may have opened)."""
        with self._lock:
            return self._breaker(endpoint_id).state() != OPEN

    def record(self, endpoint_id: str, result: AttemptResult) -> None:
        """Only retryable failures (timeouts, 5xx, refused connections) count against the
        endpoint: a rejection (4xx) says nothing about its health."""
        with self._lock:
            self._breaker(endpoint_id).record(result.outcome == Outcome.RETRYABLE.value)

    def release(self, endpoint_id: str, slots: int = 1) -> None:
        with self._lock:
            self._in_flight[endpoint_id] = max(0, self._in_flight.get(endpoint_id, 0) - slots)

    def run_chain(self, endpoint_id: str, sends: list[Callable[[], AttemptResult]]
                  ) -> list[AttemptResult | None]:
        """Attempts to one endpoint one after another on a reserved slot (released at the
        end); once the breaker opens, the rest are not tried (None: defer them)."""
        results: list[AttemptResult | None] = []
        if not endpoint_id:
            return [send() for send in sends]
        try:
            for send in sends:
                if not self.admits(endpoint_id):
                    results.append(None)
                    continue
                result = send()
                self.record(endpoint_id, result)
                results.append(result)
        finally:
            self.release(endpoint_id)
        return results

    def retry_in(self, endpoint_id: str | None) -> float:
        """Seconds a delivery the gate did not admit waits: until the breaker may probe
        again, or a moment when the endpoint was only at its limit."""
        if endpoint_id is not None and self.state(endpoint_id) == OPEN:
            return self.settings.breaker_open_s
        return self.settings.busy_wait_s

    def suspect(self, endpoint_id: str) -> bool:
        """Whether the endpoint's last attempt failed (a timeout, a 5xx): the processor records
        the other attempts of a batch without waiting for its chains."""
        if not endpoint_id:
            return False
        with self._lock:
            return self._breaker(endpoint_id).failing()

    def state(self, endpoint_id: str) -> str:
        """``closed``, ``open`` or ``half-open`` (for metrics and tests)."""
        with self._lock:
            return self._breaker(endpoint_id).state()

    def _breaker(self, endpoint_id: str) -> _Breaker:
        if endpoint_id not in self._breakers:
            self._breakers[endpoint_id] = _Breaker(self.settings.breaker_failures,
                                                   self.settings.breaker_open_s, self._clock)
        return self._breakers[endpoint_id]
