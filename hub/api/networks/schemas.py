"""Request and response shapes of /api/v1/admin/networks (convenanten)."""

from __future__ import annotations

from marshmallow import Schema, fields, post_load, validate

from tenants.model import (
    BEVRIJDINGSDAG_MODES,
    DEFAULT_REGIECHECK_TERMIJN,
    MAX_REGIECHECK_TERMIJN,
    PC4_MAX,
    PC4_MIN,
    Area,
    Bewaartermijnen,
    Flow,
    LegalBasis,
    Party,
    RegiecheckPartner,
    TenantKind,
    TermijnRegel,
    Toewijzingsadvies,
)
from tenants.services import NetworkSpec
from tenants.services.networks import version_of
from tenants.verwerkingen import Verwerking

_slug = validate.Length(min=1, max=64)


class PartySchema(Schema):
    tenant_id = fields.String(required=True, validate=_slug)
    role = fields.String(required=True, validate=validate.Length(min=1, max=64),
                         metadata={"example": "meldpunt"})
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)

    @post_load
    def make(self, data: dict, **_: object) -> Party:
        return Party(**data)


class AreaSchema(Schema):
    tenant_id = fields.String(required=True, validate=_slug,
                              metadata={"description": "The meldpunt holding this area"})
    pc4_from = fields.Integer(required=True, validate=validate.Range(PC4_MIN, PC4_MAX))
    pc4_to = fields.Integer(required=True, validate=validate.Range(PC4_MIN, PC4_MAX))
    veiligheidscoordinator = fields.String(allow_none=True, validate=_slug, metadata={
        "description": "The stadsdeel's veiligheidscoördinator for this area (a party's tenant "
                       "id): informed of an urgent case with nl.ketenhub.urgent.melding.v1 "
                       "(zaak kenmerk, address and time only)"})

    @post_load
    def make(self, data: dict, **_: object) -> Area:
        return Area(**data)


class RegiecheckPartnerSchema(Schema):
    tenant_id = fields.String(allow_none=True, validate=_slug)
    tenant_kind = fields.Enum(TenantKind, by_value=True, allow_none=True,
                              metadata={"description": "e.g. the address's woningcorporatie"})
    standaard = fields.Boolean(load_default=True,
                               metadata={"description": "False: asked case by case"})

    @post_load
    def make(self, data: dict, **_: object) -> RegiecheckPartner:
        return RegiecheckPartner(**data)


class ToewijzingsadviesSchema(Schema):
    categorie = fields.String(required=True, validate=validate.Length(min=1, max=32),
                              metadata={"example": "stank",
                                        "description": "A signaal categorie (API.md)"})
    tenant_id = fields.String(allow_none=True, validate=_slug)
    tenant_kind = fields.Enum(TenantKind, by_value=True, allow_none=True)

    @post_load
    def make(self, data: dict, **_: object) -> Toewijzingsadvies:
        return Toewijzingsadvies(**data)


class FlowSchema(Schema):
    message_type = fields.String(required=True, validate=validate.Length(min=1, max=128),
                                 metadata={"example": "nl.ketenhub.signaal.v1"})
    from_kind = fields.Enum(TenantKind, by_value=True, required=True)
    to_kind = fields.Enum(TenantKind, by_value=True, required=True)
    basis = fields.Enum(LegalBasis, by_value=True, required=True)

    @post_load
    def make(self, data: dict, **_: object) -> Flow:
        return Flow(**data)


class TermijnRegelSchema(Schema):
    flow = fields.String(required=True, validate=validate.Length(min=1, max=64),
                         metadata={"example": "signaal_zorgaanbieder"})
    werkdagen = fields.Integer(required=True, validate=validate.Range(1, 60),
                               metadata={"example": 2})
    gehaald_door = fields.List(
        fields.String(validate=validate.Length(min=1, max=160)), load_default=list,
        validate=validate.Length(max=20),
        metadata={"description": "Answers that meet the term: `<reply type>:<status>`, or "
                                 "`<reply type>` for any answer of that type",
                  "example": ["signaal.reactie:klager_benaderd"]})

    @post_load
    def make(self, data: dict, **_: object) -> TermijnRegel:
        return TermijnRegel(data["flow"], data["werkdagen"], tuple(data["gehaald_door"]))


class BewaartermijnenSchema(Schema):
    """Retention per legal basis; an omitted field keeps its default."""

    zaak_jaren = fields.Integer(validate=validate.Range(min=0, max=30), metadata={
        "description": "Years a meldpunt's zaak is kept after its afsluiting (default 5)"})
    toestemming_dagen = fields.Integer(validate=validate.Range(min=0, max=3650), metadata={
        "description": "Days a consent-based message is kept after the consent's valid_until "
                       "(default 30)"})
    convenant_dagen = fields.Integer(validate=validate.Range(min=0, max=10950), metadata={
        "description": "Days a message on the convenant is kept after receipt (default 1826)"})
    wettelijke_plicht_dagen = fields.Integer(validate=validate.Range(min=0, max=10950),
                                             metadata={"description": "Default 1826"})
    noodsituatie_dagen = fields.Integer(validate=validate.Range(min=0, max=10950),
                                        metadata={"description": "Default 730"})
    geweigerd_dagen = fields.Integer(validate=validate.Range(min=0, max=3650), metadata={
        "description": "Days a message no recipient was permitted is kept (default 90)"})

    @post_load
    def make(self, data: dict, **_: object) -> Bewaartermijnen:
        return Bewaartermijnen(**data)


class VerwerkingSchema(Schema):
    """One processing activity of the network's verwerkingsregister (AVG art. 30)."""

    id = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$"),
                       metadata={"description": "Code the audit log (`purpose`) and inzage "
                                                "(`activity`) refer to", "example": "signalering"})
    naam = fields.String(required=True, validate=validate.Length(min=1, max=200))
    doel = fields.String(required=True, validate=validate.Length(min=1, max=1000),
                         metadata={"description": "Purpose of the processing"})
    grondslag = fields.String(required=True, validate=validate.OneOf(
        [b.value for b in LegalBasis]), metadata={"description": "Legal basis"})
    categorieen = fields.List(fields.String(validate=validate.Length(min=1, max=64)),
                              required=True, validate=validate.Length(max=50),
                              metadata={"description": "Categories of personal data"})
    bewaartermijn = fields.String(required=True, validate=validate.Length(min=1, max=200),
                                  metadata={"description": "Retention period"})
    berichttypen = fields.List(fields.String(validate=validate.Length(min=1, max=100)),
                               load_default=list, validate=validate.Length(max=50),
                               metadata={"description": "Message types processed under it"})
    audit = fields.List(fields.String(validate=validate.Length(min=1, max=100)),
                        load_default=list, validate=validate.Length(max=50),
                        metadata={"description": "Audit activities (besides messages) it "
                                                 "covers, e.g. `consent.registered`"})

    @post_load
    def make(self, data: dict, **_: object) -> Verwerking:
        return Verwerking(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


class VerwerkingsregisterSchema(Schema):
    network_id = fields.String()
    eigen = fields.Boolean(metadata={"description": "False: the hub's default register"})
    verwerkingen = fields.List(fields.Nested(VerwerkingSchema))


class NetworkWriteSchema(Schema):
    id = fields.String(required=True, validate=_slug, metadata={"example": "amsterdam-mzwo"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    parties = fields.List(fields.Nested(PartySchema), load_default=list)
    areas = fields.List(fields.Nested(AreaSchema), load_default=list)
    regiecheck_partners = fields.List(fields.Nested(RegiecheckPartnerSchema), load_default=list)
    flows = fields.List(fields.Nested(FlowSchema), load_default=list)
    toewijzingsadvies = fields.List(fields.Nested(ToewijzingsadviesSchema), load_default=list,
                                    metadata={"description": "Which partners suit a zaak with "
                                                             "signalen of a categorie (seed "
                                                             "000 step 10)"})
    regiecheck_termijn_werkdagen = fields.Integer(
        load_default=DEFAULT_REGIECHECK_TERMIJN,
        validate=validate.Range(min=1, max=MAX_REGIECHECK_TERMIJN),
        metadata={"description": "Answer term of a regiecheck in werkdagen after the day asked"})
    termijnen = fields.List(
        fields.Nested(TermijnRegelSchema), load_default=None, validate=validate.Length(max=50),
        metadata={"description": "Terms per flow in werkdagen; omitted: the seeds' defaults "
                                 "(signaal_zorgaanbieder 2, toewijzing 2); the regiecheck's is "
                                 "`regiecheck_termijn_werkdagen`"})
    closing_days = fields.List(fields.Date(), load_default=list, validate=validate.Length(max=366),
                               metadata={"description": "Extra days the network is closed"})
    verwerkingsregister = fields.List(
        fields.Nested(VerwerkingSchema), load_default=list, validate=validate.Length(max=50),
        metadata={"description": "The network's processing activities; omitted or empty: the "
                                 "hub's defaults"})
    bevrijdingsdag = fields.String(load_default="lustrum",
                                   validate=validate.OneOf(BEVRIJDINGSDAG_MODES),
                                   metadata={"description": "Bevrijdingsdag a day off every "
                                                            "year (`jaarlijks`) or only in "
                                                            "lustrum years"})
    bewaartermijnen = fields.Nested(BewaartermijnenSchema, load_default=Bewaartermijnen,
                                    metadata={"description": "Retention per legal basis "
                                                             "(crypto-shredding afterwards)"})

    @post_load
    def make(self, data: dict, **_: object) -> NetworkSpec:
        data.setdefault("id", "")
        return NetworkSpec(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


class NetworkReplaceSchema(NetworkWriteSchema):
    """What ``GET`` answered, edited, may be sent back as it is: ``created_at`` is ignored and
    ``version`` counts as ``If-Match`` when that header is absent."""

    id = fields.String(validate=_slug, metadata={"description": "Optional; must match the URL"})
    version = fields.String(load_only=True, validate=validate.Length(max=128), metadata={
        "description": "The version this change was made on (as read); a stale one is refused "
                       "with 412. `If-Match` takes precedence."})
    created_at = fields.String(load_only=True, metadata={"description": "Read-only; ignored"})

    @post_load
    def make(self, data: dict, **_: object) -> NetworkSpec:
        data.pop("created_at", None)
        data.pop("version", None)  # read by the view, beside If-Match
        return super().make(data)


class NetworkSchema(Schema):
    id = fields.String()
    version = fields.Function(version_of, metadata={
        "description": "The definition's current version (also the `ETag` header); send it as "
                       "`If-Match` with a change to have a stale change refused with 412"})
    name = fields.String()
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    created_at = fields.DateTime()
    parties = fields.List(fields.Nested(PartySchema))
    areas = fields.List(fields.Nested(AreaSchema))
    regiecheck_partners = fields.List(fields.Nested(RegiecheckPartnerSchema))
    flows = fields.List(fields.Nested(FlowSchema))
    toewijzingsadvies = fields.List(fields.Nested(ToewijzingsadviesSchema))
    regiecheck_termijn_werkdagen = fields.Integer()
    termijnen = fields.List(fields.Nested(TermijnRegelSchema))
    closing_days = fields.List(fields.Date())
    bevrijdingsdag = fields.String()
    bewaartermijnen = fields.Nested(BewaartermijnenSchema)
    verwerkingsregister = fields.List(fields.Nested(VerwerkingSchema), attribute="register",
                                      metadata={"description": "The processing activities "
                                                               "in force (own or defaults)"})


class PartyAddSchema(PartySchema):
    """One party to onboard (POST /{network_id}/parties)."""
