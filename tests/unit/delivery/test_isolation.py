"""The endpoint gate: a limit of chains of attempts in flight per endpoint and a breaker."""

from __future__ import annotations

import threading

from connectors.base import AttemptResult
from hub.delivery.isolation import EndpointGate, IsolationSettings

OK = AttemptResult("success", 3, None, 204)
DOWN = AttemptResult("retryable", 5000, "connector.timeout", None)
REJECTED = AttemptResult("permanent", 3, "connector.rejected", 400)


def test_an_endpoint_gets_at_most_its_limit_of_slots_and_others_are_not_affected():
    gate = EndpointGate(IsolationSettings(per_endpoint=2))
    assert gate.reserve("slow", 5) == 2
    assert gate.reserve("slow", 1) == 0
    assert gate.reserve("healthy", 3) == 2
    assert gate.reserve("", 9) == 1  # no endpoint (no limit)
    gate.release("slow")
    assert gate.reserve("slow", 4) == 1


def test_the_breaker_opens_after_failures_in_a_row_and_the_rest_of_the_chain_is_deferred():
    gate = EndpointGate(IsolationSettings(breaker_failures=3, breaker_open_s=60))
    tried = []

    def down() -> AttemptResult:
        tried.append(1)
        return DOWN

    assert gate.reserve("e1", 1) == 1
    assert gate.run_chain("e1", [down] * 5) == [DOWN, DOWN, DOWN, None, None]
    assert len(tried) == 3 and gate.state("e1") == "open"
    assert gate.reserve("e1", 1) == 0
    assert gate.reserve("e2", 1) == 1 and gate.run_chain("e2", [lambda: OK]) == [OK]


def test_an_open_breaker_lets_one_probe_through_after_its_pause_and_closes_on_success():
    now = [100.0]
    gate = EndpointGate(IsolationSettings(breaker_failures=1, breaker_open_s=30),
                        clock=lambda: now[0])
    gate.reserve("e1", 1)
    assert gate.run_chain("e1", [lambda: DOWN]) == [DOWN]
    assert gate.reserve("e1", 1) == 0
    now[0] += 31
    assert gate.state("e1") == "half-open"
    assert gate.reserve("e1", 2) == 1          # the probe
    assert gate.reserve("e1", 1) == 0          # only one probe at a time
    assert gate.run_chain("e1", [lambda: OK, lambda: OK]) == [OK, OK]
    assert gate.state("e1") == "closed"


def test_a_failed_probe_opens_the_breaker_again():
    now = [0.0]
    gate = EndpointGate(IsolationSettings(breaker_failures=2, breaker_open_s=30),
                        clock=lambda: now[0])
    gate.reserve("e1", 1)
    gate.run_chain("e1", [lambda: DOWN, lambda: DOWN])
    now[0] += 31
    gate.reserve("e1", 1)
    assert gate.run_chain("e1", [lambda: DOWN, lambda: OK]) == [DOWN, None]
    assert gate.state("e1") == "open"


def test_rejections_and_successes_do_not_trip_the_breaker():
    gate = EndpointGate(IsolationSettings(breaker_failures=2))
    gate.reserve("e1", 1)
    results = [REJECTED, DOWN, OK, DOWN, REJECTED]
    assert gate.run_chain("e1", [lambda r=r: r for r in results]) == results
    assert gate.state("e1") == "closed"


def test_two_chains_to_one_endpoint_run_at_once():
    gate = EndpointGate(IsolationSettings(per_endpoint=2))
    inside, release = threading.Barrier(3), threading.Event()

    def hanging() -> AttemptResult:
        inside.wait(10)
        release.wait(10)
        return OK

    assert gate.reserve("e1", 2) == 2
    threads = [threading.Thread(target=gate.run_chain, args=("e1", [hanging])) for _ in range(2)]
    for t in threads:
        t.start()
    inside.wait(10)  # both are inside send() at the same moment
    assert gate.reserve("e1", 1) == 0
    release.set()
    for t in threads:
        t.join()
    assert gate.reserve("e1", 1) == 1


def test_an_endpoint_is_suspect_from_its_first_failure_until_a_success():
    gate = EndpointGate(IsolationSettings(breaker_failures=3))
    assert not gate.suspect("e1") and not gate.suspect("")
    gate.reserve("e1", 1)
    gate.run_chain("e1", [lambda: REJECTED])
    assert not gate.suspect("e1")  # a rejection says nothing about its health
    gate.reserve("e1", 1)
    gate.run_chain("e1", [lambda: DOWN])
    assert gate.suspect("e1") and gate.state("e1") == "closed"
    gate.reserve("e1", 1)
    gate.run_chain("e1", [lambda: OK])
    assert not gate.suspect("e1")
