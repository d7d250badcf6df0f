"""Signalen between partners: ``signaal``, its ``reactie`` and the waakvlam ``huurachterstand``."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validates_schema

from hub.intake.schemas.base import (
    INVALID,
    PERIOD,
    BaseField,
    Choice,
    Date,
    Integer,
    List,
    Nested,
    StrictSchema,
    Text,
    parse_date,
)
from hub.intake.schemas.common import AdresSchema, TenantId, ZaakKenmerk

SOORTEN = ("overlast", "zorg", "overlast_en_zorg")
CATEGORIEEN = (
    "geluid", "stank", "vervuiling", "verzamelwoede", "agressie", "intimidatie", "treiteren",
    "burenruzie", "drugs", "vernieling", "verward_gedrag", "sociaal_isolement", "overig",
)
MELDER_TYPES = (
    "bewoner", "omwonende", "woningcorporatie", "zorgaanbieder", "politie", "gemeente", "ggd",
    "anoniem", "overig",
)
URGENTIES = ("normaal", "urgent")
REACTIE_STATUSSEN = ("ontvangen", "klager_benaderd", "in_behandeling", "afgehandeld", "niet_van_toepassing")
_UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"


class Uuid(Text):
    """A UUID in its canonical 8-4-4-4-12 form; loaded in lower case."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(36, pattern=_UUID, **kwargs)
        self.metadata.setdefault("format", "uuid")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(value, attr, data, **kwargs).lower()


class PeriodeSchema(StrictSchema):
    van = Date(required=True)
    tot = Date()

    @validates_schema
    def _van_before_tot(self, data: dict, **_: object) -> None:
        if "tot" in data and data["tot"] < data["van"]:  # ISO dates compare as strings
            raise ValidationError(PERIOD, field_name="tot")


class DateOrPeriod(BaseField):
    """``"2026-11-20"`` or ``{"van": "2026-11-01", "tot": "2026-11-20"}``; neither in the future."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metadata.setdefault("description", "Datum (YYYY-MM-DD) of periode {van, tot?}")
        date_schema = {"type": "string", "format": "date"}
        self.metadata.setdefault("oneOf", [date_schema, {
            "type": "object", "required": ["van"], "additionalProperties": False,
            "properties": {"van": date_schema, "tot": date_schema},
        }])

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | dict:
        if isinstance(value, str):
            return parse_date(value).isoformat()
        if isinstance(value, dict):
            try:
                return PeriodeSchema().load(value)
            except ValidationError as err:
                raise ValidationError(err.messages) from None
        raise ValidationError(INVALID)


class SignaalSchema(StrictSchema):
    """``nl.ketenhub.signaal.v1`` — a signal of overlast and/or zorg at an address."""

    soort = Choice(SOORTEN, required=True)
    categorieen = List(Choice(CATEGORIEEN), required=True, max_size=len(CATEGORIEEN), unique=True)
    adres = Nested(AdresSchema, required=True)
    omschrijving = Text(2000, required=True)
    waargenomen_op = DateOrPeriod(required=True)
    melder_type = Choice(MELDER_TYPES, required=True)
    urgentie = Choice(URGENTIES, load_default="normaal")
    kenmerk_afzender = Text(64, required=True)
    aan = List(TenantId(), max_size=10, unique=True, metadata={
        "description": "Partners named by the sender, e.g. a meldpunt passing the signaal to a "
                       "zorgaanbieder's centraal meldpunt overlast (werkafspraak 5)"})
    zaak_kenmerk = ZaakKenmerk(metadata={
        "description": "A meldpunt's own zaak: the signaal joins it (API.md §Zaken)"})


class SignaalReactieSchema(StrictSchema):
    """``nl.ketenhub.signaal.reactie.v1`` — the recipient's status report on a signaal."""

    signaal_id = Uuid(required=True)
    status = Choice(REACTIE_STATUSSEN, required=True)
    toelichting = Text(1000)


class HuurachterstandSchema(StrictSchema):
    """``nl.ketenhub.huurachterstand.v1`` — rent arrears at an address (waakvlamafspraak)."""

    adres = Nested(AdresSchema, required=True)
    maanden_achterstand = Integer(1, 120, required=True)
    kenmerk_afzender = Text(64)
