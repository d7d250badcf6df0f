from __future__ import annotations

import threading
from datetime import timedelta

from hub.bus.memory_bus import InProcessBus
from hub.delivery.retry import RetryPolicy


def test_retry_delays_grow_exponentially_and_stay_within_jitter_bounds():
    low, high = RetryPolicy(2.0, 3600.0, random=lambda: 0.0), RetryPolicy(2.0, 3600.0,
                                                                           random=lambda: 1.0)
    assert [high.delay(n).total_seconds() for n in range(1, 6)] == [2, 4, 8, 16, 32]
    assert all(low.delay(n) == timedelta(seconds=1) for n in range(1, 6))


def test_retry_delay_is_capped_at_the_maximum():
    policy = RetryPolicy(2.0, 60.0, random=lambda: 1.0)
    assert policy.delay(30) == timedelta(seconds=60)


def test_attempts_are_exhausted_at_the_maximum_not_before():
    assert not RetryPolicy.exhausted(7, 8)
    assert RetryPolicy.exhausted(8, 8)


def test_the_in_process_bus_hands_out_batches_urgent_first_and_only_wanted_queues():
    bus = InProcessBus()
    bus.publish([("inbox", "a"), ("webhook", "w"), ("urgent", "u"), ("inbox", "b")])
    seen: list[list[str]] = []
    stop = threading.Event()

    def handler(ids: list[str]) -> None:
        seen.append(ids)
        stop.set()

    bus.consume(["urgent", "inbox"], handler, stop)
    assert seen == [["u", "a", "b"]]
    assert bus.pending() == 1  # the webhook item waits for a consumer of its queue


def test_bus_chunks_keep_each_queues_ids_in_order_and_never_exceed_the_size():
    from hub.bus.kombu_bus import chunked

    items = [("inbox", f"i{n}") for n in range(5)] + [("urgent", "u1"), ("inbox", "i5")]
    assert chunked(items, 4) == [("inbox", ["i0", "i1", "i2", "i3"]), ("inbox", ["i4", "i5"]),
                                 ("urgent", ["u1"])]


def test_bus_message_bodies_of_both_shapes_yield_their_ids_and_junk_yields_none():
    from hub.bus.kombu_bus import ids_in

    assert ids_in({"delivery_ids": ["a", "b"]}) == ["a", "b"]
    assert ids_in({"delivery_id": "a"}) == ["a"]
    assert ids_in({"delivery_ids": ["a", 3, None, ""]}) == ["a"]
    assert ids_in({"delivery_ids": "a"}) == []
    assert ids_in(["a"]) == []
    assert ids_in({}) == []
