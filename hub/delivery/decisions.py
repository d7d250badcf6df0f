"""Reading the sharing decisions: a privacy officer sees those about messages its tenant sent
or was to receive. A sender sees a recipient's decision and basis, never the recipient's
consent id or client_ref: those would let it link the recipient's client to a person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from consent.pseudonym import SharedRefs
from hub.ports import DecisionFilter, HubUnitOfWork
from tenants.model import Principal
from tenants.pagination import Page, clamp_limit, decode_cursor, encode_cursor


class RefView(Protocol):
    def shown(self, principal: Principal, internal_ref: str | None) -> str | None: ...

    def given(self, principal: Principal, ref: str) -> str: ...


class DecisionService:
    def __init__(self, uow: Callable[[], HubUnitOfWork], refs: RefView | None = None) -> None:
        self._uow = uow
        #: Client refs per tenant: a recipient sees (and filters on) its own ref of a client.
        self._refs = refs or SharedRefs()

    def list(self, principal: Principal, *, message_id: str | None = None,
             client_ref: str | None = None, after: str | None = None,
             limit: int | None = None, where: DecisionFilter | None = None) -> Page[dict]:
        """Decisions the caller may see, by id; ``where`` narrows them (decision, basis,
        consent, period)."""
        size = clamp_limit(limit)
        raw = decode_cursor(after)
        start = int(raw) if raw and raw.isdigit() else None
        tenant = None if principal.is_hub_admin else principal.tenant_id
        stored_ref = None if client_ref is None else self._refs.given(principal, client_ref)
        with self._uow() as uow:
            rows = uow.decisions.list(after=start, limit=size + 1, message_id=message_id,
                                      client_ref=stored_ref, tenant=tenant, where=where)
        more = len(rows) > size
        rows = rows[:size]
        cursor = encode_cursor(str(rows[-1]["id"])) if more else None
        if tenant is not None:
            if client_ref is not None:
                # Only one's own clients can be looked up by pseudonym.
                rows = [r for r in rows if r["recipient_tenant_id"] == tenant]
            rows = [{**r, "client_ref": self._refs.shown(principal, r["client_ref"])}
                    if r["recipient_tenant_id"] == tenant else _as_seen_by_sender(r)
                    for r in rows]
        return Page(items=rows, next=cursor)


def _as_seen_by_sender(row: dict) -> dict:
    return {**row, "consent_id": None, "consent_version": None, "client_ref": None}
