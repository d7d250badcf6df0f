"""/api/v1/messages: send a CloudEvent; see what became of it per recipient."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_smorest import Blueprint

from hub.api.auth import current_principal, requires
from hub.api.common import ErrorSchema
from hub.api.context import container
from hub.api.errors import error_response, status_for
from hub.api.messages.schemas import (
    AcceptedSchema,
    BatchAnswerSchema,
    BatchRequestSchema,
    MessageStatusSchema,
)
from tenants.model import Scope

blp = Blueprint("messages", __name__, url_prefix="/api/v1",
                description="Berichten (CloudEvents) versturen en hun afleverstatus volgen.")

_EVENT_BODY = {"required": True, "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/CloudEvent"}},
    "application/cloudevents+json": {"schema": {"$ref": "#/components/schemas/CloudEvent"}}}}


@blp.route("/messages", methods=["POST"])
@requires(Scope.MESSAGES_SEND)
@blp.doc(requestBody=_EVENT_BODY)
@blp.response(202, AcceptedSchema, description="Accepted; per recipient the decision")
@blp.alt_response(200, schema=AcceptedSchema,
                  description="A repeat of an earlier (source, id): the original answer, "
                              "header `Idempotent-Replayed: true`")
@blp.alt_response(422, schema=ErrorSchema, description="Schema or privacy rule broken")
def send() -> Any:
    """Send a message: a CloudEvent in structured JSON mode (NL GOV profile)."""
    result = container().intake.accept(current_principal(), request.get_json())
    response = jsonify(result.answer)
    if result.replayed:
        response.headers["Idempotent-Replayed"] = "true"
        response.status_code = 200
    else:
        response.status_code = 202
    return response


@blp.route("/messages:batch", methods=["POST"])
@requires(Scope.MESSAGES_SEND)
@blp.arguments(BatchRequestSchema)
@blp.response(200, BatchAnswerSchema)
def send_batch(body: dict) -> Any:
    """Send up to 100 events; one result per event, in order. Each is accepted or refused on
    its own; the accepted ones are stored in one transaction."""
    results = []
    for outcome in container().intake.accept_many(current_principal(), body["events"]):
        if isinstance(outcome, Exception):
            status = status_for(outcome)
            results.append({"status": status, "body": error_response(
                status, outcome.code, outcome.message, outcome.details).get_json()})  # type: ignore
        else:
            results.append({"status": 200 if outcome.replayed else 202, "body": outcome.answer})
    return {"results": results}


@blp.route("/messages/<message_id>", methods=["GET"])
@requires(Scope.MESSAGES_SEND)
@blp.response(200, MessageStatusSchema)
def status(message_id: str) -> Any:
    """The sender's view: per recipient the decision, the delivery status and attempts."""
    return container().deliveries.message_status(current_principal(), message_id)
