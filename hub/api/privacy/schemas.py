from __future__ import annotations

from marshmallow import Schema, fields


class PrivacyCheckRequestSchema(Schema):
    input = fields.Raw(required=True, allow_none=True,
                       metadata={"description": "Any JSON value: a text or a whole message"})


class PrivacyFindingSchema(Schema):
    rule = fields.String(metadata={"enum": ["privacy.bsn", "privacy.medical"]})
    field = fields.String(metadata={"description": "JSON pointer into `input`"})
    span = fields.List(fields.Integer(), allow_none=True,
                       metadata={"description": "[start, end) character offsets"})


class PrivacyVerdictSchema(Schema):
    bsn = fields.Boolean()
    medical = fields.Boolean()
    findings = fields.List(fields.Nested(PrivacyFindingSchema))
