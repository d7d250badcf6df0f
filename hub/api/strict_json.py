"""JSON as the hub reads it: stricter than Python's ``json`` where lenience is a hazard.

Refused (``MalformedJson``, answered ``400 request.malformed_json``):
- a key twice in one object: the first value would never be screened, the last one would win;
- a lone UTF-16 surrogate escape (``"\\ud800"``): no UTF-8 text can hold it, so every later
  step (storing, signing, delivering) would fail after the sender was told "accepted";
- an integer of more than ``MAX_INT_DIGITS`` digits (no field takes one; Python refuses
  4,300 or more with an error of its own), ``NaN``, ``Infinity`` and numbers that overflow
  to infinity (not JSON at all).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from flask.json.provider import DefaultJSONProvider

#: The longest integer accepted, in digits (an int64 has 19).
MAX_INT_DIGITS = 64
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class MalformedJson(ValueError):
    """Raised when a body is not JSON the hub accepts (see the module docstring)."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise MalformedJson("duplicate key")
    return result


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise MalformedJson("integer too long")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise MalformedJson("number out of range")
    return value


def _constant(name: str) -> Any:
    raise MalformedJson("not a JSON number")


def _has_lone_surrogate(node: Any) -> bool:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def loads(text: str | bytes) -> Any:
    """Parse ``text`` (UTF-8 bytes or str); raise ``MalformedJson`` for anything refused."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedJson("not UTF-8") from None
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_int=_int, parse_float=_float,
                           parse_constant=_constant)
    except MalformedJson:
        raise
    except (json.JSONDecodeError, RecursionError, ValueError):
        raise MalformedJson("not JSON") from None
    # Paired surrogate escapes decode to one character; only a lone one survives as such.
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        raise MalformedJson("lone surrogate")
    return value


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, reading with ``loads`` above (``request.get_json()``)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s)
