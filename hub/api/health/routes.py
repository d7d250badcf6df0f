"""Probes and metrics for operators: /healthz, /readyz, /metrics."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify
from flask_smorest import Blueprint

from hub.api.common import ErrorSchema
from hub.api.context import container
from hub.api.errors import error_response
from hub.api.health.schemas import HealthSchema, ReadinessSchema

blp = Blueprint("health", __name__, description="Health, readiness and metrics.")


@blp.route("/healthz")
@blp.response(200, HealthSchema)
def healthz() -> Any:
    """The process is up."""
    return {"status": "ok"}


@blp.route("/readyz")
@blp.response(200, ReadinessSchema)
@blp.alt_response(503, schema=ErrorSchema, description="Database or bus unreachable")
def readyz() -> Any:
    """Database and bus are reachable."""
    result = container().readiness()
    checks = {"database": "ok" if result.database else "down",
              "bus": "ok" if result.bus else "down"}
    if not result.ready:
        details = [{"field": name, "rule": "unavailable"} for name, v in checks.items()
                   if v == "down"]
        return error_response(503, "unavailable", "De hub is niet gereed.", details)
    return {"status": "ready", "checks": checks}


@blp.route("/metrics")
@blp.response(200, description="Prometheus text format",
              content_type="text/plain; version=0.0.4")
def metrics() -> Response:
    """Prometheus metrics."""
    m = container().extras["metrics"]
    return Response(m.render(), mimetype=m.content_type)


@blp.route("/openapi.json")
@blp.response(200, description="This OpenAPI 3 document", content_type="application/json")
def openapi() -> Response:
    """The OpenAPI document of this hub."""
    return jsonify(current_app.extensions["ketenhub_api"].spec.to_dict())
