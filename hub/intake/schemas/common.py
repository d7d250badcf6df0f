"""Parts shared by several message types: ``adres``, ``persoon`` and ``contact``."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from marshmallow import ValidationError

from hub.intake.schemas.base import FORMAT, INVALID, Date, Integer, Nested, StrictSchema, Text
from tenants.model import SLUG_PATTERN

#: Dutch postcode: four digits (not starting with 0), two letters; SA, SD and SS are never issued.
_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")
_UNUSED_LETTERS = frozenset({"SA", "SD", "SS"})
OLDEST_BIRTH_DATE = date(1900, 1, 1)

_PHONE = r"\+?[0-9][0-9 ()-]{5,24}"
_EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s]+"


def normalise_postcode(value: object) -> str:
    """``"1234 ab"`` → ``"1234AB"``; raises ``ValidationError`` with a rule code otherwise."""
    if not isinstance(value, str):
        raise ValidationError(INVALID)
    match = _POSTCODE.match(value.strip())
    if not match or match.group(2).upper() in _UNUSED_LETTERS:
        raise ValidationError(FORMAT)
    return match.group(1) + match.group(2).upper()


def pc4(adres: dict) -> int:
    """The four-digit postcode area (PC4) of an ``adres``, e.g. ``1012`` for ``"1012 AB"``."""
    return int(normalise_postcode(adres["postcode"])[:4])


class Postcode(Text):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(7, pattern=r"[1-9][0-9]{3} ?[A-Za-z]{2}", **kwargs)
        self.metadata.setdefault("example", "1012AB")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return normalise_postcode(value)


class AdresSchema(StrictSchema):
    postcode = Postcode(required=True)
    huisnummer = Integer(1, 99999, required=True)
    huisletter = Text(1, pattern=r"[A-Za-z]", upper=True)
    toevoeging = Text(4, pattern=r"[A-Za-z0-9]{1,4}", upper=True)
    woonplaats = Text(80)


class ContactSchema(StrictSchema):
    """The professional to contact: name, function, phone, e-mail. No personal data of a client."""

    naam = Text(200, required=True)
    functie = Text(200)
    telefoon = Text(32, pattern=_PHONE)
    email = Text(254, pattern=_EMAIL)


class PersoonSchema(StrictSchema):
    """A person identified by name and birth date. There is deliberately no BSN field."""

    achternaam = Text(200, required=True)
    voorvoegsel = Text(20)
    voornamen = Text(200)
    voorletters = Text(20)
    geboortedatum = Date(required=True, not_before=OLDEST_BIRTH_DATE)
    adres = Nested(AdresSchema)



class TenantId(Text):
    """The id of a tenant (a partner organisation), e.g. ``hvo-querido``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {}).setdefault("description", "Tenant id van een partner")
        super().__init__(64, pattern=SLUG_PATTERN.pattern.strip("^$"), **kwargs)


class ZaakKenmerk(Text):
    """A meldpunt's reference of a zaak (its own case number, no personal data)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(64, **kwargs)
