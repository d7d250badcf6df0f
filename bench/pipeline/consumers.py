"""Consumers that take deliveries off the hub and acknowledge them. Each records, per hub
message id, when the hub marked the delivery delivered and when the consumer acknowledged it.

Two variants with the same ``start/stop/wait_for/records`` surface: the pull inbox, and the
AMQP push connector publishing to a partner's broker."""

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
    #: hub message id -> when delivered and acknowledged; filled by ``_thread``.
    _records: dict[str, Seen]
    _thread: threading.Thread

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        raise NotImplementedError

    @property
    def records(self) -> dict[str, Seen]:
        return self._records

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
    """The push side: the hub publishes each delivery to the partner's own broker (here an
    exchange and queue of the bench's own on the local RabbitMQ, through an ``amqp`` endpoint
    created with the admin API). A pika consumer acks each message manually and records, per
    hub message id (the ``cloudEvents:khmessageid`` header), when it arrived and when it was
    acknowledged."""

    name = "amqp push"

    def __init__(self, base: str, admin_key: str, recipient: str, broker_url: str) -> None:
        import uuid

        import pika

        self._pika = pika
        self._params = pika.URLParameters(broker_url)
        self._name = f"kh-bench-partner-{uuid.uuid4().hex[:8]}"
        with pika.BlockingConnection(self._params) as conn:
            channel = conn.channel()
            channel.exchange_declare(self._name, "direct", durable=True)
            channel.queue_declare(self._name, durable=True)
            channel.queue_bind(self._name, self._name, routing_key="ketenhub")
        admin = JsonClient(base, admin_key)
        try:
            admin.call("POST", f"/api/v1/admin/tenants/{recipient}/endpoints", json.dumps(
                {"connector": "amqp", "config": {"url": broker_url, "exchange": self._name,
                                                 "routing_key": "ketenhub"}}).encode())
        finally:
            admin.close()
        self._records: dict[str, Seen] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="amqp-consumer", daemon=True)
        self.errors: list[str] = []

    def _run(self) -> None:
        conn = self._pika.BlockingConnection(self._params)
        channel = conn.channel()
        channel.basic_qos(prefetch_count=200)
        try:
            for method, properties, _body in channel.consume(self._name, inactivity_timeout=0.2):
                if self._stop.is_set():
                    break
                if method is None:
                    continue
                arrived = time.time()
                channel.basic_ack(method.delivery_tag)
                message_id = (properties.headers or {}).get("cloudEvents:khmessageid")
                if message_id:
                    self._records[message_id] = Seen(delivered_at=arrived, acked_at=time.time())
                else:
                    self.errors.append("a message without cloudEvents:khmessageid")
        except Exception as exc:  # noqa: BLE001 - reported at the end
            self.errors.append(repr(exc))
        finally:
            try:
                channel.cancel()
                conn.close()
            except Exception:  # noqa: BLE001
                pass

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)
        try:
            with self._pika.BlockingConnection(self._params) as conn:
                channel = conn.channel()
                channel.queue_delete(self._name)
                channel.exchange_delete(self._name)
        except Exception as exc:  # noqa: BLE001
            self.errors.append(repr(exc))


class WebhookConsumer(Consumer):
    """The webhook push side: a local HTTP receiver (threaded, keep-alive) behind a ``webhook``
    endpoint created with the admin API. It answers 204 at once and records, per hub message id
    (the event's ``khmessageid``), when the push arrived; the 2xx is its acknowledgement. The
    signature is not verified (that would be the partner's CPU, on this same machine)."""

    name = "webhook push"

    def __init__(self, base: str, admin_key: str, recipient: str) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        records: dict[str, Seen] = {}
        errors: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                arrived = time.time()
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()
                try:
                    message_id = json.loads(body)["khmessageid"]
                except (ValueError, KeyError, TypeError):
                    errors.append("a push without khmessageid")
                    return
                records.setdefault(message_id, Seen(delivered_at=arrived, acked_at=arrived))

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._records = records
        self.errors = errors
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhook-receiver",
                                        daemon=True)
        admin = JsonClient(base, admin_key)
        try:
            admin.call("POST", f"/api/v1/admin/tenants/{recipient}/endpoints", json.dumps(
                {"connector": "webhook", "config": {
                    "url": f"http://127.0.0.1:{self._server.server_address[1]}/ketenhub"}}
            ).encode())
        finally:
            admin.close()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class HangingReceiver:
    """The noisy neighbour's webhook: accepts every connection and never answers (until
    closed), so each attempt runs into the endpoint's timeout."""

    def __init__(self) -> None:
        import socket

        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(256)
        self._held: list[object] = []
        self._closed = threading.Event()
        threading.Thread(target=self._accept, name="hanging-receiver", daemon=True).start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self._held.append(conn)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}/hangs"

    @property
    def connections(self) -> int:
        return len(self._held)

    def close(self) -> None:
        self._closed.set()
        self._sock.close()
        for conn in self._held:
            conn.close()  # type: ignore[attr-defined]
