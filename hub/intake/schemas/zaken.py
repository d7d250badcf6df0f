"""Case handling by the meldpunt: ``urgent``, ``toewijzing`` (+ ``reactie``) and ``afsluiting``."""

from __future__ import annotations

from marshmallow import ValidationError, validates_schema

from hub.intake.schemas.base import REQUIRED, Boolean, Choice, List, Nested, StrictSchema, Text
from hub.intake.schemas.common import AdresSchema, ContactSchema, PersoonSchema, TenantId, ZaakKenmerk
from hub.intake.schemas.signalen import Uuid

REDENEN_AFSLUITING = ("opgelost", "overgedragen", "geen_grond", "geen_medewerking", "verhuisd", "overig")
MAX_PERSONEN = 20


class UrgentSchema(StrictSchema):
    """``nl.ketenhub.urgent.v1`` — extreme situation: GGD and politie are informed at once."""

    personen = List(Nested(PersoonSchema), required=True, max_size=MAX_PERSONEN)
    adres = Nested(AdresSchema, required=True)
    situatieschets = Text(1000, required=True)
    contact = Nested(ContactSchema, required=True)
    zaak_kenmerk = ZaakKenmerk(metadata={"description": "The meldpunt's zaak it belongs to"})
    rechtvaardiging = Text(500, metadata={
        "description": "Why sharing cannot wait (needed where a network lets urgent traffic "
                       "rest on the noodsituatie basis; reviewed by the privacy officer)"})


class UrgentMeldingSchema(StrictSchema):
    """``nl.ketenhub.urgent.melding.v1`` — sent by the hub, never by a partner: the stadsdeel's
    veiligheidscoördinator is told that the meldpunt handles an urgent case, with the zaak
    kenmerk, the address and the time only — not the personen, not the situatieschets."""

    urgent_id = Uuid(required=True, metadata={"description": "The hub's id of the urgent message"})
    meldpunt = TenantId(required=True, metadata={"description": "The meldpunt handling it"})
    zaak_kenmerk = ZaakKenmerk(metadata={"description": "The meldpunt's zaak, when it named one"})
    adres = Nested(AdresSchema, required=True)
    tijd = Text(40, required=True, metadata={"format": "date-time",
                                             "description": "When the meldpunt sent it"})


class ToewijzingSchema(StrictSchema):
    """``nl.ketenhub.toewijzing.v1`` — the meldpunt asks partner ``aan`` to take up a case."""

    zaak_kenmerk = ZaakKenmerk(required=True)
    aan = TenantId(required=True, metadata={"description": "Tenant id van de gevraagde partner"})
    personen = List(Nested(PersoonSchema), max_size=MAX_PERSONEN, metadata={
        "description": "Whom the zaak is about (screened; shared on the convenant)"})
    adres = Nested(AdresSchema, metadata={"description": "Where (the address of the zaak)"})
    toelichting = Text(1000)


class ToewijzingReactieSchema(StrictSchema):
    """``nl.ketenhub.toewijzing.reactie.v1`` — the partner accepts or declines the case."""

    zaak_kenmerk = ZaakKenmerk(required=True)
    toewijzing_id = Uuid(metadata={
        "description": "The toewijzing (its message id) this answers; omitted: every "
                       "toewijzing of the zaak the partner received and has not answered"})
    geaccepteerd = Boolean(required=True)
    contact = Nested(ContactSchema, metadata={
        "description": "Who takes the case up (required when geaccepteerd)"})
    reden = Text(1000, metadata={"description": "Why not (required when not geaccepteerd; screened)"})

    @validates_schema
    def _contact_or_reden(self, data: dict, **_: object) -> None:
        if "geaccepteerd" not in data:
            return
        needed = "contact" if data["geaccepteerd"] else "reden"
        if needed not in data:
            raise ValidationError(REQUIRED, field_name=needed)


class AfsluitingSchema(StrictSchema):
    """``nl.ketenhub.afsluiting.v1`` — the meldpunt closes a case and informs the partners."""

    zaak_kenmerk = ZaakKenmerk(required=True)
    reden = Choice(REDENEN_AFSLUITING, required=True)
    toelichting = Text(1000)
