"""The regiecheck (netwerkonderzoek, werkwijze stap 7): the meldpunt's request, the question each
asked partner receives, the partner's dat-informatie answer, the reminder and the expiry.

Only ``nl.ketenhub.regiecheck.antwoord.v1`` is sent by partners through ``POST /messages``; the
others are written by the regiecheck flow itself and documented here with their exact shape.
"""

from __future__ import annotations

from marshmallow import ValidationError, validates_schema

from hub.intake.schemas.base import (
    REQUIRED,
    Boolean,
    Choice,
    List,
    Nested,
    StrictSchema,
    Text,
)
from hub.intake.schemas.common import ContactSchema, PersoonSchema
from hub.intake.schemas.signalen import CATEGORIEEN, SOORTEN, Uuid
from tenants.model import SLUG_PATTERN

ROLLEN = ("betrokkene", "melder", "gezinslid")
MAX_PERSONEN = 20
MAX_PARTNERS = 50
_TENANT_ID = SLUG_PATTERN.pattern.strip("^$")


class RegiecheckPersoonSchema(PersoonSchema):
    """A person of the household asked about; ``rol`` stays with the meldpunt."""

    rol = Choice(ROLLEN, metadata={"description": "Default `betrokkene`; a `melder` is only "
                                                  "checked with a `reden_melder`"})


class RegiecheckVerzoekSchema(StrictSchema):
    """``POST /api/v1/regiechecks`` — a meldpunt asks its network's partners."""

    personen = List(Nested(RegiecheckPersoonSchema), required=True, max_size=MAX_PERSONEN)
    reden_melder = Text(500, min_length=10, metadata={
        "description": "Why the melder is checked too (≥ 10 characters, screened); stored "
                       "encrypted with the check, never sent to the partners"})
    soort = Choice(SOORTEN, required=True)
    overlastsoorten = List(Choice(CATEGORIEEN), min_size=0, max_size=len(CATEGORIEEN), unique=True)
    partners = List(Text(64, pattern=_TENANT_ID), max_size=MAX_PARTNERS, unique=True, metadata={
        "description": "Tenant ids asked instead of the network's standard list"})
    extra_partners = List(Text(64, pattern=_TENANT_ID), max_size=MAX_PARTNERS, unique=True, metadata={
        "description": "Tenant ids asked besides the standard list (case by case)"})
    zaak_kenmerk = Text(64)
    kenmerk_afzender = Text(64, metadata={
        "description": "Your own reference; a repeat returns the existing check (200)"})


class RegiecheckAntwoordSchema(StrictSchema):
    """``nl.ketenhub.regiecheck.antwoord.v1`` — dat-informatie only: known yes/no and whom to
    contact. Any other field is refused with ``privacy.dat_informatie``."""

    regiecheck_id = Uuid(required=True)
    bekend = Boolean(required=True)
    contact = Nested(ContactSchema, metadata={"description": "Required when `bekend` is true"})

    @validates_schema
    def _contact_when_known(self, data: dict, **_: object) -> None:
        if data.get("bekend") is True and "contact" not in data:
            raise ValidationError(REQUIRED, field_name="contact")


class RegiecheckVraagSchema(StrictSchema):
    """``nl.ketenhub.regiecheck.vraag.v1`` — the question one asked partner receives: the
    persons, soort and overlastsoorten, the deadline and the check's id; nothing else."""

    regiecheck_id = Uuid(required=True)
    personen = List(Nested(PersoonSchema), required=True, max_size=MAX_PERSONEN)
    soort = Choice(SOORTEN, required=True)
    overlastsoorten = List(Choice(CATEGORIEEN), min_size=0, max_size=len(CATEGORIEEN), unique=True)
    deadline = Text(40, required=True, metadata={"format": "date-time"})


class RegiecheckHerinneringSchema(StrictSchema):
    """``nl.ketenhub.regiecheck.herinnering.v1`` — on the morning of the last werkdag, to a
    partner that has not answered."""

    regiecheck_id = Uuid(required=True)
    deadline = Text(40, required=True, metadata={"format": "date-time"})


class RegiecheckVerlopenSchema(StrictSchema):
    """``nl.ketenhub.regiecheck.verlopen.v1`` — to the asker at the deadline: which partners
    did not answer in time."""

    regiecheck_id = Uuid(required=True)
    deadline = Text(40, required=True, metadata={"format": "date-time"})
    niet_beantwoord = List(Text(64, pattern=_TENANT_ID), required=True, max_size=MAX_PARTNERS)
