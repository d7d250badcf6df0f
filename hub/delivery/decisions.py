"""Reading the sharing decisions: a privacy officer sees those about messages its tenant sent
or was to receive."""

from __future__ import annotations

from collections.abc import Callable

from hub.ports import HubUnitOfWork
from tenants.model import Principal
from tenants.pagination import Page, clamp_limit, decode_cursor, encode_cursor


class DecisionService:
    def __init__(self, uow: Callable[[], HubUnitOfWork]) -> None:
        self._uow = uow

    def list(self, principal: Principal, *, message_id: str | None = None,
             client_ref: str | None = None, after: str | None = None,
             limit: int | None = None) -> Page[dict]:
        size = clamp_limit(limit)
        raw = decode_cursor(after)
        start = int(raw) if raw and raw.isdigit() else None
        with self._uow() as uow:
            rows = uow.decisions.list(after=start, limit=size + 1, message_id=message_id,
                                      client_ref=client_ref,
                                      tenant=None if principal.is_hub_admin else principal.tenant_id)
        more = len(rows) > size
        rows = rows[:size]
        return Page(items=rows, next=encode_cursor(str(rows[-1]["id"])) if more else None)
