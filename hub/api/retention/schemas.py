"""Retention's last run and what is due."""

from __future__ import annotations

from marshmallow import Schema, fields


class RetentionRunSchema(Schema):
    id = fields.String()
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    status = fields.String(metadata={"enum": ["running", "ok", "failed"]})
    messages_shredded = fields.Integer()
    zaken_shredded = fields.Integer()


class RetentionDueSchema(Schema):
    messages = fields.Integer(metadata={"description": "Messages whose term has passed now"})
    within_30_days = fields.Integer(metadata={
        "description": "Messages whose term will have passed 30 days from now"})


class RetentionOverviewSchema(Schema):
    last_run = fields.Nested(RetentionRunSchema, allow_none=True)
    due = fields.Nested(RetentionDueSchema)
