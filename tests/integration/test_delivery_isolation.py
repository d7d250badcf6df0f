"""No tenant held up by another: while one tenant's webhook hangs on every request, another
tenant's deliveries arrive; the hanging endpoint's extra deliveries wait in the database (no
attempt counted) instead of holding a worker; its breaker opens after failures in a row."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.contract.conftest import WebhookReceiver
from tests.integration.pipeline import (
    delivery_status,
    event,
    pipeline_world,
    signaal,
    stop_world,
    wait_until,
)


class _Hanging:
    """Accepts every request and answers only when released (or the client gives up)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.in_flight = 0
        self.seen = 0
        lock = threading.Lock()
        hanging = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                with lock:
                    hanging.in_flight += 1
                    hanging.seen += 1
                try:
                    hanging.release.wait(60)
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass
                finally:
                    with lock:
                        hanging.in_flight -= 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def pw(sqlite_url, tmp_path):
    w = pipeline_world(sqlite_url, tmp_path, endpoint_concurrency=2, worker_concurrency=1)
    hanging = _Hanging()
    with WebhookReceiver() as healthy:
        w.hanging, w.healthy = hanging, healthy
        yield w
    hanging.close()
    stop_world(w)


def _webhook(w, tenant: str, url: str) -> dict:
    r = w.client.post(f"/api/v1/admin/tenants/{tenant}/endpoints", headers=w.headers(),
                      json={"connector": "webhook", "config": {"url": url, "timeout_s": 30}})
    assert r.status_code == 201, r.json
    return r.json


def test_a_hanging_endpoint_delays_only_itself(pw):
    _webhook(pw, "arkin", pw.hanging.url())
    healthy = _webhook(pw, "mzwo-centrum", pw.healthy.url())
    pw.healthy.accepted_secrets.append(healthy["secret"])
    slow = [pw.client.post("/api/v1/messages", headers=pw.headers("mzwo-centrum"), json=event(
        "nl.ketenhub.toewijzing.v1", {"zaak_kenmerk": f"ISO-{i}", "aan": "arkin"})).json
            for i in range(6)]
    assert all(m.get("deliveries") for m in slow), slow[0]
    wait_until(lambda: pw.hanging.in_flight == 2)
    fast = pw.client.post("/api/v1/messages", json=signaal(), headers=pw.headers("ymere")).json
    wait_until(lambda: any(v["connector"] == "webhook" and v["status"] == "delivered"
                           for v in delivery_status(pw, fast["id"])))
    # the healthy delivery arrived while the hanging endpoint still holds its two requests
    assert pw.hanging.in_flight == 2 and pw.hanging.seen == 2
    views = [v for m in slow for v in delivery_status(pw, m["id"], sender="mzwo-centrum")
             if v["connector"] == "webhook"]
    assert len(views) == 6 and all(v["attempts"] <= 1 for v in views)
