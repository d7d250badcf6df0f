"""Building blocks of the message schemas: rule codes, strict fields and error flattening.

Every field reports a *rule code* (``validation.length``, ...) instead of an English message, so
the errors can be turned into ``{"field": <JSON pointer>, "rule": <code>}`` details without ever
carrying a submitted value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load

# -- rule codes ------------------------------------------------------------------------------------

REQUIRED = "validation.required"
UNKNOWN_FIELD = "validation.unknown_field"
UNKNOWN_TYPE = "validation.unknown_type"
INVALID = "validation.invalid"  # wrong JSON type or shape
LENGTH = "validation.length"  # string length or list size out of bounds
RANGE = "validation.range"  # number or date out of bounds
CHOICE = "validation.choice"  # not one of the allowed values
FORMAT = "validation.format"  # string does not have the required form
UNIQUE = "validation.unique"  # repeated list item
DATE_IN_FUTURE = "validation.date_in_future"
PERIOD = "validation.period"  # period ends before it starts

#: Short Dutch message per rule code; used as the error's message for the dominant rule.
RULE_MESSAGES: dict[str, str] = {
    REQUIRED: "Een verplicht veld ontbreekt of is leeg.",
    UNKNOWN_FIELD: "Het bericht bevat een onbekend veld.",
    UNKNOWN_TYPE: "Dit berichttype is onbekend.",
    INVALID: "Een veld heeft een ongeldig type of een ongeldige vorm.",
    LENGTH: "Een veld is te kort of te lang.",
    RANGE: "Een waarde valt buiten het toegestane bereik.",
    CHOICE: "Een waarde is geen van de toegestane waarden.",
    FORMAT: "Een veld heeft niet de juiste opmaak.",
    UNIQUE: "Een lijst bevat dezelfde waarde meer dan eens.",
    DATE_IN_FUTURE: "Een datum ligt in de toekomst.",
    PERIOD: "Een periode eindigt voordat die begint.",
}

#: Rules that decide the error's top-level code before any other, most important first.
RULE_PRIORITY: tuple[str, ...] = (UNKNOWN_FIELD, REQUIRED)

_FIELD_ERRORS = {"required": REQUIRED, "null": REQUIRED, "invalid": INVALID, "validator_failed": INVALID}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_AMSTERDAM = ZoneInfo("Europe/Amsterdam")

#: The day "today" is judged against; tests and replays may pin it (see ``validate_data``).
TODAY: ContextVar[date | None] = ContextVar("ketenhub_intake_today", default=None)


def today() -> date:
    pinned = TODAY.get()
    return pinned if pinned is not None else datetime.now(_AMSTERDAM).date()


def dominant_rule(details: list[dict]) -> str:
    """The error code for a list of details: by ``RULE_PRIORITY``, else the first detail's rule."""
    rules = {d["rule"] for d in details}
    for rule in RULE_PRIORITY:
        if rule in rules:
            return rule
    return details[0]["rule"] if details else INVALID


# -- error flattening ------------------------------------------------------------------------------

_SAFE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")
_DIGIT_RUN = re.compile(r"\d{5,}")


def pointer(segments: list[str]) -> str:
    """RFC 6901 JSON pointer of the given path segments ("" for the whole document)."""
    return "".join("/" + s.replace("~", "~0").replace("/", "~1") for s in segments)


def safe_key(key: object) -> bool:
    """Whether an unknown key may be named in an error: it is a key, but it might hold a BSN."""
    return isinstance(key, str) and bool(_SAFE_KEY.match(key)) and not _DIGIT_RUN.search(key)


def flatten(messages: object, prefix: list[str]) -> list[dict]:
    """Marshmallow's nested error messages (rule codes as leaves) → sorted, deduplicated details."""
    details: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for path, rule in _walk(messages, prefix):
        if rule not in RULE_MESSAGES:
            rule = INVALID  # a message of marshmallow's own: never pass it through
        if rule == UNKNOWN_FIELD and len(path) > len(prefix) and not safe_key(path[-1]):
            path = path[:-1]
        entry = (pointer([str(p) for p in path]), rule)
        if entry not in seen:
            seen.add(entry)
            details.append({"field": entry[0], "rule": rule})
    return sorted(details, key=_document_order)


def _document_order(detail: dict) -> list[tuple[int, int | str]]:
    # Numeric segments (list indexes) sort as numbers, so /x/2 comes before /x/10.
    return [(0, int(s)) if s.isdigit() else (1, s) for s in detail["field"].split("/")]


def _walk(node: object, path: list[Any]) -> Iterator[tuple[list[Any], str]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _walk(value, path if key == "_schema" else path + [key])
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _walk(item, path)
    else:
        yield path, str(node)


# -- base schema -----------------------------------------------------------------------------------


class StrictSchema(Schema):
    """Unknown fields are refused; null, blank strings and empty lists count as absent."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": UNKNOWN_FIELD, "type": INVALID}

    @pre_load
    def _drop_absent(self, data: object, **_: object) -> object:
        if not isinstance(data, Mapping):
            return data
        return {
            key: value for key, value in data.items()
            if key not in self.load_fields or not _is_absent(value)
        }


def _is_absent(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


# -- strict fields ---------------------------------------------------------------------------------


class RuleCodes:
    """Mixin for a marshmallow field: its own errors (required, null, ...) are rule codes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", dict(_FIELD_ERRORS))
        super().__init__(*args, **kwargs)


class BaseField(RuleCodes, fields.Field):
    """A field of its own kind whose errors are rule codes."""


class Text(RuleCodes, fields.String):
    """A stripped string of ``min_length``..``max_length`` characters, optionally of a form."""

    def __init__(self, max_length: int, *, min_length: int = 1, pattern: str | None = None,
                 upper: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.min_length, self.max_length = min_length, max_length
        self.pattern = re.compile(pattern) if pattern else None
        self.upper = upper
        self.metadata.setdefault("minLength", min_length)
        self.metadata.setdefault("maxLength", max_length)
        if pattern:
            self.metadata.setdefault("pattern", f"^{pattern}$")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):
            raise ValidationError(INVALID)
        value = value.strip()
        if not value:
            raise ValidationError(REQUIRED)
        if not self.min_length <= len(value) <= self.max_length:
            raise ValidationError(LENGTH)
        if _CONTROL.search(value) or (self.pattern and not self.pattern.fullmatch(value)):
            raise ValidationError(FORMAT)
        return value.upper() if self.upper else value


class Choice(RuleCodes, fields.String):
    """A string that is one of ``choices`` (exact, after stripping)."""

    def __init__(self, choices: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = choices
        self.metadata.setdefault("enum", list(choices))

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):
            raise ValidationError(INVALID)
        value = value.strip()
        if value not in self.choices:
            raise ValidationError(CHOICE)
        return value


class Integer(RuleCodes, fields.Integer):
    """A JSON integer (not a boolean, not a float, not a string) in ``minimum``..``maximum``."""

    def __init__(self, minimum: int, maximum: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum
        self.metadata.setdefault("minimum", minimum)
        self.metadata.setdefault("maximum", maximum)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(INVALID)
        if not self.minimum <= value <= self.maximum:
            raise ValidationError(RANGE)
        return value


class Boolean(RuleCodes, fields.Boolean):
    """A JSON boolean; ``"true"`` or ``1`` are refused."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(INVALID)
        return value


def parse_date(value: object, *, not_future: bool = True, not_before: date | None = None) -> date:
    """A ``YYYY-MM-DD`` calendar date, checked against today and ``not_before``."""
    if not isinstance(value, str):
        raise ValidationError(INVALID)
    value = value.strip()
    if not _DATE.match(value):
        raise ValidationError(FORMAT)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationError(FORMAT) from None
    if not_future and day > today():
        raise ValidationError(DATE_IN_FUTURE)
    if not_before and day < not_before:
        raise ValidationError(RANGE)
    return day


class Date(RuleCodes, fields.String):
    """A calendar date as ``YYYY-MM-DD``; loaded as the same ISO string."""

    def __init__(self, *, not_future: bool = True, not_before: date | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.not_future, self.not_before = not_future, not_before
        self.metadata.setdefault("format", "date")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return parse_date(value, not_future=self.not_future, not_before=self.not_before).isoformat()


class Nested(RuleCodes, fields.Nested):
    """A nested object whose errors are rule codes."""


class List(RuleCodes, fields.List):
    """A JSON array of ``min_size``..``max_size`` items; with ``unique`` no item may repeat."""

    def __init__(self, inner: fields.Field, *, min_size: int = 1, max_size: int = 100,
                 unique: bool = False, **kwargs: Any) -> None:
        super().__init__(inner, **kwargs)
        self.min_size, self.max_size, self.unique = min_size, max_size, unique
        self.metadata.setdefault("minItems", min_size)
        self.metadata.setdefault("maxItems", max_size)
        if unique:
            self.metadata.setdefault("uniqueItems", True)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list:
        if not isinstance(value, list):
            raise ValidationError(INVALID)
        if not value:
            raise ValidationError(REQUIRED)
        if not self.min_size <= len(value) <= self.max_size:
            raise ValidationError(LENGTH)
        items = super()._deserialize(value, attr, data, **kwargs)
        if self.unique:
            seen: list = []
            repeated: dict[int, list[str]] = {}
            for index, item in enumerate(items):
                if item in seen:
                    repeated[index] = [UNIQUE]
                seen.append(item)
            if repeated:
                raise ValidationError(repeated)
        return items
