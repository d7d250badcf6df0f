"""Case handling by the meldpunt: ``urgent``, ``toewijzing`` (+ ``reactie``) and ``afsluiting``."""

from __future__ import annotations

from hub.intake.schemas.base import Boolean, Choice, List, Nested, StrictSchema, Text
from hub.intake.schemas.common import AdresSchema, ContactSchema, PersoonSchema
from tenants.model import SLUG_PATTERN

REDENEN_AFSLUITING = ("opgelost", "overgedragen", "geen_grond", "geen_medewerking", "verhuisd", "overig")
MAX_PERSONEN = 20


class UrgentSchema(StrictSchema):
    """``nl.ketenhub.urgent.v1`` — extreme situation: GGD and politie are informed at once."""

    personen = List(Nested(PersoonSchema), required=True, max_size=MAX_PERSONEN)
    adres = Nested(AdresSchema, required=True)
    situatieschets = Text(1000, required=True)
    contact = Nested(ContactSchema, required=True)
    rechtvaardiging = Text(500, metadata={
        "description": "Why sharing cannot wait (needed where a network lets urgent traffic "
                       "rest on the noodsituatie basis; reviewed by the privacy officer)"})


class ToewijzingSchema(StrictSchema):
    """``nl.ketenhub.toewijzing.v1`` — the meldpunt asks partner ``aan`` to take up a case."""

    zaak_kenmerk = Text(64, required=True)
    aan = Text(64, pattern=SLUG_PATTERN.pattern.strip("^$"), required=True,
               metadata={"description": "Tenant id van de gevraagde partner"})
    toelichting = Text(1000)


class ToewijzingReactieSchema(StrictSchema):
    """``nl.ketenhub.toewijzing.reactie.v1`` — the partner accepts or declines the case."""

    zaak_kenmerk = Text(64, required=True)
    geaccepteerd = Boolean(required=True)
    contact = Nested(ContactSchema)


class AfsluitingSchema(StrictSchema):
    """``nl.ketenhub.afsluiting.v1`` — the meldpunt closes a case and informs the partners."""

    zaak_kenmerk = Text(64, required=True)
    reden = Choice(REDENEN_AFSLUITING, required=True)
    toelichting = Text(1000)
