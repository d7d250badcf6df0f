"""The request id: one per HTTP request (taken from a well-formed ``X-Request-ID`` header or
made anew), bound to a context variable so every log record of that request carries it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_request_id: ContextVar[str | None] = ContextVar("ketenhub_request_id", default=None)


def new_request_id(offered: str | None = None) -> str:
    """The caller's id when it is a plain token of 8–64 characters, else a fresh one (an id
    is an opaque reference, never a place for text)."""
    if offered and _VALID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return _request_id.get()


def bind_request_id(request_id: str | None) -> None:
    """Bind for the rest of this context (a request handled on its own thread)."""
    _request_id.set(request_id)


@contextmanager
def request_id_bound(request_id: str | None) -> Iterator[None]:
    """Bind for the duration of a block (a worker handling one batch)."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


def carried(request_id: str | None) -> AbstractContextManager[None]:
    """Bind a stored request id (a delivery's) for a block; without one, leave the context as
    it is."""
    return request_id_bound(request_id) if request_id else nullcontext()


def call_carried(request_id: str | None, call: Callable[[], T]) -> T:
    """``call()`` with ``request_id`` bound (on a pool thread, which starts with none)."""
    with carried(request_id):
        return call()
