"""Shapes of /api/v1/messages. The request body is validated by the intake itself (envelope and
type catalogue), so these schemas document rather than parse it."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hub.api.termijnen.schemas import TermijnRefSchema


class CloudEventSchema(Schema):
    specversion = fields.String(required=True, metadata={"example": "1.0"})
    id = fields.String(required=True, metadata={"example": "5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10"})
    source = fields.String(required=True, metadata={"example": "urn:nld:kvk:12345678:systeem:crm"})
    type = fields.String(required=True, metadata={"example": "nl.ketenhub.signaal.v1"})
    time = fields.DateTime()
    subject = fields.String()
    datacontenttype = fields.String(metadata={"example": "application/json"})
    data = fields.Dict(required=True, metadata={"description": "The type's schema (API.md)"})


class DeliveryDecisionSchema(Schema):
    recipient = fields.String()
    basis = fields.String(allow_none=True,
                          metadata={"enum": ["consent", "convenant", "wettelijke_plicht",
                                             "noodsituatie"]})
    decision = fields.String(metadata={"enum": ["permit", "deny"]})
    reason = fields.String()


class WarningSchema(Schema):
    code = fields.String(metadata={"example": "routing.no_meldpunt_for_area"})
    message = fields.String(metadata={"description": "In Dutch, for the sender's staff"})
    recipient = fields.String(metadata={"description": "The recipient it is about, if one"})


class AcceptedSchema(Schema):
    id = fields.String(metadata={"description": "The hub's message id"})
    status = fields.String(metadata={"example": "accepted"})
    deliveries = fields.List(fields.Nested(DeliveryDecisionSchema))
    warnings = fields.List(fields.Nested(WarningSchema), metadata={
        "description": "Why the message reaches fewer recipients than expected (absent when "
                       "there is nothing to say): e.g. routing.no_meldpunt_for_area, "
                       "routing.no_recipient, routing.waakvlam_ended"})


class BatchRequestSchema(Schema):
    events = fields.List(fields.Raw(), required=True, validate=validate.Length(min=1, max=100))


class BatchResultSchema(Schema):
    status = fields.Integer(metadata={"description": "202 accepted, 200 replayed, 4xx refused"})
    body = fields.Dict(metadata={"description": "The answer or the error body for this event"})


class BatchAnswerSchema(Schema):
    results = fields.List(fields.Nested(BatchResultSchema))


class DeliveryStatusSchema(Schema):
    delivery_id = fields.String()
    recipient = fields.String()
    decision = fields.String(metadata={"enum": ["permit", "deny"]})
    basis = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    status = fields.String(allow_none=True, metadata={
        "enum": ["pending", "delivered", "acknowledged", "retrying", "dead", "blocked", None]})
    attempts = fields.Integer()
    connector = fields.String()
    created_at = fields.DateTime()
    next_attempt_at = fields.DateTime(allow_none=True)
    delivered_at = fields.DateTime(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    deadline = fields.DateTime(allow_none=True)
    termijn = fields.Nested(TermijnRefSchema, allow_none=True,
                            metadata={"description": "The term this delivery carries, if any"})
    termijn_status = fields.String(allow_none=True, metadata={
        "enum": ["lopend", "gehaald", "verlopen", None]})
    last_error = fields.String(allow_none=True)


class MessageStatusSchema(Schema):
    id = fields.String()
    type = fields.String()
    source = fields.String()
    event_id = fields.String()
    received_at = fields.DateTime()
    status = fields.String(metadata={
        "enum": ["accepted", "vernietigd"],
        "description": "`vernietigd` once retention crypto-shredded the payload (its data key "
                       "was destroyed); the deliveries and decisions stay"})
    retain_until = fields.DateTime(allow_none=True, metadata={
        "description": "Until when its legal bases keep it (a zaak may keep it longer)"})
    shredded_at = fields.DateTime(allow_none=True)
    deliveries = fields.List(fields.Nested(DeliveryStatusSchema))
