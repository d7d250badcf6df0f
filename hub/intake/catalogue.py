"""The message catalogue: which ``type`` a partner may send and the schema of its ``data``.

``validate_data`` is the one entry point; the schemas themselves live in ``hub.intake.schemas``
(one module per message family) and are exported here for the OpenAPI document.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from marshmallow import Schema, ValidationError

from hub.errors import InvalidMessage
from hub.intake.schemas.base import INVALID, RULE_MESSAGES, TODAY, UNKNOWN_TYPE, dominant_rule, flatten
from hub.intake.schemas.common import AdresSchema, ContactSchema, PersoonSchema, pc4
from hub.intake.schemas.regiecheck import (
    RegiecheckAntwoordSchema,
    RegiecheckHerinneringSchema,
    RegiecheckVerlopenSchema,
    RegiecheckVraagSchema,
)
from hub.intake.schemas.signalen import HuurachterstandSchema, SignaalReactieSchema, SignaalSchema
from hub.intake.schemas.termijnen import TermijnHerinneringSchema, TermijnVerlopenSchema
from hub.intake.schemas.utrecht import (
    AanmeldingReactieSchema,
    AanmeldingSchema,
    ToestemmingsverzoekReactieSchema,
    ToestemmingsverzoekSchema,
)
from hub.intake.schemas.zaken import (
    AfsluitingSchema,
    ToewijzingReactieSchema,
    ToewijzingSchema,
    UrgentMeldingSchema,
    UrgentSchema,
)

SIGNAAL = "nl.ketenhub.signaal.v1"
SIGNAAL_REACTIE = "nl.ketenhub.signaal.reactie.v1"
HUURACHTERSTAND = "nl.ketenhub.huurachterstand.v1"
URGENT = "nl.ketenhub.urgent.v1"
URGENT_MELDING = "nl.ketenhub.urgent.melding.v1"
TOEWIJZING = "nl.ketenhub.toewijzing.v1"
TOEWIJZING_REACTIE = "nl.ketenhub.toewijzing.reactie.v1"
AFSLUITING = "nl.ketenhub.afsluiting.v1"
REGIECHECK_VRAAG = "nl.ketenhub.regiecheck.vraag.v1"
REGIECHECK_ANTWOORD = "nl.ketenhub.regiecheck.antwoord.v1"
REGIECHECK_HERINNERING = "nl.ketenhub.regiecheck.herinnering.v1"
REGIECHECK_VERLOPEN = "nl.ketenhub.regiecheck.verlopen.v1"
AANMELDING = "nl.ketenhub.aanmelding.v1"
AANMELDING_REACTIE = "nl.ketenhub.aanmelding.reactie.v1"
TOESTEMMINGSVERZOEK = "nl.ketenhub.toestemmingsverzoek.v1"
TOESTEMMINGSVERZOEK_REACTIE = "nl.ketenhub.toestemmingsverzoek.reactie.v1"
TERMIJN_HERINNERING = "nl.ketenhub.termijn.herinnering.v1"
TERMIJN_VERLOPEN = "nl.ketenhub.termijn.verlopen.v1"

MESSAGE_TYPES: dict[str, type[Schema]] = {
    SIGNAAL: SignaalSchema,
    SIGNAAL_REACTIE: SignaalReactieSchema,
    HUURACHTERSTAND: HuurachterstandSchema,
    URGENT: UrgentSchema,
    TOEWIJZING: ToewijzingSchema,
    TOEWIJZING_REACTIE: ToewijzingReactieSchema,
    AFSLUITING: AfsluitingSchema,
    REGIECHECK_ANTWOORD: RegiecheckAntwoordSchema,
    AANMELDING: AanmeldingSchema,
    AANMELDING_REACTIE: AanmeldingReactieSchema,
    TOESTEMMINGSVERZOEK: ToestemmingsverzoekSchema,
    TOESTEMMINGSVERZOEK_REACTIE: ToestemmingsverzoekReactieSchema,
}

#: Types the hub's flows write themselves (never accepted from a partner), with their schemas.
EMITTED_TYPES: dict[str, type[Schema]] = {
    REGIECHECK_VRAAG: RegiecheckVraagSchema,
    REGIECHECK_HERINNERING: RegiecheckHerinneringSchema,
    REGIECHECK_VERLOPEN: RegiecheckVerlopenSchema,
    TERMIJN_HERINNERING: TermijnHerinneringSchema,
    TERMIJN_VERLOPEN: TermijnVerlopenSchema,
    URGENT_MELDING: UrgentMeldingSchema,
}

#: Types whose ``data`` is dat-informatie only (DESIGN.md §3 rule 3), with the reference fields
#: they carry besides it: any other field is refused with ``privacy.dat_informatie``.
DAT_INFORMATIE_TYPES: dict[str, frozenset[str]] = {
    REGIECHECK_ANTWOORD: frozenset({"regiecheck_id"}),
}

DATA_POINTER = "/data"


def validate_data(message_type: str, data: dict, *, today: date | None = None) -> dict:
    """Validate and normalise the ``data`` of a message of ``message_type``.

    Returns plain JSON types (dates as ``YYYY-MM-DD``). Raises ``InvalidMessage`` listing every
    problem as ``{"field": "/data/...", "rule": ...}``; ``today`` pins the date that "not in the
    future" is judged against (default: today in Europe/Amsterdam).
    """
    if message_type not in MESSAGE_TYPES:
        raise invalid([{"field": "/type", "rule": UNKNOWN_TYPE}])
    normalised, details = check_data(message_type, data, today=today)
    if normalised is None:
        raise invalid(details)
    return normalised


def check_data(message_type: str, data: object, *,
               today: date | None = None) -> tuple[dict | None, list[dict]]:
    """``(normalised data, [])``, or ``(None, details)`` naming everything wrong with ``data``.

    ``message_type`` must be a key of ``MESSAGE_TYPES``.
    """
    if not isinstance(data, dict):
        return None, [{"field": DATA_POINTER, "rule": INVALID}]
    with _pinned_today(today):
        try:
            return _schema(message_type).load(data), []
        except ValidationError as err:
            return None, flatten(err.messages, [DATA_POINTER[1:]])


@functools.cache
def _schema(message_type: str) -> Schema:
    """One instance per type: building a schema costs more than loading with it, and a loaded
    instance keeps no state between loads."""
    return MESSAGE_TYPES[message_type]()


def invalid(details: list[dict]) -> InvalidMessage:
    """The ``InvalidMessage`` for these details: dominant rule as code, a fixed Dutch message."""
    code = dominant_rule(details)
    return InvalidMessage(code, RULE_MESSAGES.get(code, RULE_MESSAGES[INVALID]), details)


@contextmanager
def _pinned_today(day: date | None) -> Iterator[None]:
    token = TODAY.set(day)
    try:
        yield
    finally:
        TODAY.reset(token)


__all__ = [
    "AANMELDING", "AANMELDING_REACTIE", "AFSLUITING", "DAT_INFORMATIE_TYPES", "EMITTED_TYPES",
    "HUURACHTERSTAND", "MESSAGE_TYPES", "REGIECHECK_ANTWOORD", "REGIECHECK_HERINNERING",
    "REGIECHECK_VERLOPEN", "REGIECHECK_VRAAG", "SIGNAAL", "SIGNAAL_REACTIE", "TERMIJN_HERINNERING",
    "TERMIJN_VERLOPEN", "TOESTEMMINGSVERZOEK", "TOESTEMMINGSVERZOEK_REACTIE", "TOEWIJZING",
    "TOEWIJZING_REACTIE", "URGENT", "URGENT_MELDING", "AdresSchema", "ContactSchema", "PersoonSchema", "pc4",
    "validate_data",
]
