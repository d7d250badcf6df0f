"""Shapes of /api/v1/regiechecks. Request bodies are validated by the regiecheck flow itself
(the intake's rule codes and privacy guard), so these schemas document rather than parse them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hub.api.termijnen.schemas import STATUSES as TERMIJN_STATUSES
from hub.api.termijnen.schemas import TermijnRefSchema
from tenants.pagination import MAX_LIMIT

CHECK_STATUSES = ["open", "compleet", "verlopen"]
PARTNER_STATUSES = ["gevraagd", "bekend", "onbekend", "verlopen"]


def _termijn() -> fields.Nested:
    return fields.Nested(TermijnRefSchema, metadata={
        "description": "The answer term: `{\"flow\": \"regiecheck\", \"werkdagen\"}`"})


def _termijn_status() -> fields.String:
    return fields.String(metadata={"enum": TERMIJN_STATUSES, "description": (
        "`lopend` until answered or expired, `gehaald` answered in time, `verlopen` "
        "expired or answered late")})


class ContactOutSchema(Schema):
    naam = fields.String()
    functie = fields.String()
    telefoon = fields.String()
    email = fields.String()


class AskedPartnerSchema(Schema):
    tenant = fields.String(metadata={"description": "Tenant id of the asked partner"})
    status = fields.String(metadata={"enum": PARTNER_STATUSES})
    deadline = fields.DateTime()
    termijn = _termijn()
    termijn_status = _termijn_status()
    answered_at = fields.DateTime(allow_none=True)
    late = fields.Boolean(metadata={"description": "Answered after the deadline"})
    contact = fields.Nested(ContactOutSchema, metadata={"description": "Only when `bekend`"})


class RegiecheckSchema(Schema):
    """The asking meldpunt's view of a check."""

    id = fields.String()
    status = fields.String(metadata={"enum": CHECK_STATUSES})
    deadline = fields.DateTime()
    created_at = fields.DateTime()
    soort = fields.String()
    overlastsoorten = fields.List(fields.String())
    kenmerk_afzender = fields.String(allow_none=True)
    zaak_kenmerk = fields.String(allow_none=True)
    partners = fields.List(fields.Nested(AskedPartnerSchema))


class RegiecheckPageSchema(Schema):
    items = fields.List(fields.Nested(RegiecheckSchema), required=True)
    next = fields.String(allow_none=True, required=True)


class GevraagdSchema(Schema):
    """An asked partner's view: its own question's status and answer, nothing of the others."""

    id = fields.String()
    gevraagd_door = fields.String(metadata={"description": "The asking meldpunt"})
    created_at = fields.DateTime()
    soort = fields.String()
    overlastsoorten = fields.List(fields.String())
    deadline = fields.DateTime()
    termijn = _termijn()
    termijn_status = _termijn_status()
    status = fields.String(metadata={"enum": PARTNER_STATUSES})
    answered_at = fields.DateTime(allow_none=True)
    late = fields.Boolean()


class GevraagdPageSchema(Schema):
    items = fields.List(fields.Nested(GevraagdSchema), required=True)
    next = fields.String(allow_none=True, required=True)


class AntwoordResultSchema(GevraagdSchema):
    message_id = fields.String(metadata={"description": "The hub message id of the answer"})


class ListArgsSchema(Schema):
    status = fields.String(validate=validate.OneOf(CHECK_STATUSES))
    after = fields.String(metadata={"description": "Cursor from the previous page's `next`."})
    limit = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_LIMIT))


class GevraagdArgsSchema(ListArgsSchema):
    status = fields.String(validate=validate.OneOf(PARTNER_STATUSES))


class AntwoordBodySchema(Schema):
    """Dat-informatie only. Any other field, at any depth, is `privacy.dat_informatie`."""

    bekend = fields.Boolean(required=True)
    contact = fields.Nested(ContactOutSchema, metadata={
        "description": "Required when `bekend` is true; screened for BSN and medical data"})
