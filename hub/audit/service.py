"""The processing log as privacy officers and operators use it: read it, verify it, anchor it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from hub.audit.anchors import Anchor, AnchorSigner, AnchorSink
from hub.audit.chain import ChainedEntry
from hub.audit.verify import Verification, verify_chain
from tenants.model import Principal
from tenants.pagination import Page, clamp_limit, decode_cursor, encode_cursor

log = logging.getLogger("ketenhub.audit")


class AuditReader(Protocol):
    def head(self) -> tuple[int, str] | None: ...

    def entries(self, *, after: int | None, limit: int, tenant_id: str | None = None,
                activity: str | None = None) -> list[ChainedEntry]: ...

    def walk(self, *, upto: int | None, batch: int = ...) -> Iterator[ChainedEntry]: ...


class _AuditUow(Protocol):
    audit: AuditReader

    def __enter__(self) -> _AuditUow: ...

    def __exit__(self, *exc: object) -> None: ...


class AuditLog:
    def __init__(self, *, read_uow: Callable[[], _AuditUow], signer: AnchorSigner,
                 sink: AnchorSink, clock: Callable[[], datetime],
                 shown: Callable[[Principal, str | None], str | None] = lambda p, ref: ref,
                 ) -> None:
        self._read_uow = read_uow
        #: A subject pseudonym as the reader's tenant sees it (its own ref of the person, so
        #: two tenants reading their entries cannot link a subject; the hub admin sees all).
        self._shown = shown
        self._signer = signer
        self._sink = sink
        self._clock = clock
        self._last: tuple[int, str] | None = None

    def list(self, principal: Principal, *, after: str | None = None, limit: int | None = None,
             activity: str | None = None) -> Page[ChainedEntry]:
        """Entries in chain order; a tenant sees the entries about its own processing."""
        size = clamp_limit(limit)
        cursor = decode_cursor(after)
        after_seq = int(cursor) if cursor and cursor.isdigit() else None
        tenant = None if principal.is_hub_admin else principal.tenant_id
        with self._read_uow() as uow:
            rows = uow.audit.entries(after=after_seq, limit=size + 1, tenant_id=tenant,
                                     activity=activity)
        more = len(rows) > size
        rows = rows[:size]
        if not principal.is_hub_admin:
            rows = [replace(r, subject_ref=self._shown(principal, r.subject_ref)) for r in rows]
        return Page(items=rows, next=encode_cursor(str(rows[-1].seq)) if more else None)

    def verify(self) -> Verification:
        """The whole chain against its head and every anchor written so far."""
        anchors = self._sink.read()
        with self._read_uow() as uow:
            head = uow.audit.head()
            result = verify_chain(uow.audit.walk(upto=head[0] if head else None), head, anchors,
                                  self._signer)
        if not result.ok:
            log.error("audit chain broken", extra={"first_bad_seq": result.first_bad_seq,
                                                   "checked": result.checked})
        return result

    def anchor(self) -> Anchor | None:
        """Write a signed checkpoint of the chain head, unless it has not moved since the last."""
        with self._read_uow() as uow:
            head = uow.audit.head()
        if head is None or head[0] == 0:
            return None
        if self._last is None:
            written = [a for a in self._sink.read() if a is not None]
            self._last = (written[-1].seq, written[-1].hash) if written else (0, "")
        if self._last == head:
            return None
        anchor = self._signer.sign(head[0], head[1], self._clock())
        self._sink.append(anchor)
        self._last = head
        return anchor
