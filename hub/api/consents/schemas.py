"""Shapes of /api/v1/consents, /api/v1/begeleide-woningen and /api/v1/decisions."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tenants.pagination import MAX_LIMIT

_CATEGORIES = ["signaal_overlast", "signaal_zorg", "huurachterstand", "afspraken_wonen",
               "contactgegevens"]


class PersoonSchema(Schema):
    achternaam = fields.String(required=True, validate=validate.Length(min=1, max=200))
    voorvoegsel = fields.String(validate=validate.Length(max=20))
    voornamen = fields.String(validate=validate.Length(max=200))
    voorletters = fields.String(validate=validate.Length(max=20))
    geboortedatum = fields.Date(required=True)


class EvidenceSchema(Schema):
    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    signed_on = fields.Date(required=True)


class ConsentCreateSchema(Schema):
    client = fields.Dict(metadata={"description": "A persoon (identity fields are used to "
                                                  "compute the pseudonym, never stored) or "
                                                  "{client_ref}"})
    client_ref = fields.String(validate=validate.Length(equal=64))
    recipients = fields.List(fields.Raw(), required=True, validate=validate.Length(min=1),
                             metadata={"description": "The organisations (werkafspraak 10): "
                                                      "tenant ids, or {tenant}. A tenant kind "
                                                      "is refused for a new consent "
                                                      "(consent.recipient_not_organisation); "
                                                      "earlier consents naming kinds keep "
                                                      "working"})
    deny = fields.List(fields.Raw(), metadata={"description": "Recipients denied: tenant ids, "
                                                              "tenant kinds, {tenant}/{kind}"})
    categories = fields.List(fields.String(validate=validate.OneOf(_CATEGORIES)), required=True,
                             validate=validate.Length(min=1))
    purpose = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    necessity = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    valid_from = fields.AwareDateTime()
    valid_until = fields.AwareDateTime(required=True)
    evidence = fields.Nested(EvidenceSchema, required=True)
    network_id = fields.String()
    controller = fields.String(metadata={"description": "Hub admin only"})


class ProvisionSchema(Schema):
    effect = fields.String(metadata={"enum": ["permit", "deny"]})
    tenant_id = fields.String(allow_none=True)
    tenant_kind = fields.Function(lambda p: p.tenant_kind.value if p.tenant_kind else None)


class ConsentSchema(Schema):
    id = fields.String()
    version = fields.Integer()
    client_ref = fields.String()
    network_id = fields.String()
    controller = fields.String()
    provisions = fields.List(fields.Nested(ProvisionSchema))
    categories = fields.Function(lambda c: sorted(x.value for x in c.categories),
                                 metadata={"type": "array", "items": {"type": "string"}})
    purpose = fields.String()
    necessity = fields.String()
    valid_from = fields.DateTime()
    valid_until = fields.DateTime()
    evidence = fields.Function(lambda c: {"sha256": c.evidence.sha256,
                                          "signed_on": c.evidence.signed_on.isoformat()},
                               metadata={"type": "object"})
    status = fields.String(metadata={
        "enum": ["actief", "verlopen", "ingetrokken"],
        "description": "As of now (a version: as recorded): actief, verlopen (term over) or "
                       "ingetrokken"})
    created_at = fields.DateTime()
    version_at = fields.DateTime(allow_none=True)
    withdrawn_at = fields.DateTime(allow_none=True)
    withdrawal_reason = fields.String(allow_none=True)


class ConsentWithVersionsSchema(ConsentSchema):
    versions = fields.List(fields.Nested(ConsentSchema))


class ConsentPageSchema(Schema):
    items = fields.List(fields.Nested(ConsentSchema), required=True)
    next = fields.String(allow_none=True, required=True)


class ConsentListArgsSchema(Schema):
    client_ref = fields.String()
    status = fields.String(validate=validate.OneOf(
        ["actief", "verlopen", "ingetrokken", "active", "withdrawn", "expired"]), metadata={
        "description": "The status now: actief, verlopen or ingetrokken (the English names of "
                       "earlier versions are still understood)"})
    after = fields.String()
    limit = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_LIMIT))


class WithdrawSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000),
                           metadata={"description": "Why (required; screened)"})


class AdresSchema(Schema):
    postcode = fields.String(required=True)
    huisnummer = fields.Integer(required=True)
    huisletter = fields.String()
    toevoeging = fields.String()


class WoningCreateSchema(Schema):
    adres = fields.Nested(AdresSchema, required=True)
    client_ref = fields.String(required=True)
    consent_id = fields.String(required=True)
    contractvorm = fields.String(required=True,
                                 validate=validate.OneOf(["intermediair", "eigen_naam"]))
    omklap_datum = fields.Date()


class WoningPatchSchema(Schema):
    contractvorm = fields.String(validate=validate.OneOf(["intermediair", "eigen_naam"]),
                                 metadata={"description": "eigen_naam after the omklap"})
    omklap_datum = fields.Date(allow_none=True, metadata={
        "description": "The omklap to the client's own name; the waakvlam runs 2 years from it"})
    einde_datum = fields.Date(allow_none=True, metadata={
        "description": "The end of the arrangement: from this day nothing routes"})


class WoningSchema(Schema):
    id = fields.String()
    network_id = fields.String()
    adres = fields.Function(lambda w: {"postcode": w.postcode, "huisnummer": w.huisnummer,
                                       "huisletter": w.huisletter, "toevoeging": w.toevoeging},
                            metadata={"type": "object"})
    zorgaanbieder = fields.String()
    client_ref = fields.String()
    consent_id = fields.String()
    contractvorm = fields.Function(lambda w: w.contractvorm.value)
    omklap_datum = fields.Date(allow_none=True)
    waakvlam_until = fields.Date(allow_none=True)
    einde_datum = fields.Date(allow_none=True)
    created_at = fields.DateTime()


class WoningPageSchema(Schema):
    items = fields.List(fields.Nested(WoningSchema), required=True)
    next = fields.String(allow_none=True, required=True)


class DecisionArgsSchema(Schema):
    message_id = fields.String()
    client_ref = fields.String()
    after = fields.String()
    limit = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_LIMIT))


class DecisionSchema(Schema):
    id = fields.Integer()
    message_id = fields.String()
    recipient = fields.String(attribute="recipient_tenant_id")
    phase = fields.String(metadata={
        "enum": ["intake", "delivery", "redrive", "withdrawal"],
        "description": "When it was decided: at intake; at delivery (the re-check before an "
                       "attempt: a permit once per recipient, a deny each time); at a redrive "
                       "(its fresh check); at withdrawal (an inbox item taken back). Listed in "
                       "the order decided: the last one for a recipient is the outcome now"})
    decision = fields.String(metadata={"enum": ["permit", "deny"]})
    basis = fields.String(allow_none=True)
    reason = fields.String()
    network_id = fields.String(allow_none=True)
    consent_id = fields.String(allow_none=True)
    consent_version = fields.Integer(allow_none=True)
    client_ref = fields.String(allow_none=True)
    review_required = fields.Boolean()
    decided_at = fields.DateTime()


class DecisionPageSchema(Schema):
    items = fields.List(fields.Nested(DecisionSchema), required=True)
    next = fields.String(allow_none=True, required=True)
