"""The CloudEvents 1.0 envelope (structured JSON mode, NL GOV profile) of every message.

``parse_event`` checks the context attributes, then the ``data`` against the type's schema in
``hub.intake.catalogue``, and reports every problem at once as an ``InvalidMessage`` whose details
are JSON pointers into the event. Messages and details never contain a submitted value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from hub.errors import InvalidMessage
from hub.intake.catalogue import MESSAGE_TYPES, URGENT, check_data
from hub.intake.schemas.base import (
    INVALID,
    REQUIRED,
    RULE_MESSAGES,
    UNKNOWN_FIELD,
    UNKNOWN_TYPE,
    dominant_rule,
    pointer,
    safe_key,
)

SPECVERSION = "1.0"
JSON = "application/json"

SPECVERSION_RULE = "cloudevents.specversion"
ID_RULE = "cloudevents.id"
SOURCE_RULE = "cloudevents.source"
SOURCE_SENDER_RULE = "cloudevents.source_not_sender"
TYPE_RULE = "cloudevents.type"
TIME_RULE = "cloudevents.time"
SUBJECT_RULE = "cloudevents.subject"
DATACONTENTTYPE_RULE = "cloudevents.datacontenttype"
DATASCHEMA_RULE = "cloudevents.dataschema"
DATA_BASE64_RULE = "cloudevents.data_base64"
EXTENSION_RULE = "cloudevents.extension"

#: Short Dutch message per envelope rule code (the data rules are in ``schemas.base``).
ENVELOPE_MESSAGES: dict[str, str] = {
    SPECVERSION_RULE: "specversion moet \"1.0\" zijn.",
    ID_RULE: "id moet een niet-lege tekst van hoogstens 256 tekens zijn.",
    SOURCE_RULE: "source moet een urn:nld:-URN met het OIN of KvK-nummer van de afzender zijn.",
    SOURCE_SENDER_RULE: "source moet het eigen OIN of KvK-nummer van de verzendende organisatie "
                        "dragen.",
    TYPE_RULE: "type moet een naam in reverse-DNS-vorm zijn.",
    TIME_RULE: "time moet een tijdstip volgens RFC 3339 zijn.",
    SUBJECT_RULE: "subject mag alleen een nietszeggende verwijzing zijn (letters, cijfers en "
                  "._:/~#=+-, minstens één cijfer, geen spaties of namen).",
    DATACONTENTTYPE_RULE: "datacontenttype moet application/json zijn.",
    DATASCHEMA_RULE: "dataschema moet een URI zijn.",
    DATA_BASE64_RULE: "data_base64 wordt niet geaccepteerd; stuur data als JSON-object.",
    EXTENSION_RULE: "Een extensie-attribuut moet een nietszeggende verwijzing (letters, cijfers en "
                    "._:/~#=+-, minstens één cijfer), een geheel getal of een boolean zijn.",
}

_ATTRIBUTES = ("specversion", "id", "source", "type", "time", "subject", "datacontenttype", "dataschema")
_RESERVED = frozenset(_ATTRIBUTES) | {"data", "data_base64"}
_MAX_ID = 256
_MAX_ATTRIBUTE = 2048
_SOURCE = re.compile(r"^urn:nld:(?P<scheme>oin|kvk):(?P<number>\d{20}|\d{8})(?::[A-Za-z0-9._~-]+)*$")
_SOURCE_DIGITS = {"oin": 20, "kvk": 8}
_TYPE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*(?:\.[a-z0-9]+(?:[-_][a-z0-9]+)*)+$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$")
_EXTENSION_NAME = re.compile(r"^[a-z0-9]{1,20}$")
_INT32 = (-(2**31), 2**31 - 1)
#: Characters a CloudEvents String must not contain (spec §Type System: control characters).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: An opaque reference (``subject`` and string extension values): no spaces, no names — ASCII
#: letters, digits and a few separators, with at least one digit (a kenmerk, a UUID, a trace id).
_OPAQUE = re.compile(r"(?=[^0-9]*[0-9])[A-Za-z0-9._:/~#=+-]+")


@dataclass(frozen=True)
class CloudEvent:
    """A validated CloudEvent; ``data`` is the normalised data of its type (plain JSON types)."""

    id: str
    source: str
    type: str
    specversion: str
    time: datetime | None  # aware, UTC
    subject: str | None
    datacontenttype: str | None
    dataschema: str | None
    extensions: dict[str, str | int | bool]
    data: dict

    def to_dict(self) -> dict:
        """The event as a structured-mode JSON object again, exactly as normalised."""
        event: dict = {"specversion": self.specversion, "id": self.id, "source": self.source,
                       "type": self.type}
        if self.time is not None:
            event["time"] = format_time(self.time)
        for name in ("subject", "datacontenttype", "dataschema"):
            if getattr(self, name) is not None:
                event[name] = getattr(self, name)
        event.update(self.extensions)
        event["data"] = self.data
        return event

    @property
    def is_urgent(self) -> bool:
        """An ``urgent`` message, or a signaal marked ``urgentie: urgent``."""
        return self.type == URGENT or self.data.get("urgentie") == "urgent"

    @property
    def source_organisation(self) -> tuple[str, str]:
        """``("oin" | "kvk", number)`` of the organisation named in ``source``."""
        _, _, scheme, number = self.source.split(":", 4)[:4]
        return scheme, number


def check_sender(event: CloudEvent, oin: str | None, kvk: str | None) -> None:
    """Raise ``InvalidMessage`` unless ``source`` names the sending organisation itself: its
    own OIN or KvK-nummer (a tenant without either cannot send)."""
    scheme, number = event.source_organisation
    if {"oin": oin, "kvk": kvk}.get(scheme) != number:
        raise InvalidMessage(SOURCE_SENDER_RULE, ENVELOPE_MESSAGES[SOURCE_SENDER_RULE],
                             [{"field": "/source", "rule": SOURCE_SENDER_RULE}])


def format_time(moment: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``, e.g. ``2026-11-20T09:30:00Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_event(raw: object, *, today: date | None = None) -> CloudEvent:
    """Validate a structured-mode CloudEvent (already parsed JSON) and normalise its data.

    Raises ``InvalidMessage`` with every problem found; the code is the dominant rule of the
    envelope's problems, or of the data's when the envelope is sound. ``today`` pins the date the
    data's "not in the future" rules use.
    """
    if not isinstance(raw, Mapping):
        raise _invalid([{"field": "", "rule": INVALID}])
    problems: list[dict] = []

    def problem(name: str, rule: str) -> None:
        problems.append({"field": pointer([name]), "rule": rule})

    values: dict[str, object] = {}
    for name in _ATTRIBUTES:
        value = raw.get(name)
        if value is None:
            if name in ("specversion", "id", "source", "type"):
                problem(name, REQUIRED)
            continue
        rule = _ATTRIBUTE_CHECKS[name](value)
        if rule:
            problem(name, rule)
        else:
            values[name] = value

    event_type = values.get("type")
    if isinstance(event_type, str) and event_type not in MESSAGE_TYPES:
        problem("type", UNKNOWN_TYPE)

    if raw.get("data_base64") is not None:
        problem("data_base64", DATA_BASE64_RULE)
    if raw.get("data") is None:
        problem("data", REQUIRED)
    elif not isinstance(raw["data"], Mapping):
        problem("data", INVALID)

    extensions: dict[str, str | int | bool] = {}
    for name, value in raw.items():
        if name in _RESERVED:
            continue
        if not isinstance(name, str) or not _EXTENSION_NAME.match(name):
            problems.append({"field": pointer([name]) if safe_key(name) else "", "rule": UNKNOWN_FIELD})
        elif value is None:
            continue
        elif _extension_value_ok(value):
            extensions[name] = value  # type: ignore[assignment]
        else:
            problem(name, EXTENSION_RULE)

    data: dict | None = None
    data_problems: list[dict] = []
    if isinstance(event_type, str) and event_type in MESSAGE_TYPES and isinstance(raw.get("data"), Mapping):
        data, data_problems = check_data(event_type, dict(raw["data"]), today=today)

    if problems:
        raise _invalid(problems + data_problems, code=dominant_rule(problems))
    if data is None:  # unreachable: a sound envelope has a known type and object data
        raise _invalid(data_problems or [{"field": "/data", "rule": INVALID}])
    time = values.get("time")
    return CloudEvent(
        id=values["id"],  # type: ignore[arg-type]
        source=values["source"],  # type: ignore[arg-type]
        type=event_type,
        specversion=SPECVERSION,
        time=_parse_time(time) if isinstance(time, str) else None,
        subject=values.get("subject"),  # type: ignore[arg-type]
        datacontenttype=JSON if "datacontenttype" in values else None,
        dataschema=values.get("dataschema"),  # type: ignore[arg-type]
        extensions=extensions,
        data=data,
    )


def _invalid(details: list[dict], *, code: str | None = None) -> InvalidMessage:
    code = code or dominant_rule(details)
    message = ENVELOPE_MESSAGES.get(code) or RULE_MESSAGES.get(code) or RULE_MESSAGES[INVALID]
    return InvalidMessage(code, message, details)


# -- attribute checks: each returns the rule broken, or None ---------------------------------------


def _check_specversion(value: object) -> str | None:
    return None if value == SPECVERSION else SPECVERSION_RULE


def _check_id(value: object) -> str | None:
    ok = isinstance(value, str) and 0 < len(value) <= _MAX_ID and not _CONTROL.search(value)
    return None if ok else ID_RULE


def _check_source(value: object) -> str | None:
    if not isinstance(value, str) or len(value) > _MAX_ID:
        return SOURCE_RULE
    match = _SOURCE.match(value)
    if not match or len(match["number"]) != _SOURCE_DIGITS[match["scheme"]]:
        return SOURCE_RULE
    return None


def _check_type(value: object) -> str | None:
    return None if isinstance(value, str) and len(value) <= _MAX_ID and _TYPE.match(value) else TYPE_RULE


def _check_time(value: object) -> str | None:
    return None if isinstance(value, str) and _parse_time(value) is not None else TIME_RULE


def is_opaque_reference(value: object) -> bool:
    """True for a reference that says nothing by itself: no spaces, no names (a digit in it)."""
    return isinstance(value, str) and 0 < len(value) <= _MAX_ID and _OPAQUE.fullmatch(value) is not None


def _check_subject(value: object) -> str | None:
    return None if is_opaque_reference(value) else SUBJECT_RULE


def _check_datacontenttype(value: object) -> str | None:
    if not isinstance(value, str):
        return DATACONTENTTYPE_RULE
    media_type, _, parameters = value.partition(";")
    charset_ok = parameters.strip().lower() in ("", "charset=utf-8", 'charset="utf-8"')
    return None if media_type.strip().lower() == JSON and charset_ok else DATACONTENTTYPE_RULE


def _check_dataschema(value: object) -> str | None:
    ok = (isinstance(value, str) and 0 < len(value) <= _MAX_ATTRIBUTE
          and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value) is not None)
    return None if ok else DATASCHEMA_RULE


_ATTRIBUTE_CHECKS = {
    "specversion": _check_specversion,
    "id": _check_id,
    "source": _check_source,
    "type": _check_type,
    "time": _check_time,
    "subject": _check_subject,
    "datacontenttype": _check_datacontenttype,
    "dataschema": _check_dataschema,
}


def _parse_time(value: str) -> datetime | None:
    text = value.upper()
    if not _TIME.match(text):
        return None
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:
        return None


def _extension_value_ok(value: object) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return _INT32[0] <= value <= _INT32[1]
    return is_opaque_reference(value)
