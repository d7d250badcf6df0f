"""Cursor pagination shared by every list: opaque cursors over an ordered key."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
MAX_LIMIT = 500
DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next: str | None


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    """The key inside a cursor; an unreadable cursor starts from the beginning."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return None


def clamp_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    return max(1, min(MAX_LIMIT, limit))


def paginate(fetch: Callable[[str | None, int], Sequence[T]], cursor: str | None,
             limit: int | None, key: Callable[[T], str]) -> Page[T]:
    """Fetch one page through ``fetch(after, n)``; asks one extra row to know if more follow."""
    size = clamp_limit(limit)
    rows = list(fetch(decode_cursor(cursor), size + 1))
    if len(rows) > size:
        rows = rows[:size]
        return Page(items=rows, next=encode_cursor(key(rows[-1])))
    return Page(items=rows, next=None)
