from __future__ import annotations

from marshmallow import Schema, fields, validate

from hub.delivery.model import DeliveryStatus
from tenants.pagination import MAX_LIMIT


class DeliveryArgsSchema(Schema):
    status = fields.Enum(DeliveryStatus, by_value=True, load_default=DeliveryStatus.DEAD)
    after = fields.String()
    limit = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_LIMIT))


class AdminDeliverySchema(Schema):
    id = fields.String()
    message_id = fields.String()
    recipient = fields.String()
    connector = fields.String()
    status = fields.Function(lambda d: d.status.value)
    attempts = fields.Integer()
    max_attempts = fields.Integer()
    redrives = fields.Integer()
    created_at = fields.DateTime()
    next_attempt_at = fields.DateTime(allow_none=True)
    delivered_at = fields.DateTime(allow_none=True)
    last_error = fields.String(allow_none=True)
    status_reason = fields.String(allow_none=True)


class AdminDeliveryPageSchema(Schema):
    items = fields.List(fields.Nested(AdminDeliverySchema), required=True)
    next = fields.String(allow_none=True, required=True)


class AttemptSchema(Schema):
    number = fields.Integer(metadata={"description": "The delivery's attempt number (1 = first)"})
    started_at = fields.DateTime()
    duration_ms = fields.Integer()
    outcome = fields.Function(lambda a: a.outcome.value, metadata={
        "enum": ["success", "retryable", "permanent", "blocked"]})
    error_code = fields.String(allow_none=True, metadata={"example": "connector.timeout"})
    response_status = fields.Integer(allow_none=True, metadata={
        "description": "The receiver's HTTP status (webhooks) or SMTP reply code"})


class AttemptListSchema(Schema):
    items = fields.List(fields.Nested(AttemptSchema), required=True)


class RedriveWindowSchema(Schema):
    status = fields.String(load_default="dead", validate=validate.OneOf(["dead"]), metadata={
        "description": "Only dead deliveries are redriven"})
    endpoint_id = fields.String(validate=validate.Length(min=1, max=36), metadata={
        "description": "Only this endpoint's deliveries"})
    from_ = fields.AwareDateTime(data_key="from", metadata={
        "description": "Created at or after this time"})
    to = fields.AwareDateTime(metadata={"description": "Created before this time"})


class RedriveCountSchema(Schema):
    redriven = fields.Integer(required=True, metadata={
        "description": "How many dead deliveries start over (at most 1000 per call)"})
    blocked = fields.Integer(required=True, metadata={
        "description": "How many the fresh policy check denied: now blocked, with the reason "
                       "(a decision of phase redrive)"})
