"""The in-memory twin of the zaken repository (for ``hub.memory``'s unit of work)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hub.delivery.model import INBOX
from hub.flows.zaken.model import Zaak, ZaakItem, ZaakStatus
from hub.flows.zaken.ports import DeliveryFacts, ZaakRepository, paging_key


class MemoryZaakRepository(ZaakRepository):
    """Works on the staged tables of a memory unit of work: ``zaken`` (id → Zaak) and
    ``zaak_items`` (a list, in joining order), reading its ``messages`` and ``deliveries``."""

    def __init__(self, tables: Any) -> None:
        self._t = tables

    def _newest_first(self, zaken: list[Zaak]) -> list[Zaak]:
        return sorted(zaken, key=lambda z: (z.opened_at, z.id), reverse=True)

    def latest(self, meldpunt: str, kenmerk: str) -> Zaak | None:
        found = self._newest_first([z for z in self._t.zaken.values()
                                    if z.meldpunt == meldpunt and z.kenmerk == kenmerk])
        return found[0] if found else None

    def get(self, zaak_id: str) -> Zaak | None:
        return self._t.zaken.get(zaak_id)

    def add(self, zaak: Zaak) -> None:
        self._t.zaken[zaak.id] = zaak

    def update(self, zaak: Zaak) -> None:
        self._t.zaken[zaak.id] = zaak

    def add_item(self, item: ZaakItem) -> bool:
        if any((i.zaak_id, i.message_id) == (item.zaak_id, item.message_id)
               for i in self._t.zaak_items):
            return False
        self._t.zaak_items.append(item)
        return True

    def items(self, zaak_id: str) -> list[ZaakItem]:
        return [i for i in self._t.zaak_items if i.zaak_id == zaak_id]

    def zaken_of_messages(self, message_ids: Sequence[str]) -> dict[str, list[Zaak]]:
        found: dict[str, list[Zaak]] = {}
        for item in self._t.zaak_items:
            if item.message_id in message_ids:
                found.setdefault(item.message_id, []).append(self._t.zaken[item.zaak_id])
        return found

    def _recipients(self, message_id: str) -> set[str]:
        return {row.delivery.recipient for row in self._t.deliveries.values()
                if row.delivery.message_id == message_id}

    def _took_part(self, tenant: str, zaak_id: str) -> bool:
        zaak = self._t.zaken[zaak_id]
        if any(c.asker == zaak.meldpunt and c.zaak_kenmerk == zaak.kenmerk
               and c.created_at >= zaak.opened_at
               and any(p.tenant_id == tenant for p in c.partners)
               for c in self._t.regiechecks.values()):
            return True
        for item in self.items(zaak_id):
            message = self._t.messages.get(item.message_id)
            if message and (message.sender == tenant or tenant in self._recipients(message.id)):
                return True
        return False

    def _page(self, zaken: list[Zaak], status: ZaakStatus | None, after: str | None,
              limit: int) -> list[Zaak]:
        rows = [z for z in self._newest_first(zaken) if status is None or z.status is status]
        if after:
            rows = [z for z in rows if paging_key(z) < after]
        return rows[:limit]

    def list_for_meldpunt(self, meldpunt: str, status: ZaakStatus | None, after: str | None,
                          limit: int) -> list[Zaak]:
        return self._page([z for z in self._t.zaken.values() if z.meldpunt == meldpunt],
                          status, after, limit)

    def list_for_partner(self, tenant: str, status: ZaakStatus | None, after: str | None,
                         limit: int) -> list[Zaak]:
        return self._page([z for z in self._t.zaken.values() if self._took_part(tenant, z.id)],
                          status, after, limit)

    def for_partner(self, tenant: str, kenmerk: str) -> Zaak | None:
        found = self._newest_first([z for z in self._t.zaken.values()
                                    if z.kenmerk == kenmerk and self._took_part(tenant, z.id)])
        return found[0] if found else None

    def open_at_addresses(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Zaak]:
        wanted, found = set(keys), {}
        for z in self._newest_first([z for z in self._t.zaken.values()
                                     if z.status is ZaakStatus.OPEN]):
            if (z.meldpunt, z.address_key) in wanted:
                found.setdefault((z.meldpunt, z.address_key), z)
        return found

    def deliveries_of(self, message_ids: Sequence[str]) -> list[DeliveryFacts]:
        return [DeliveryFacts(d.message_id, d.recipient, d.status.value, d.delivered_at,
                              d.acknowledged_at, d.deadline)
                for d in (row.delivery for row in self._t.deliveries.values())
                if d.message_id in message_ids and d.connector == INBOX]

    def participants(self, zaak_id: str, signaal_type: str, toewijzing_type: str) -> list[str]:
        found: set[str] = set()
        for item in self.items(zaak_id):
            message = self._t.messages[item.message_id]
            if message.type == signaal_type:
                found.add(message.sender)
            elif message.type == toewijzing_type:
                found |= self._recipients(message.id)
        return sorted(found)
