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
