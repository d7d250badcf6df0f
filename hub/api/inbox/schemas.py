from __future__ import annotations

from marshmallow import Schema, fields, validate

from hub.api.termijnen.schemas import TermijnRefSchema
from tenants.pagination import MAX_LIMIT


class InboxArgsSchema(Schema):
    after = fields.String(metadata={"description": "Cursor from the previous page's `next`."})
    limit = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_LIMIT))
    status = fields.String(load_default="unacknowledged",
                           validate=validate.OneOf(["unacknowledged", "all"]),
                           metadata={"description": "`unacknowledged` (default) or `all`"})


class SamenloopSchema(Schema):
    eerdere_signalen_3_jaar = fields.Integer(metadata={
        "description": "Earlier signalen you received about this address within 3 years"})
    open_zaak = fields.String(allow_none=True, metadata={
        "description": "Your open zaak at this address (its kenmerk), or null"})


class InboxItemSchema(Schema):
    delivery_id = fields.String()
    message_id = fields.String()
    sender = fields.String()
    status = fields.String(metadata={"enum": ["delivered", "acknowledged", "ingetrokken"]})
    basis = fields.String()
    delivered_at = fields.DateTime()
    deadline = fields.DateTime(allow_none=True)
    termijn = fields.Nested(TermijnRefSchema, allow_none=True,
                            metadata={"description": "The term this delivery carries, if any"})
    termijn_status = fields.String(allow_none=True, metadata={
        "enum": ["lopend", "gehaald", "verlopen", None]})
    event = fields.Dict(allow_none=True, metadata={
        "description": "The CloudEvent as the sender sent it; null once `ingetrokken` (the "
                       "consent it rested on was withdrawn or expired) or `vernietigd`"})
    vernietigd = fields.Boolean(metadata={
        "description": "Retention crypto-shredded the payload: no event is served any more"})
    samenloop = fields.Nested(SamenloopSchema, allow_none=True, metadata={
        "description": "For a meldpunt receiving a signaal: earlier signalen and an open zaak "
                       "at the same address (counted on address pseudonyms); null otherwise"})


class InboxPageSchema(Schema):
    items = fields.List(fields.Nested(InboxItemSchema), required=True)
    next = fields.String(allow_none=True, required=True)


class AckSchema(Schema):
    delivery_id = fields.String()
    status = fields.String()
    acknowledged_at = fields.DateTime()


class AckManySchema(Schema):
    delivery_ids = fields.List(fields.String(), required=True,
                               validate=validate.Length(min=1, max=MAX_LIMIT))


class AckManyResultSchema(Schema):
    acknowledged = fields.List(fields.String())
    not_found = fields.List(fields.String())
