"""The worker's own small HTTP face: ``/healthz`` (its background threads are alive),
``/readyz`` (database and bus reachable) and ``/metrics`` (Prometheus), for the orchestrator's
health check and the scraper. No API and no personal data here."""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask, Response, jsonify
from waitress.server import create_server

from hub.health import Readiness
from hub.metrics import Metrics


def create_worker_app(healthy: Callable[[], bool], readiness: Callable[[], Readiness],
                      metrics: Metrics) -> Flask:
    app = Flask("ketenhub.worker")

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        ok = healthy()
        return jsonify({"status": "ok" if ok else "down"}), 200 if ok else 503

    @app.get("/readyz")
    def readyz() -> tuple[Response, int]:
        state = readiness()
        body = {"status": "ready" if state.ready else "not ready",
                "database": state.database, "bus": state.bus}
        return jsonify(body), 200 if state.ready else 503

    @app.get("/metrics")
    def metrics_page() -> Response:
        return Response(metrics.render(), mimetype=metrics.content_type)

    return app


class WorkerHttp:
    """Serves the worker app on its own thread until :meth:`stop`."""

    def __init__(self, app: Flask, host: str, port: int) -> None:
        self._server = create_server(app, host=host, port=port, threads=2, ident="ketenhub-worker")
        self._thread = threading.Thread(target=self._server.run, name="ketenhub-worker-http",
                                        daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.close()
