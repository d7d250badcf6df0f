"""/api/v1/admin/deliveries: dead letters and their redrive."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from hub.api.auth import current_principal, requires
from hub.api.context import container
from hub.api.deliveries.schemas import (
    AdminDeliveryPageSchema,
    AdminDeliverySchema,
    AttemptListSchema,
    DeliveryArgsSchema,
    RedriveCountSchema,
    RedriveWindowSchema,
)
from tenants.model import Scope

blp = Blueprint("deliveries", __name__, url_prefix="/api/v1/admin",
                description="Afleveringen beheren: dode afleveringen inzien en opnieuw aanbieden.")


@blp.route("/deliveries", methods=["GET"])
@requires(Scope.ADMIN)
@blp.arguments(DeliveryArgsSchema, location="query")
@blp.response(200, AdminDeliveryPageSchema)
def list_deliveries(args: dict) -> Any:
    """Deliveries in a state (default `dead`); a tenant admin sees those addressed to it."""
    return container().deliveries.list_by_status(current_principal(), args["status"],
                                                 after=args.get("after"), limit=args.get("limit"))


@blp.route("/deliveries/<delivery_id>/redrive", methods=["POST"])
@requires(Scope.ADMIN)
@blp.response(200, AdminDeliverySchema)
def redrive(delivery_id: str) -> Any:
    """Offer a dead delivery again: attempts start over."""
    return container().deliveries.redrive(current_principal(), delivery_id)


@blp.route("/deliveries/<delivery_id>/attempts", methods=["GET"])
@requires(Scope.ADMIN)
@blp.response(200, AttemptListSchema)
def attempts(delivery_id: str) -> Any:
    """Every attempt of a delivery: time, outcome, status code, duration."""
    return {"items": container().deliveries.attempts(current_principal(), delivery_id)}


@blp.route("/deliveries:redrive", methods=["POST"])
@requires(Scope.ADMIN)
@blp.arguments(RedriveWindowSchema)
@blp.response(200, RedriveCountSchema)
def redrive_window(body: dict) -> Any:
    """Offer every dead delivery of a window again (created between `from` and `to`, and/or of
    one endpoint), each after a fresh policy check (a decision of phase `redrive`); answers how
    many start over and how many the check blocked."""
    return container().deliveries.redrive_window(
        current_principal(), endpoint_id=body.get("endpoint_id"),
        created_from=body.get("from_"), created_to=body.get("to"))
