from __future__ import annotations

from marshmallow import Schema, fields, validate

from connectors.base import Outcome
from connectors.registry import ENDPOINT_CONNECTORS, connector_class
from hub.endpoints.service import masked


def _config_description() -> str:
    return "; ".join(f"{alias}: {connector_class(alias).config_summary}"
                     for alias in ENDPOINT_CONNECTORS)


_TYPES = ("The event types pushed to this endpoint (a subscription); null or absent: every "
          "type. The inbox always holds every message.")


class EndpointCreateSchema(Schema):
    connector = fields.String(required=True, validate=validate.OneOf(ENDPOINT_CONNECTORS))
    config = fields.Dict(required=True, metadata={"description": _config_description()})
    max_attempts = fields.Integer(validate=validate.Range(min=1, max=50), allow_none=True)
    types = fields.List(fields.String(), allow_none=True, metadata={"description": _TYPES})


class EndpointChangeSchema(Schema):
    """Only the fields given change; the config is validated again by the connector."""

    url = fields.Raw(metadata={"type": "string", "description": "The destination (webhook, AMQP)."})
    timeout_s = fields.Raw(metadata={"type": "number", "description": "Seconds per attempt."})
    config = fields.Dict(metadata={"description": "Other config fields to set (null drops an "
                                                  "optional one); the rest stays."})
    types = fields.List(fields.String(), allow_none=True, metadata={"description": _TYPES})
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
    types = fields.List(fields.String(), allow_none=True, metadata={"description": _TYPES})
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
    outcome = fields.String(metadata={"enum": [o.value for o in Outcome if o is not Outcome.BLOCKED]})
    duration_ms = fields.Integer()
    response_status = fields.Integer(allow_none=True)
    error_code = fields.String(allow_none=True)
