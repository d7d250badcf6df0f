"""/api/v1/admin/deliveries: dead letters and their redrive."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from hub.api.auth import current_principal, requires
from hub.api.context import container
from hub.api.deliveries.schemas import AdminDeliveryPageSchema, AdminDeliverySchema, DeliveryArgsSchema
from tenants.model import Scope

blp = Blueprint("deliveries", __name__, url_prefix="/api/v1/admin/deliveries",
                description="Afleveringen beheren: dode afleveringen inzien en opnieuw aanbieden.")


@blp.route("", methods=["GET"])
@requires(Scope.ADMIN)
@blp.arguments(DeliveryArgsSchema, location="query")
@blp.response(200, AdminDeliveryPageSchema)
def list_deliveries(args: dict) -> Any:
    """Deliveries in a state (default `dead`); a tenant admin sees those addressed to it."""
    return container().deliveries.list_by_status(current_principal(), args["status"],
                                                 after=args.get("after"), limit=args.get("limit"))


@blp.route("/<delivery_id>/redrive", methods=["POST"])
@requires(Scope.ADMIN)
@blp.response(200, AdminDeliverySchema)
def redrive(delivery_id: str) -> Any:
    """Offer a dead delivery again: attempts start over."""
    return container().deliveries.redrive(current_principal(), delivery_id)
