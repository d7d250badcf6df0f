"""Shapes of /api/v1/audit: chained entries of the processing log and its verification."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tenants.pagination import MAX_LIMIT


class AuditArgsSchema(Schema):
    after = fields.String(metadata={"description": "Cursor from the previous page's `next`."})
    limit = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_LIMIT))
    activity = fields.String(validate=validate.Regexp(r"^[a-z_]+(\.[a-z_]+)*$"),
                             metadata={"description": "Only this processing activity, "
                                                      "e.g. `message.accepted`"})


class AuditEntrySchema(Schema):
    seq = fields.Integer(metadata={"description": "Position in the hash chain"})
    at = fields.DateTime()
    activity = fields.String(metadata={"description": "Processing activity"})
    tenant_id = fields.String(allow_none=True, metadata={"description": "Tenant whose "
                                                         "processing this is"})
    actor = fields.String(allow_none=True, metadata={"description": "Key id or user id"})
    object = fields.String(allow_none=True, metadata={"description": "Id of what was "
                                                      "processed (message, delivery, key …)"})
    basis = fields.String(allow_none=True, metadata={"description": "Legal basis"})
    purpose = fields.String(allow_none=True, metadata={"description": "Processing purpose"})
    subject_ref = fields.String(allow_none=True, metadata={"description": "Pseudonym of the "
                                                           "data subject"})
    trace_id = fields.String(allow_none=True)
    prev_hash = fields.String()
    hash = fields.String()


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEntrySchema), required=True)
    next = fields.String(allow_none=True, required=True)


class VerificationSchema(Schema):
    ok = fields.Boolean(required=True)
    checked = fields.Integer(required=True, metadata={"description": "Entries checked"})
    first_bad_seq = fields.Integer(allow_none=True, required=True, metadata={
        "description": "First position where an entry was changed, removed or moved"})
