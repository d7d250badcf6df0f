"""The Utrecht convenant extreme woonoverlast (seed 002): a partner's ``aanmelding`` with U
Centraal and its ``reactie``; U Centraal's ``toestemmingsverzoek`` to the corporatie that owns the
home, and the corporatie's ``reactie``."""

from __future__ import annotations

from marshmallow import ValidationError, validates_schema

from hub.intake.schemas.base import REQUIRED, Boolean, Choice, List, Nested, StrictSchema, Text
from hub.intake.schemas.common import AdresSchema
from hub.intake.schemas.signalen import CATEGORIEEN, Uuid
from tenants.model import SLUG_PATTERN

EIGENDOM = ("corporatie", "particuliere_verhuur", "koop", "onbekend")
AANMELDING_STATUSSEN = ("in_behandeling", "afgewezen")
TOESTEMMING_STATUSSEN = ("gegeven", "geweigerd")
_TENANT = SLUG_PATTERN.pattern.strip("^$")


class AanmeldingscriteriaSchema(StrictSchema):
    """The admission criteria of the convenant, each as the aanmelder judges it."""

    woongerelateerd = Boolean(required=True, metadata={
        "description": "1. Overlast gerelateerd aan het wonen"})
    ernstig_of_drie_maanden = Boolean(required=True, metadata={
        "description": "2. Ernstige overlast of minimaal 3 maanden overlast"})
    meerdere_vormen = Boolean(required=True, metadata={
        "description": "3. Meerdere vormen van overlast"})
    complexe_problematiek = Boolean(required=True, metadata={
        "description": "4. Complexe achterliggende problematiek"})
    voorliggende_partij_heeft_ingezet = Boolean(required=True, metadata={
        "description": "5. De voorliggende partij heeft voldoende gedaan om het zelf op te lossen"})
    meerdere_disciplines = Boolean(required=True, metadata={
        "description": "6. De oplossing vraagt de inzet van meerdere disciplines"})
    escalatie = Boolean(load_default=False, metadata={
        "description": "Acute noodzaak tot ingrijpen: afwijken van de criteria is toegestaan"})


class AanmeldingSchema(StrictSchema):
    """``nl.ketenhub.aanmelding.v1`` — a partner registers extreme woonoverlast with U Centraal
    (the area's meldpunt), which takes it in behandeling within 5 werkdagen."""

    adres = Nested(AdresSchema, required=True)
    eigendom = Choice(EIGENDOM, required=True)
    woningcorporatie = Text(64, pattern=_TENANT, metadata={
        "description": "Tenant id of the corporatie owning the home (eigendom `corporatie`)"})
    overlastvormen = List(Choice(CATEGORIEEN), required=True, max_size=len(CATEGORIEEN),
                          unique=True)
    criteria = Nested(AanmeldingscriteriaSchema, required=True)
    omschrijving = Text(2000, required=True)
    kenmerk_afzender = Text(64, required=True)

    @validates_schema
    def _corporatie_named(self, data: dict, **_: object) -> None:
        if data.get("eigendom") == "corporatie" and not data.get("woningcorporatie"):
            raise ValidationError(REQUIRED, field_name="woningcorporatie")


class AanmeldingReactieSchema(StrictSchema):
    """``nl.ketenhub.aanmelding.reactie.v1`` — U Centraal takes the aanmelding in behandeling
    or refuses it, with the reason."""

    aanmelding_id = Uuid(required=True)
    status = Choice(AANMELDING_STATUSSEN, required=True)
    reden = Text(500)

    @validates_schema
    def _reason_for_refusal(self, data: dict, **_: object) -> None:
        if data.get("status") == "afgewezen" and not (data.get("reden") or "").strip():
            raise ValidationError(REQUIRED, field_name="reden")


class ToestemmingsverzoekSchema(StrictSchema):
    """``nl.ketenhub.toestemmingsverzoek.v1`` — U Centraal asks the corporatie for permission
    to act in its home; the corporatie answers within 3 werkdagen."""

    aanmelding_id = Uuid(required=True)
    aan = Text(64, pattern=_TENANT, required=True,
               metadata={"description": "Tenant id of the corporatie"})
    adres = Nested(AdresSchema, required=True)
    toelichting = Text(1000)


class ToestemmingsverzoekReactieSchema(StrictSchema):
    """``nl.ketenhub.toestemmingsverzoek.reactie.v1`` — the corporatie gives or refuses it."""

    verzoek_id = Uuid(required=True)
    status = Choice(TOESTEMMING_STATUSSEN, required=True)
    toelichting = Text(1000)
