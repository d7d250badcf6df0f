"""Shapes of /api/v1/inzage: the person asked about and the report."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hub.api.consents.schemas import PersoonSchema

_BASES = ["consent", "convenant", "wettelijke_plicht", "noodsituatie", None]


class InzageAdresSchema(Schema):
    postcode = fields.String(required=True, validate=validate.Regexp(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$"))
    huisnummer = fields.Integer(required=True, validate=validate.Range(min=1, max=99999))
    huisletter = fields.String(validate=validate.Length(min=1, max=1))
    toevoeging = fields.String(validate=validate.Length(min=1, max=4))
    woonplaats = fields.String(validate=validate.Length(max=80))


class InzagePersoonSchema(PersoonSchema):
    adres = fields.Nested(InzageAdresSchema, metadata={
        "description": "Accepted as part of a persoon; addresses are matched from the hub's own "
                       "records (see `adressen` to add a registration period)"})


class AdresPeriodeSchema(Schema):
    adres = fields.Nested(InzageAdresSchema, required=True)
    van = fields.Date(metadata={"description": "Registered there from (inclusive)"})
    tot = fields.Date(metadata={"description": "Registered there until (inclusive)"})


class InzageRequestSchema(Schema):
    persoon = fields.Nested(InzagePersoonSchema, required=True)
    adressen = fields.List(fields.Nested(AdresPeriodeSchema), validate=validate.Length(max=20),
                           metadata={"description": "Addresses the person was registered at "
                                                    "(e.g. from the BRP) with their period: "
                                                    "messages about them in that period are "
                                                    "reported, marked `via: adres`"})


class InzageRecipientSchema(Schema):
    recipient = fields.String()
    decision = fields.String(metadata={"enum": ["permit", "deny"]})
    basis = fields.String(allow_none=True, metadata={"enum": _BASES})
    reason = fields.String(allow_none=True)
    network_id = fields.String(allow_none=True)
    consent_id = fields.String(allow_none=True, metadata={
        "description": "Only for the recipient itself and the hub admin"})
    consent_version = fields.Integer(allow_none=True)
    status = fields.String(allow_none=True, metadata={"enum": [
        "pending", "delivered", "acknowledged", "retrying", "dead", "blocked", "ingetrokken",
        "vernietigd", None]})
    delivered_at = fields.DateTime(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)


class InzageMessageSchema(Schema):
    message_id = fields.String()
    type = fields.String()
    received_at = fields.DateTime()
    sender = fields.String()
    via = fields.String(metadata={"enum": ["persoon", "toestemming", "zaak", "adres"],
                                  "description": (
        "persoon: the message names the person; toestemming: shared on the person's consent; "
        "zaak: in the meldpunt's zaak of such a message (reactie, afsluiting); "
        "adres: about the person's address while registered there")})
    basis = fields.String(allow_none=True, metadata={"enum": _BASES})
    activity = fields.String(allow_none=True, metadata={
        "description": "The processing activity of the network's verwerkingsregister"})
    purpose = fields.String(allow_none=True)
    categories = fields.List(fields.String(), metadata={"description": "Categories of data"})
    status = fields.String(metadata={"enum": ["bewaard", "vernietigd"]})
    recipients = fields.List(fields.Nested(InzageRecipientSchema))


class InzageReportSchema(Schema):
    subject_ref = fields.String(metadata={"description": "The person's pseudonym as the caller "
                                                         "sees it (also in the audit entry)"})
    generated_at = fields.DateTime()
    messages = fields.List(fields.Nested(InzageMessageSchema))
