"""The baseline: raw pika on the same broker, same body size. One publisher thread publishes
persistent messages one at a time, each waiting for its publisher confirm; a consumer thread on
its own connection acknowledges each message manually, concurrently. The queue is a durable
quorum queue, as the hub's bus uses (set ``queue_type="classic"`` to compare)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pika


@dataclass
class RawResult:
    messages: int
    seconds: float
    publish_seconds: float

    @property
    def rate(self) -> float:
        return self.messages / self.seconds


def _params(url: str) -> pika.URLParameters:
    if url.endswith("//"):  # kombu's spelling of the default vhost "/"; pika wants %2F
        url = url[:-1] + "%2F"
    params = pika.URLParameters(url)
    params.heartbeat = 0
    return params


def run(url: str, queue: str, bodies: list[bytes], queue_type: str = "quorum",
        prefetch: int = 100, timeout: float = 120.0) -> RawResult:
    setup = pika.BlockingConnection(_params(url))
    ch = setup.channel()
    ch.queue_declare(queue, durable=True, arguments={"x-queue-type": queue_type})
    ch.queue_purge(queue)
    total = len(bodies)
    ready = threading.Event()
    acked: list[float] = []
    errors: list[BaseException] = []

    def consume() -> None:
        try:
            conn = pika.BlockingConnection(_params(url))
            channel = conn.channel()
            channel.basic_qos(prefetch_count=prefetch)
            deadline = time.monotonic() + timeout
            count = 0
            gen = channel.consume(queue, auto_ack=False, inactivity_timeout=0.2)
            ready.set()
            for method, _props, _body in gen:
                if method is not None:
                    channel.basic_ack(method.delivery_tag)
                    count += 1
                    if count == total:
                        acked.append(time.perf_counter())
                        break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"raw consumer: {count}/{total} acked")
            channel.cancel()
            conn.close()
        except BaseException as exc:  # noqa: BLE001 - reported by the caller
            errors.append(exc)
            ready.set()

    consumer = threading.Thread(target=consume, name="raw-consumer", daemon=True)
    consumer.start()
    ready.wait(10)
    pub = pika.BlockingConnection(_params(url))
    pch = pub.channel()
    pch.confirm_delivery()
    props = pika.BasicProperties(delivery_mode=2, content_type="application/json")
    start = time.perf_counter()
    for body in bodies:
        # with confirm_delivery, basic_publish blocks until the broker confirmed this message
        pch.basic_publish(exchange="", routing_key=queue, body=body, properties=props)
    published = time.perf_counter()
    consumer.join(timeout)
    pub.close()
    try:
        ch.queue_delete(queue)
    finally:
        setup.close()
    if errors:
        raise errors[0]
    if not acked:
        raise TimeoutError("raw consumer did not finish")
    return RawResult(messages=total, seconds=acked[0] - start, publish_seconds=published - start)
