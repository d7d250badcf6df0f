"""The endpoint gate: a limit of attempts in flight per endpoint and a circuit breaker."""

from __future__ import annotations

import threading
import time

from connectors.base import AttemptResult
from hub.delivery.isolation import EndpointGate, IsolationSettings

OK = AttemptResult("success", 3, None, 204)
DOWN = AttemptResult("retryable", 5000, "connector.timeout", None)
REJECTED = AttemptResult("permanent", 3, "connector.rejected", 400)


def test_an_endpoint_at_its_limit_defers_while_other_endpoints_go_on():
    gate = EndpointGate(IsolationSettings(per_endpoint=1))
    release, entered = threading.Event(), threading.Event()

    def hanging() -> AttemptResult:
        entered.set()
        release.wait(10)
        return OK

    holder = threading.Thread(target=lambda: gate.attempt("slow", hanging))
    holder.start()
    entered.wait(10)
    try:
        assert gate.attempt("slow", lambda: OK) is None
        assert gate.attempt("healthy", lambda: OK) == OK
        assert gate.attempt(None, lambda: OK) == OK
    finally:
        release.set()
        holder.join()
    assert gate.attempt("slow", lambda: OK) == OK


def test_the_breaker_opens_after_failures_in_a_row_and_defers_without_trying():
    gate = EndpointGate(IsolationSettings(breaker_failures=3, breaker_open_s=60))
    tried = []

    def down() -> AttemptResult:
        tried.append(1)
        return DOWN

    assert [gate.attempt("e1", down) for _ in range(3)] == [DOWN, DOWN, DOWN]
    assert gate.state("e1") == "open"
    assert gate.attempt("e1", down) is None
    assert len(tried) == 3
    assert gate.attempt("e2", lambda: OK) == OK


def test_an_open_breaker_lets_a_probe_through_after_its_pause_and_closes_on_success():
    gate = EndpointGate(IsolationSettings(breaker_failures=1, breaker_open_s=0.05))
    assert gate.attempt("e1", lambda: DOWN) == DOWN
    assert gate.attempt("e1", lambda: OK) is None
    time.sleep(0.1)  # the breaker's own pause elapses (no assertion on time)
    assert gate.attempt("e1", lambda: OK) == OK
    assert gate.state("e1") == "closed"


def test_rejections_and_successes_do_not_trip_the_breaker():
    gate = EndpointGate(IsolationSettings(breaker_failures=2))
    for result in (REJECTED, DOWN, OK, DOWN, REJECTED):
        assert gate.attempt("e1", lambda r=result: r) == result
    assert gate.state("e1") == "closed"
