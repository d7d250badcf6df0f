"""The bus on a broker through kombu (RabbitMQ in production): a durable direct exchange, one
quorum queue per connector kind plus an urgent queue, each with a delivery limit and a
dead-letter exchange; persistent messages and publisher confirms.

One bus message carries up to ``BATCH`` delivery ids of one queue (``{"delivery_ids": [...]}``):
the relay publishes a chunk with one confirm round trip, and a worker claims the chunk with one
statement. Redelivering a chunk is harmless: the claim in the database lets each id through once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from kombu import Connection, Exchange, Producer, Queue

from hub.bus.ports import BATCH, QUEUES, Bus, Handler
from hub.errors import BusUnavailable

log = logging.getLogger("ketenhub.bus")

#: Redeliveries of one bus message before the broker dead-letters it. The database still holds
#: the delivery, so the reconciler dispatches it again later.
DELIVERY_LIMIT = 20
#: Unacked bus messages per consumer. A message holds up to BATCH ids, so a small window keeps
#: work spread over the consumers.
PREFETCH = 4


class KombuBus(Bus):
    def __init__(self, url: str, prefix: str = "ketenhub") -> None:
        self.url = url
        self.prefix = prefix
        self.exchange = Exchange(prefix, type="direct", durable=True)
        self.dead_letters = Exchange(f"{prefix}.dlx", type="fanout", durable=True)
        args = {"x-queue-type": "quorum", "x-delivery-limit": DELIVERY_LIMIT,
                "x-dead-letter-exchange": f"{prefix}.dlx"}
        self.queues = {name: Queue(f"{prefix}.{name}", self.exchange, routing_key=name,
                                   durable=True, queue_arguments=args) for name in QUEUES}
        self.dead_queue = Queue(f"{prefix}.dead-letters", self.dead_letters, durable=True,
                                queue_arguments={"x-queue-type": "quorum"})
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        self._producer: Producer | None = None

    def _connection(self) -> Connection:
        return Connection(self.url, transport_options={"confirm_publish": True},
                          connect_timeout=5, heartbeat=0)

    def declare(self) -> None:
        with self._connection() as conn:
            channel = conn.channel()
            for entity in (self.exchange, self.dead_letters, self.dead_queue,
                           *self.queues.values()):
                entity.bind(channel).declare()

    def publish(self, items: Sequence[tuple[str, str]]) -> None:
        with self._lock:
            try:
                producer = self._ensure_producer()
                for queue_name, ids in chunked(items, BATCH):
                    producer.publish({"delivery_ids": ids}, routing_key=queue_name,
                                     serializer="json", delivery_mode=2, mandatory=False)
            except Exception as exc:
                self._reset()
                log.warning("bus publish failed", extra={"error_type": type(exc).__name__})
                raise BusUnavailable() from exc

    def _ensure_producer(self) -> Producer:
        if self._producer is None or self._conn is None or not self._conn.connected:
            self._reset()
            self._conn = self._connection()
            self._conn.ensure_connection(max_retries=1)
            self._producer = Producer(self._conn.channel(), exchange=self.exchange)
        return self._producer

    def _reset(self) -> None:
        if self._conn is not None:
            try:
                self._conn.release()
            except Exception:  # noqa: BLE001 - the connection is being thrown away anyway
                pass
        self._conn = None
        self._producer = None

    def consume(self, queues: Sequence[str], handler: Handler, stop: threading.Event) -> None:
        chosen = [self.queues[q] for q in queues]
        waiting: list[tuple[list[str], object]] = []

        def on_message(body: dict, message: object) -> None:
            waiting.append((ids_in(body), message))

        def on_poison(message: object, exc: Exception) -> None:
            # A body that does not decode would otherwise break the connection and come back
            # again and again (holding up, and counting against, everything behind it): it goes
            # to the dead letters at once. Nothing is lost: the database holds every delivery.
            log.warning("bus message undecodable, dead-lettered",
                        extra={"error_type": type(exc).__name__})
            message.reject(requeue=False)  # type: ignore[attr-defined]

        def flush() -> None:
            batch = list(waiting)
            waiting.clear()
            try:
                handler([delivery_id for ids, _ in batch for delivery_id in ids])
            finally:
                for _, message in batch:
                    message.ack()  # type: ignore[attr-defined]

        while not stop.is_set():
            waiting.clear()  # unacked messages of a dropped connection come back by themselves
            try:
                with Connection(self.url, connect_timeout=5, heartbeat=30) as conn:
                    conn.ensure_connection(max_retries=1)
                    with conn.Consumer(chosen, callbacks=[on_message], accept=["json"],
                                       prefetch_count=PREFETCH, on_decode_error=on_poison):
                        while not stop.is_set():
                            try:
                                conn.drain_events(timeout=0.5)
                                while sum(len(ids) for ids, _ in waiting) < BATCH:
                                    conn.drain_events(timeout=0.002)
                            except TimeoutError:
                                conn.heartbeat_check()
                            if waiting:
                                flush()
            except Exception as exc:  # noqa: BLE001 - reconnect on any broker failure
                log.warning("bus consumer reconnecting", extra={"error_type": type(exc).__name__})
                stop.wait(1.0)

    def ping(self, timeout: float) -> bool:
        try:
            with Connection(self.url, connect_timeout=timeout) as conn:
                conn.ensure_connection(max_retries=1, timeout=timeout)
                return conn.connected
        except Exception:  # noqa: BLE001 - any failure to connect means "not ready"
            return False

    def depths(self, timeout: float = 2.0) -> dict[str, int]:
        """Ready messages per queue, by passive declares on one short-lived connection."""
        found: dict[str, int] = {}
        with Connection(self.url, connect_timeout=timeout) as conn:
            channel = conn.channel()
            for name, queue in self.queues.items():
                found[name] = queue.bind(channel).queue_declare(passive=True).message_count
        return found

    def close(self) -> None:
        with self._lock:
            self._reset()

    def delete_all(self) -> None:
        """Remove this prefix's exchanges and queues (tests and benchmarks clean up)."""
        with self._connection() as conn:
            channel = conn.channel()
            for q in (*self.queues.values(), self.dead_queue):
                try:
                    q.bind(channel).delete()
                except Exception:  # noqa: BLE001
                    channel = conn.channel()
            for ex in (self.exchange, self.dead_letters):
                try:
                    ex.bind(channel).delete()
                except Exception:  # noqa: BLE001
                    channel = conn.channel()


def chunked(items: Sequence[tuple[str, str]], size: int) -> list[tuple[str, list[str]]]:
    """(queue, delivery id) pairs as (queue, up to ``size`` ids) chunks, in order per queue."""
    by_queue: dict[str, list[str]] = {}
    for queue_name, delivery_id in items:
        by_queue.setdefault(queue_name, []).append(delivery_id)
    return [(queue_name, ids[i:i + size]) for queue_name, ids in by_queue.items()
            for i in range(0, len(ids), size)]


def ids_in(body: object) -> list[str]:
    """The delivery ids of a bus message; a malformed body yields none (the reconciler still
    finds every due delivery in the database)."""
    if not isinstance(body, dict):
        return []
    ids = body.get("delivery_ids")
    if ids is None and body.get("delivery_id"):  # one id per message, as published before
        ids = [body["delivery_id"]]
    return [i for i in ids if isinstance(i, str) and i] if isinstance(ids, list) else []
