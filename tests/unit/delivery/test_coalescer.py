"""Group commit: concurrent submissions are handled together, each answered on its own."""

from __future__ import annotations

import threading

import pytest

from hub.coalesce import Coalescer


def test_a_lone_caller_is_answered_by_a_batch_of_its_own():
    batches: list[list[int]] = []

    def run(items: list[int]) -> list[int]:
        batches.append(items)
        return [i * 10 for i in items]

    assert Coalescer(run).submit(4) == 40
    assert batches == [[4]]


def test_callers_arriving_during_a_batch_are_answered_together_in_the_next():
    first_running, release_first = threading.Event(), threading.Event()
    batches: list[list[int]] = []

    def run(items: list[int]) -> list[int]:
        batches.append(items)
        if items == [0]:
            first_running.set()
            release_first.wait(10)
        return [i * 10 for i in items]

    coalescer = Coalescer(run)
    answers: dict[int, int] = {}

    def call(i: int) -> None:
        answers[i] = coalescer.submit(i)

    leader = threading.Thread(target=call, args=(0,))
    leader.start()
    assert first_running.wait(10)
    followers = [threading.Thread(target=call, args=(i,)) for i in range(1, 6)]
    for t in followers:
        t.start()
    for _ in range(2000):  # until all five are queued behind the leader (bounded)
        if len(coalescer._pending) == 5:
            break
        threading.Event().wait(0.005)
    release_first.set()
    for t in [leader, *followers]:
        t.join(10)
    assert answers == {i: i * 10 for i in range(6)}
    assert batches[0] == [0] and sorted(batches[1]) == [1, 2, 3, 4, 5] and len(batches) == 2


def test_a_failing_batch_fails_its_callers_and_the_next_batch_still_runs():
    calls = 0

    def run(items: list[str]) -> list[str]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("database gone")
        return [i.upper() for i in items]

    coalescer = Coalescer(run)
    with pytest.raises(ConnectionError):
        coalescer.submit("a")
    assert coalescer.submit("b") == "B"


def test_a_batch_answering_too_few_items_is_an_error_not_a_wrong_answer():
    coalescer = Coalescer(lambda items: [])
    with pytest.raises(RuntimeError):
        coalescer.submit(1)


def test_a_batch_never_exceeds_the_maximum_size():
    release = threading.Event()
    batches: list[int] = []

    def run(items: list[int]) -> list[int]:
        batches.append(len(items))
        release.wait(10)
        return items

    coalescer = Coalescer(run, max_batch=3)
    threads = [threading.Thread(target=coalescer.submit, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    release.set()
    for t in threads:
        t.join(10)
    assert sum(batches) == 8 and max(batches) <= 3
