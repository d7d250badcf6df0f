"""Shapes of /api/v1/zaken: a zaak, its timeline, and linking a signaal to it."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hub.api.common import PageArgsSchema, page_of
from hub.api.termijnen.schemas import TermijnRefSchema

_UUID = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"


class ZaakListArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(["open", "gesloten"]))


class ZaakSchema(Schema):
    kenmerk = fields.String(metadata={"description": "The meldpunt's zaak_kenmerk"})
    meldpunt = fields.String(metadata={"description": "The meldpunt holding procesregie"})
    status = fields.Function(lambda z: z.status.value, metadata={"enum": ["open", "gesloten"]})
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    reden_afsluiting = fields.String(allow_none=True)
    vernietigd = fields.Function(lambda z: z.shredded_at is not None, metadata={
        "type": "boolean",
        "description": "Retention crypto-shredded every message of the zaak (its term after "
                       "afsluiting passed); the timeline's skeleton stays"})


class OntvangerSchema(Schema):
    tenant = fields.String()
    decision = fields.String(metadata={"enum": ["permit", "deny"]})
    basis = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    status = fields.String(allow_none=True, metadata={
        "description": "pending|delivered|acknowledged|retrying|dead|blocked|ingetrokken "
                       "(permitted only); for a regiecheck gevraagd|bekend|onbekend|verlopen"})
    delivered_at = fields.DateTime(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    deadline = fields.DateTime(allow_none=True, metadata={"description": "The term, if one"})
    answered_at = fields.DateTime(allow_none=True, metadata={
        "description": "A regiecheck partner's answer time"})
    termijn = fields.Nested(TermijnRefSchema, allow_none=True, metadata={
        "description": "The recipient's term on the item, if one (API.md §Termijnen)"})
    termijn_status = fields.String(allow_none=True,
                                   metadata={"enum": ["lopend", "gehaald", "verlopen", None]})


class TimelineItemSchema(Schema):
    message_id = fields.String(allow_none=True, metadata={
        "description": "The message; null for a regiecheck (see facts.regiecheck_id)"})
    type = fields.String(metadata={"example": "nl.ketenhub.toewijzing.v1"})
    sender = fields.String()
    at = fields.DateTime(metadata={"description": "When the hub received it"})
    via = fields.Function(lambda i: i.via.value, metadata={
        "enum": ["bericht", "koppeling"],
        "description": "Joined by carrying the kenmerk, or linked by the meldpunt"})
    facts = fields.Dict(metadata={"description": "Codes only: categorieen, aan, geaccepteerd, "
                                                 "reden (no payload text)"})
    ontvangers = fields.List(fields.Nested(OntvangerSchema))
    vernietigd = fields.Boolean(metadata={
        "description": "The message's payload was crypto-shredded (retention)"})


class AdviesSchema(Schema):
    categorie = fields.String()
    partners = fields.List(fields.String())


class ZaakViewSchema(ZaakSchema):
    categorieen = fields.List(fields.String(), metadata={
        "description": "Categories of the zaak's signalen"})
    advies = fields.List(fields.Nested(AdviesSchema), metadata={
        "description": "Toewijzingsadvies of the network for these categories (meldpunt only)"})
    items = fields.List(fields.Nested(TimelineItemSchema))


class LinkSignaalSchema(Schema):
    signaal_id = fields.String(required=True, validate=validate.Regexp(_UUID), metadata={
        "description": "Hub message id of a signaal the meldpunt received"})


ZaakPageSchema = page_of(ZaakSchema)
