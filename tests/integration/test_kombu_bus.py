"""The kombu bus on the real RabbitMQ: chunks of ids go out and every id comes back once."""

from __future__ import annotations

import threading
import uuid

import pytest

from hub.bus.kombu_bus import KombuBus
from hub.bus.ports import BATCH
from tests.integration.pipeline import wait_until


@pytest.fixture
def bus(broker_url: str):
    bus = KombuBus(broker_url, prefix=f"kh-test-{uuid.uuid4().hex[:8]}")
    bus.declare()
    yield bus
    bus.close()
    bus.delete_all()


def test_every_published_id_is_consumed_exactly_once_in_fewer_calls_than_ids(bus):
    items = [("inbox", f"d{n}") for n in range(300)] + [("webhook", f"w{n}") for n in range(70)]
    bus.publish(items)
    seen: list[list[str]] = []
    stop = threading.Event()
    consumer = threading.Thread(target=bus.consume, args=(["inbox", "webhook"], seen.append, stop))
    consumer.start()
    try:
        wait_until(lambda: sum(len(b) for b in seen) >= len(items), timeout=30)
    finally:
        stop.set()
        consumer.join(10)
    consumed = [i for b in seen for i in b]
    assert sorted(consumed) == sorted(i for _, i in items)
    assert len(seen) <= len(items) // BATCH + 2


def test_a_message_in_the_old_one_id_shape_is_still_handled(bus):
    from kombu import Connection, Producer

    with Connection(bus.url) as conn:
        Producer(conn.channel(), exchange=bus.exchange).publish(
            {"delivery_id": "old-1"}, routing_key="inbox", serializer="json")
    seen: list[list[str]] = []
    stop = threading.Event()
    consumer = threading.Thread(target=bus.consume, args=(["inbox"], seen.append, stop))
    consumer.start()
    try:
        wait_until(lambda: seen, timeout=30)
    finally:
        stop.set()
        consumer.join(10)
    assert seen == [["old-1"]]


def test_a_poison_message_is_dead_lettered_once_and_holds_up_nothing_behind_it(bus):
    from kombu import Connection, Producer

    with Connection(bus.url) as conn:
        producer = Producer(conn.channel(), exchange=bus.exchange)
        producer.publish(b"\xff kein json", routing_key="inbox", content_type="application/json",
                         content_encoding="binary")
        producer.publish(b"pickled?", routing_key="inbox", content_type="application/x-python",
                         content_encoding="binary")
        producer.publish({"delivery_ids": "not-a-list"}, routing_key="inbox", serializer="json")
    bus.publish([("inbox", "after-the-poison")])
    seen: list[list[str]] = []
    stop = threading.Event()
    consumer = threading.Thread(target=bus.consume, args=(["inbox"], seen.append, stop))
    consumer.start()
    try:
        wait_until(lambda: "after-the-poison" in [i for b in seen for i in b], timeout=30)
        wait_until(lambda: bus.depths()["inbox"] == 0, timeout=30)
    finally:
        stop.set()
        consumer.join(10)
    assert [i for b in seen for i in b] == ["after-the-poison"]
    with Connection(bus.url) as conn:
        dead = bus.dead_queue.bind(conn.channel()).queue_declare(passive=True).message_count
    assert dead == 2  # the two bodies that do not decode; the wrong shape is simply empty
