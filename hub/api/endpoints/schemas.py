from __future__ import annotations

from marshmallow import Schema, fields, validate

from hub.endpoints.service import masked


class EndpointCreateSchema(Schema):
    connector = fields.String(required=True, validate=validate.OneOf(["webhook", "amqp", "smtp"]))
    config = fields.Dict(required=True, metadata={
        "description": "webhook: {url, timeout_s?, ca_bundle?, client_cert?}; "
                       "amqp: {url, exchange, routing_key}; smtp: {to, include_payload?}"})
    max_attempts = fields.Integer(validate=validate.Range(min=1, max=50), allow_none=True)


class EndpointSchema(Schema):
    id = fields.String()
    tenant_id = fields.String()
    connector = fields.String()
    config = fields.Function(masked, metadata={"type": "object",
                                               "description": "Secrets masked"})
    active = fields.Boolean()
    disabled_reason = fields.String(allow_none=True)
    max_attempts = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class EndpointCreatedSchema(EndpointSchema):
    secret = fields.String(metadata={"description": "The webhook signing secret (whsec_…). "
                                                   "Shown once, at creation or rotation."})


class EndpointPageSchema(Schema):
    items = fields.List(fields.Nested(EndpointSchema), required=True)
    next = fields.String(allow_none=True, required=True)


class RotateSchema(Schema):
    overlap_hours = fields.Float(load_default=24.0, validate=validate.Range(min=0, max=24 * 14))


class TestResultSchema(Schema):
    outcome = fields.String(metadata={"enum": ["success", "retryable", "permanent"]})
    duration_ms = fields.Integer()
    response_status = fields.Integer(allow_none=True)
    error_code = fields.String(allow_none=True)
