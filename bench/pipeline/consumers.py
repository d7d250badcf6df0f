"""Consumers that take deliveries off the hub and acknowledge them. Each records, per hub
message id, when the hub marked the delivery delivered and when the consumer acknowledged it.

Only the pull inbox exists today. The AMQP push connector (the hub publishing to a partner's
broker) comes in a later issue: ``AmqpConsumer`` is where that variant goes, with the same
``start/stop/wait_for/records`` surface, so bench_pipeline.py can run every phase against it."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime

from pipeline.http import JsonClient, PerThread


@dataclass
class Seen:
    delivered_at: float  # epoch seconds (UTC wall clock), the hub's own timestamp
    acked_at: float      # epoch seconds when the consumer's ack was answered


class Consumer:
    """The surface every consumer variant offers the benchmark."""

    name = "abstract"

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    @property
    def records(self) -> dict[str, Seen]:
        raise NotImplementedError

    def wait_for(self, message_ids: set[str], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if message_ids <= self.records.keys():
                return True
            time.sleep(0.01)
        return message_ids <= self.records.keys()


class InboxConsumer(Consumer):
    """One poller: GET /api/v1/inbox (oldest unacknowledged first, a page at a time), then
    POST /api/v1/inbox:ack for the page (``batch_ack``, default) or POST
    /api/v1/inbox/{id}/ack for each item through a small pool of keep-alive connections,
    then the next page; when the inbox is empty it waits ``idle_poll_s`` before asking again."""

    name = "pull inbox"

    def __init__(self, base: str, key: str, *, page: int = 100, ack_threads: int = 4,
                 idle_poll_s: float = 0.02, batch_ack: bool = True) -> None:
        self._batch_ack = batch_ack
        self._poll = JsonClient(base, key)
        self._acks = PerThread(base, key)
        self._pool = ThreadPoolExecutor(ack_threads, thread_name_prefix="inbox-ack")
        self._page = page
        self._idle = idle_poll_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="inbox-poller", daemon=True)
        self._records: dict[str, Seen] = {}
        self._lock = threading.Lock()
        self.polls = 0
        self.errors: list[str] = []

    @property
    def records(self) -> dict[str, Seen]:
        return self._records

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)
        self._pool.shutdown(wait=True)
        self._poll.close()
        self._acks.close()

    def _ack(self, item: dict) -> None:
        self._acks.get().call("POST", f"/api/v1/inbox/{item['delivery_id']}/ack", b"{}")
        delivered = datetime.fromisoformat(item["delivered_at"]).timestamp()
        seen = Seen(delivered_at=delivered, acked_at=time.time())
        with self._lock:
            self._records[item["message_id"]] = seen

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                page = self._poll.call("GET", f"/api/v1/inbox?limit={self._page}")
                self.polls += 1
            except Exception as exc:  # noqa: BLE001 - keep polling, report at the end
                self.errors.append(repr(exc))
                self._stop.wait(0.2)
                continue
            items = [i for i in page["items"] if i["message_id"] not in self._records]
            if not items:
                self._stop.wait(self._idle)
                continue
            if self._batch_ack:
                try:
                    self._poll.call("POST", "/api/v1/inbox:ack", json.dumps(
                        {"delivery_ids": [i["delivery_id"] for i in items]}).encode())
                    now = time.time()
                    with self._lock:
                        for i in items:
                            self._records[i["message_id"]] = Seen(
                                delivered_at=datetime.fromisoformat(i["delivered_at"]).timestamp(),
                                acked_at=now)
                except Exception as exc:  # noqa: BLE001 - keep polling, report at the end
                    self.errors.append(repr(exc))
                continue
            futures = [self._pool.submit(self._ack, i) for i in items]
            wait(futures)
            for f in futures:
                if f.exception() is not None:
                    self.errors.append(repr(f.exception()))


class AmqpConsumer(Consumer):
    """Placeholder for the AMQP push connector (a later issue): a pika consumer on the
    partner's broker with manual ack, recording the same timestamps."""

    name = "amqp push"

    def __init__(self, *_args: object, **_kwargs: object) -> None:
        raise NotImplementedError("the AMQP push connector does not exist yet")
