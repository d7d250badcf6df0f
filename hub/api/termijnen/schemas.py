"""Shapes of /api/v1/termijnen and of the term fields on inbox items and message status."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hub.api.common import PageArgsSchema, page_of

STATUSES = ["lopend", "gehaald", "verlopen"]


class TermijnRefSchema(Schema):
    id = fields.String()
    flow = fields.String(metadata={"example": "signaal_zorgaanbieder"})
    werkdagen = fields.Integer(metadata={"example": 2})


class TermijnArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(STATUSES),
                           metadata={"description": "`lopend`, `gehaald` or `verlopen`"})


class TermijnSchema(Schema):
    id = fields.String()
    flow = fields.String(metadata={"example": "signaal_zorgaanbieder"})
    werkdagen = fields.Integer()
    bericht_id = fields.String(metadata={"description": "The message (or regiecheck) it is on"})
    delivery_id = fields.String(allow_none=True)
    partij = fields.String(metadata={"description": "The party that owes the answer"})
    aan = fields.String(metadata={"description": "The party it is owed to"})
    meldpunt = fields.String(allow_none=True, metadata={"description": "The area's meldpunt"})
    network_id = fields.String(allow_none=True)
    gestart_op = fields.DateTime()
    deadline = fields.DateTime(metadata={"description": "End of the last werkdag (Europe/Amsterdam)"})
    status = fields.String(metadata={"enum": STATUSES})
    werkdagen_over = fields.Integer(allow_none=True, metadata={
        "description": "Werkdagen left after today: 0 on the last day, negative = werkdagen late"})
    herinnerd_op = fields.DateTime(allow_none=True)
    afgerond_op = fields.DateTime(allow_none=True)
    gehaald_door_bericht = fields.String(allow_none=True)


TermijnPageSchema = page_of(TermijnSchema)
