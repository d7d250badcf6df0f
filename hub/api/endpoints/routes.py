"""/api/v1/admin/tenants/{id}/endpoints: push connectors per tenant, onboarded without code."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from flask_smorest import Blueprint

from hub.api.auth import current_principal, requires
from hub.api.common import PageArgsSchema
from hub.api.context import container
from hub.api.endpoints.schemas import (
    EndpointChangeSchema,
    EndpointCreatedSchema,
    EndpointCreateSchema,
    EndpointPageSchema,
    EndpointSchema,
    RotateSchema,
    TestResultSchema,
)
from hub.endpoints.model import EndpointChange
from tenants.model import Scope

blp = Blueprint("endpoints", __name__, url_prefix="/api/v1/admin/tenants/<tenant_id>/endpoints",
                description="Eindpunten (webhook, AMQP, e-mail) waarop een organisatie berichten "
                            "ontvangt, naast de postbus.")


@blp.route("", methods=["POST"])
@requires(Scope.ADMIN)
@blp.arguments(EndpointCreateSchema)
@blp.response(201, EndpointCreatedSchema)
def create(body: dict, tenant_id: str) -> Any:
    """Create an endpoint. A webhook's signing secret is in this answer only."""
    endpoint, secret = container().endpoints.create(
        current_principal(), tenant_id, connector=body["connector"], config=body["config"],
        max_attempts=body.get("max_attempts"), types=body.get("types"))
    fields = asdict(endpoint)
    return SimpleNamespace(**fields, **({"secret": secret} if secret else {}))


@blp.route("", methods=["GET"])
@requires(Scope.ADMIN)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, EndpointPageSchema)
def list_endpoints(args: dict, tenant_id: str) -> Any:
    """List endpoints, secrets masked."""
    return container().endpoints.list(current_principal(), tenant_id, **args)


@blp.route("/<endpoint_id>", methods=["GET"])
@requires(Scope.ADMIN)
@blp.response(200, EndpointSchema)
def get(tenant_id: str, endpoint_id: str) -> Any:
    """One endpoint, secrets masked."""
    return container().endpoints.get(current_principal(), tenant_id, endpoint_id)


@blp.route("/<endpoint_id>", methods=["PATCH"])
@requires(Scope.ADMIN)
@blp.arguments(EndpointChangeSchema)
@blp.response(200, EndpointSchema)
def change(body: dict, tenant_id: str, endpoint_id: str) -> Any:
    """Change the URL, timeout, other config, subscription (types) or max attempts; audited."""
    config = {**body.get("config", {}),
              **{k: body[k] for k in ("url", "timeout_s") if k in body}}
    return container().endpoints.change(current_principal(), tenant_id, endpoint_id, EndpointChange(
        config=config, types=body.get("types"), set_types="types" in body,
        max_attempts=body.get("max_attempts"), set_max_attempts="max_attempts" in body))


@blp.route("/<endpoint_id>", methods=["DELETE"])
@requires(Scope.ADMIN)
@blp.response(200, EndpointSchema)
def disable(tenant_id: str, endpoint_id: str) -> Any:
    """Disable an endpoint: new deliveries skip it; queued ones to it end dead."""
    return container().endpoints.disable(current_principal(), tenant_id, endpoint_id)


@blp.route("/<endpoint_id>/rotate-secret", methods=["POST"])
@requires(Scope.ADMIN)
@blp.arguments(RotateSchema)
@blp.response(200, EndpointCreatedSchema)
def rotate(body: dict, tenant_id: str, endpoint_id: str) -> Any:
    """A new signing secret; the old one stays valid for the overlap (default 24 h)."""
    endpoint, secret = container().endpoints.rotate_secret(
        current_principal(), tenant_id, endpoint_id, timedelta(hours=body["overlap_hours"]))
    return SimpleNamespace(**asdict(endpoint), secret=secret)


@blp.route("/<endpoint_id>/test", methods=["POST"])
@requires(Scope.ADMIN)
@blp.response(200, TestResultSchema)
def test(tenant_id: str, endpoint_id: str) -> Any:
    """Send a ping event (type nl.ketenhub.ping.v1) and report the outcome."""
    return container().endpoints.test(current_principal(), tenant_id, endpoint_id)
