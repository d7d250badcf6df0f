"""/api/v1/inbox: the pull connector. Read what was delivered to you, then acknowledge it."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from hub.api.auth import current_principal, requires
from hub.api.context import container
from hub.api.inbox.schemas import (
    AckManyResultSchema,
    AckManySchema,
    AckSchema,
    InboxArgsSchema,
    InboxPageSchema,
)
from tenants.model import Scope

blp = Blueprint("inbox", __name__, url_prefix="/api/v1",
                description="De postbus: afgeleverde berichten ophalen en bevestigen.")


@blp.route("/inbox", methods=["GET"])
@requires(Scope.MESSAGES_RECEIVE)
@blp.arguments(InboxArgsSchema, location="query")
@blp.response(200, InboxPageSchema)
def inbox(args: dict) -> Any:
    """Deliveries for your tenant, oldest first. By default only those not yet acknowledged:
    poll, process, acknowledge; what you did not acknowledge comes again."""
    return container().deliveries.inbox(
        current_principal(), after=args.get("after"), limit=args.get("limit"),
        include_acknowledged=args["status"] == "all")


@blp.route("/inbox/<delivery_id>/ack", methods=["POST"])
@requires(Scope.MESSAGES_RECEIVE)
@blp.response(200, AckSchema)
def acknowledge(delivery_id: str) -> Any:
    """Mark a delivery received. Repeating it is harmless."""
    d = container().deliveries.acknowledge(current_principal(), delivery_id)
    return {"delivery_id": d.id, "status": d.status.value, "acknowledged_at": d.acknowledged_at}


@blp.route("/inbox:ack", methods=["POST"])
@requires(Scope.MESSAGES_RECEIVE)
@blp.arguments(AckManySchema)
@blp.response(200, AckManyResultSchema)
def acknowledge_many(body: dict) -> Any:
    """Acknowledge up to 500 deliveries at once (a whole inbox page). Repeating is harmless."""
    return container().deliveries.acknowledge_many(current_principal(), body["delivery_ids"])
