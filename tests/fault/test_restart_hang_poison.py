"""Fault test, second part (issue 19): while 300 signalen flow to three meldpunten — two with a
healthy webhook, one whose webhook accepts the connection and never answers —

(d) PostgreSQL is restarted in the middle of the run (``pg_ctlcluster … restart``; started
    again before the test ends, even when it fails),
(e) poison messages are put on the bus (bodies that do not decode, a wrong shape, an unknown
    delivery id),

after which nothing accepted is lost and nothing is delivered twice by id: every (message,
recipient) pair is in the inbox exactly once, every healthy webhook delivery arrived (its
``webhook-id`` counted at the receiver), the hanging endpoint's deliveries are all still in the
database (retrying, deferred or dead — never gone), and the worker survived. The healthy
tenants' p99 (accepted → webhook received) is printed and written to ``fault-report.json``,
not asserted.

Restarting PostgreSQL disturbs whatever else uses the server at that moment: run this file
alone, rarely (CI runs it as part of the suite, alone on its machine).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from kombu import Connection, Producer
from sqlalchemy import text

from hub.app import create_app
from hub.bootstrap import bootstrap
from hub.bus.kombu_bus import KombuBus
from hub.config import Config
from hub.delivery.model import delivery_identity
from hub.persistence.migrate import upgrade
from tenants.model import Principal
from tests.fault.harness import (
    MELDPUNTEN,
    SENDER,
    HubProcess,
    hub_env,
    new_master_key,
    permitted_pairs,
    seed,
    signaal,
    wait_until,
)
from tests.fault.test_nothing_lost import FAST, FaultPlan

pytestmark = pytest.mark.integration

MESSAGES = 300
HEALTHY = ("mp-noord", "mp-zuid")
HANGING = "mp-west"
DRAIN_BOUND_S = 240.0


class CountingReceiver:
    """Answers 204 to every webhook and notes when each ``webhook-id`` arrived."""

    def __init__(self) -> None:
        self.arrivals: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    receiver.arrivals.setdefault(self.headers.get("webhook-id", ""), []).append(
                        time.monotonic())
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class HangingReceiver:
    """Accepts every connection, reads, and never answers (until closed)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.held: list[socket.socket] = []
        self.closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/hangs"

    def close(self) -> None:
        self.closed.set()
        self.sock.close()
        for conn in self.held:
            conn.close()


def _pg_version() -> str | None:
    if shutil.which("pg_ctlcluster") is None or not os.path.isdir("/etc/postgresql"):
        return None
    versions = sorted(os.listdir("/etc/postgresql"))
    return versions[-1] if versions else None


def _pg_ctl(version: str, action: str) -> int:
    return subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
                          capture_output=True, text=True, timeout=120).returncode


def _pg_up(version: str) -> None:
    """Started again whatever happened (status 3: down)."""
    if _pg_ctl(version, "status") != 0:
        _pg_ctl(version, "start")


def _poison(broker_url: str, prefix: str, bus: KombuBus) -> int:
    bodies = 0
    with Connection(broker_url) as conn:
        producer = Producer(conn.channel(), exchange=bus.exchange)
        for queue in ("webhook", "inbox"):
            producer.publish(b"\xff geen json", routing_key=queue,
                             content_type="application/json", content_encoding="binary")
            producer.publish({"delivery_ids": "geen lijst"}, routing_key=queue, serializer="json")
            producer.publish({"delivery_ids": [str(uuid.uuid4())]}, routing_key=queue,
                             serializer="json")
            bodies += 3
    return bodies


def _p(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@pytest.mark.timeout(600)
def test_a_postgresql_restart_a_hanging_receiver_and_poison_lose_nothing(postgres_url, broker_url,
                                                                         tmp_path):
    version = _pg_version()
    if version is None:
        pytest.skip("pg_ctlcluster is not on this machine")
    prefix = f"kh-fault-{uuid.uuid4().hex[:8]}"
    master_key = new_master_key()
    settings = {**FAST, "allow_loopback_endpoints": True}
    config = Config(data_dir=tmp_path, database_url=postgres_url, broker_url=broker_url,
                    master_key=master_key, bus_prefix=prefix, **settings)
    container = bootstrap(config)
    upgrade(container.engine)
    keys = seed(container)
    client = create_app(config, container).test_client()
    healthy, hanging = CountingReceiver(), HangingReceiver()
    for meldpunt in HEALTHY:
        container.endpoints.create(Principal.system(), meldpunt, connector="webhook",
                                   config={"url": healthy.url(f"/{meldpunt}")})
    container.endpoints.create(Principal.system(), HANGING, connector="webhook",
                               config={"url": hanging.url(), "timeout_s": 1}, max_attempts=4)
    worker = HubProcess("worker", ["worker"], hub_env(
        database_url=postgres_url, broker_url=broker_url, master_key=master_key,
        bus_prefix=prefix, data_dir=tmp_path, **settings), tmp_path / "worker.log")
    bus = KombuBus(broker_url, prefix)
    sent = [0]
    accepted_at: dict[str, float] = {}
    retried = [0]
    try:
        worker.start().wait_for_log("Ketenhub worker draait")
        plan = FaultPlan(progress=lambda: sent[0], steps=[
            (MESSAGES // 3, "restart PostgreSQL", lambda: _pg_ctl(version, "restart")),
            (MESSAGES // 2, "poison on the bus", lambda: _poison(broker_url, prefix, bus)),
        ])
        fault_thread, stop_faults = plan.start()
        expected: set[tuple[str, str]] = set()
        auth = {"Authorization": f"Bearer {keys[SENDER]}"}
        started = time.monotonic()
        for n in range(MESSAGES):
            body = signaal(f"fault-pgr-{n}", n)
            for _ in range(120):  # the same CloudEvent again while the database is away
                r = client.post("/api/v1/messages", json=body, headers=auth)
                if r.status_code in (200, 202):
                    break
                assert r.status_code == 503, (n, r.status_code, r.json)
                retried[0] += 1
                time.sleep(0.25)
            else:
                raise AssertionError(f"message {n} was never accepted")
            accepted_at.setdefault(r.json["id"], time.monotonic())
            expected |= permitted_pairs(r.json)
            sent[0] = n + 1
            if plan.error is not None:
                break
        fault_thread.join(120)
        stop_faults.set()
        if plan.error is not None:
            raise plan.error
        assert [name for name, _, _ in plan.done] == [name for _, name, _ in plan.steps]
        assert plan.done[0][2] == 0, "pg_ctlcluster restart failed"
        assert len(accepted_at) == MESSAGES and len(expected) == MESSAGES * len(MELDPUNTEN)

        to_healthy = {delivery_identity(m, r) for m, r in expected if r in HEALTHY}

        def state() -> dict:
            with container.engine.connect() as conn:
                rows = conn.execute(text(
                    "SELECT d.connector, d.recipient_tenant_id, d.status, count(*) "
                    "FROM deliveries d GROUP BY 1, 2, 3")).all()
                several = conn.execute(text(
                    "SELECT count(*) FROM (SELECT delivery_id FROM delivery_attempts "
                    "WHERE outcome = 'success' GROUP BY delivery_id HAVING count(*) > 1) s")
                ).scalar_one()
            return {"rows": {(c, r, s): n for c, r, s, n in rows}, "several": several}

        def done() -> bool:
            assert worker.alive, f"the worker died:\n{worker.log_text()[-3000:]}"
            rows = state()["rows"]
            inbox = sum(n for (c, _, s), n in rows.items() if c == "inbox" and s == "delivered")
            # A push that reached the receiver is recorded a moment later (or, when the database
            # was away as it answered, retried and recorded then): wait for the record too.
            recorded = {s for (c, r, s) in rows if c == "webhook" and r in HEALTHY}
            return inbox == len(expected) and to_healthy <= set(healthy.arrivals) \
                and recorded == {"delivered"}

        wait_until(done, DRAIN_BOUND_S, describe=lambda: f"{state()}; worker log tail: "
                                                        f"{worker.log_text()[-2000:]}")
        drained_s = time.monotonic() - started

        final = state()
        rows = final["rows"]
        # Nothing lost: every pair's inbox item, every healthy push, every hanging push kept.
        assert sum(n for (c, _, _), n in rows.items() if c == "inbox") == len(expected)
        hanging_rows = {s: n for (c, r, s), n in rows.items() if c == "webhook" and r == HANGING}
        assert sum(hanging_rows.values()) == MESSAGES, hanging_rows
        assert set(hanging_rows) <= {"pending", "retrying", "dead"}, hanging_rows
        assert {s for (c, r, s) in rows if c == "webhook" and r in HEALTHY} == {"delivered"}
        # Nothing delivered twice by id: the hub recorded one success per delivery.
        assert final["several"] == 0
        assert worker.alive

        duplicates = sum(len(times) - 1 for times in healthy.arrivals.values())
        latencies = [healthy.arrivals[delivery_identity(m, r)][0] - accepted_at[m]
                     for m, r in expected if r in HEALTHY]
        report = {"scenario": "postgresql-restart+hanging-receiver+poison",
                  "messages": MESSAGES, "intake_retries_while_db_away": retried[0],
                  "drained_s": round(drained_s, 1), "faults": plan.done,
                  "healthy_p50_s": _p(latencies, 0.50), "healthy_p99_s": _p(latencies, 0.99),
                  "healthy_max_s": max(latencies),
                  "webhook_redeliveries_at_receiver": duplicates,
                  "hanging_endpoint_states": hanging_rows,
                  "worker_log_warnings": worker.log_text().count('"level": "WARNING"')}
        line = json.dumps(report, default=str)
        (tmp_path / "fault-report.json").write_text(line)
        print(f"\nFAULT REPORT {line}")
    finally:
        _pg_up(version)
        worker.stop()
        healthy.close()
        hanging.close()
        container.close()
        try:
            bus.delete_all()
        except Exception:  # noqa: BLE001 - cleaning up after a broken broker is best effort
            pass
