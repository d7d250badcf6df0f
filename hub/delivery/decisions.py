"""Reading the sharing decisions: a privacy officer sees those about messages its tenant sent
or was to receive. A sender sees a recipient's decision and basis, never the recipient's
consent id or client_ref: those would let it link the recipient's client to a person."""

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
        tenant = None if principal.is_hub_admin else principal.tenant_id
        with self._uow() as uow:
            rows = uow.decisions.list(after=start, limit=size + 1, message_id=message_id,
                                      client_ref=client_ref, tenant=tenant)
        more = len(rows) > size
        rows = rows[:size]
        cursor = encode_cursor(str(rows[-1]["id"])) if more else None
        if tenant is not None:
            if client_ref is not None:
                # Only one's own clients can be looked up by pseudonym.
                rows = [r for r in rows if r["recipient_tenant_id"] == tenant]
            rows = [r if r["recipient_tenant_id"] == tenant else _as_seen_by_sender(r)
                    for r in rows]
        return Page(items=rows, next=cursor)


def _as_seen_by_sender(row: dict) -> dict:
    return {**row, "consent_id": None, "consent_version": None, "client_ref": None}
