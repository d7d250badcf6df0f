from __future__ import annotations

from marshmallow import Schema, fields, validate

from tenants.pagination import MAX_LIMIT


class AlertArgsSchema(Schema):
    after = fields.String(metadata={"description": "Cursor from the previous page's `next`."})
    limit = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_LIMIT))
    tenant = fields.String(validate=validate.Length(min=1, max=64), metadata={
        "description": "Hub admins: only this tenant's alerts (a tenant admin always sees its own)"})


class AlertSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"example": "delivery.dead"})
    tenant_id = fields.String(allow_none=True)
    subject_id = fields.String(allow_none=True, metadata={
        "description": "The delivery or endpoint the alert is about"})
    detail = fields.String(allow_none=True)
    raised_at = fields.DateTime()
    notified_at = fields.DateTime(allow_none=True, metadata={
        "description": "When it was e-mailed to the tenant's alert address (or handled)"})
    title = fields.String(metadata={"description": "What happened (Dutch)"})
    what_to_do = fields.String(metadata={"description": "What to do about it (Dutch)"})


class AlertPageSchema(Schema):
    items = fields.List(fields.Nested(AlertSchema), required=True)
    next = fields.String(allow_none=True, required=True)
