"""Joining messages to zaken as the intake stores them, in the intake's own transaction.

- A meldpunt's signaal, urgent, toewijzing or afsluiting with a ``zaak_kenmerk`` joins the
  meldpunt's zaak with that kenmerk; an afsluiting then closes it.
- A partner's toewijzing.reactie joins the zaak of each meldpunt it went to.
- A signaal.reactie joins every zaak its signaal is in.
- A message for a zaak closed less than 3 months ago reopens it; for one closed longer ago it
  starts a new zaak with the same kenmerk (seed 000 step 6).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from hub.delivery.model import StoredMessage
from hub.flows.zaken.model import Via, Zaak, ZaakItem, ZaakStatus
from hub.flows.zaken.ports import ZaakRepository
from hub.intake.catalogue import (
    AFSLUITING,
    SIGNAAL,
    SIGNAAL_REACTIE,
    TOEWIJZING,
    TOEWIJZING_REACTIE,
    URGENT,
)
from hub.intake.hooks import RoutedIntake, StoredIntake
from hub.ports import AuditRepository, HubUnitOfWork

#: Types a meldpunt sends into its own zaak by naming the kenmerk.
MELDPUNT_TYPES = frozenset({SIGNAAL, URGENT, TOEWIJZING, AFSLUITING})

#: Routing facts the joiner adds to a message (pseudonyms and codes only).
ADDRESS_REF = "address_ref"


def item_facts(message_type: str, data: dict) -> dict:
    """What a timeline may show of a message without its payload: no personal data. ``data``
    is the message's data, or its stored routing facts (which repeat these for a signaal)."""
    if message_type == SIGNAAL:
        return {"soort": data.get("soort"), "categorieen": list(data.get("categorieen", ())),
                "urgentie": data.get("urgentie", "normaal")}
    if message_type == TOEWIJZING:
        return {"aan": data.get("aan")}
    if message_type == TOEWIJZING_REACTIE:
        return {"geaccepteerd": data.get("geaccepteerd")}
    if message_type == AFSLUITING:
        return {"reden": data.get("reden")}
    if message_type == SIGNAAL_REACTIE:
        return {"status": data.get("status")}
    return {}


class ZaakJoiner:
    def __init__(self, *, is_meldpunt: Callable[[str], bool],
                 address_ref: Callable[[dict], str | None]) -> None:
        self._is_meldpunt = is_meldpunt
        self._address_ref = address_ref

    def facts(self, uow: HubUnitOfWork, items: Sequence[RoutedIntake],
              now: datetime) -> list[dict]:
        """A signaal keeps its kind and categories (the zaak it may be linked to later shows
        them) and its melder_type (the statistics' source kind), and, like every message with
        an adres, the address's pseudonym (samenloop)."""
        return [self._facts(i.message_type, i.data) for i in items]

    def _facts(self, message_type: str, data: dict) -> dict:
        facts: dict = {}
        if message_type == SIGNAAL:
            facts.update(item_facts(SIGNAAL, data))
            if data.get("melder_type"):
                facts["melder_type"] = data["melder_type"]
        if isinstance(data.get("adres"), dict):
            ref = self._address_ref(data["adres"])
            if ref:
                facts[ADDRESS_REF] = ref
        return facts

    def stored(self, uow: HubUnitOfWork, items: Sequence[StoredIntake], now: datetime) -> None:
        """Join each stored message to its zaken (called once per intake transaction)."""
        zaken, audit = uow.zaken, uow.audit
        reacties = [i for i in items if i.message.type == SIGNAAL_REACTIE
                    and i.message.routing.get("signaal_id")]
        zaken_of_signaal = zaken.zaken_of_messages(
            [i.message.routing["signaal_id"] for i in reacties]) if reacties else {}
        for item in items:
            message, data = item.message, item.data
            kenmerk = data.get("zaak_kenmerk")
            if message.type in MELDPUNT_TYPES and kenmerk and self._is_meldpunt(message.sender):
                self.join(zaken, audit, message.sender, kenmerk, message, data, now)
            elif message.type == TOEWIJZING_REACTIE and kenmerk:
                for meldpunt in item.recipients:
                    if self._is_meldpunt(meldpunt):
                        self.join(zaken, audit, meldpunt, kenmerk, message, data, now)
            elif message.type == SIGNAAL_REACTIE:
                for zaak in zaken_of_signaal.get(message.routing.get("signaal_id", ""), []):
                    zaken.add_item(ZaakItem(zaak.id, message.id, now, Via.BERICHT,
                                            item_facts(message.type, data)))

    def join(self, zaken: ZaakRepository, audit: AuditRepository, meldpunt: str, kenmerk: str,
             message: StoredMessage, data: dict, now: datetime, *,
             via: Via = Via.BERICHT) -> Zaak:
        """Add ``message`` to the meldpunt's zaak ``kenmerk``: opened, reopened or a new one as
        the reopen rule says; an afsluiting closes it."""
        zaak = self.current(zaken, audit, meldpunt, kenmerk, now, actor=message.sender)
        zaken.add_item(ZaakItem(zaak.id, message.id, now, via, item_facts(message.type, data)))
        changed = zaak
        if changed.address_key is None and message.routing.get(ADDRESS_REF):
            changed = replace(changed, address_key=message.routing[ADDRESS_REF])
        if message.type == AFSLUITING:
            changed = replace(changed, status=ZaakStatus.GESLOTEN, closed_at=now,
                              reden_afsluiting=data.get("reden"))
            audit.record(action="zaak.gesloten", tenant_id=meldpunt, actor=message.sender,
                         subject_id=zaak.id, at=now, facts={"message_id": message.id,
                                                            "reden": data.get("reden")})
        if changed != zaak:
            zaken.update(changed)
        return changed

    @staticmethod
    def current(zaken: ZaakRepository, audit: AuditRepository, meldpunt: str, kenmerk: str,
                now: datetime, *, actor: str | None) -> Zaak:
        """The zaak a new message with ``kenmerk`` belongs to: the open one, the one closed
        less than 3 months ago (reopened), or a new one."""
        latest = zaken.latest(meldpunt, kenmerk)
        if latest is not None and latest.takes_new_messages(now):
            if latest.status is ZaakStatus.GESLOTEN:
                latest = replace(latest, status=ZaakStatus.OPEN, closed_at=None,
                                 reden_afsluiting=None)
                zaken.update(latest)
                audit.record(action="zaak.heropend", tenant_id=meldpunt, actor=actor,
                             subject_id=latest.id, at=now, facts={})
            return latest
        zaak = Zaak(id=str(uuid.uuid4()), meldpunt=meldpunt, kenmerk=kenmerk,
                    status=ZaakStatus.OPEN, opened_at=now)
        zaken.add(zaak)
        audit.record(action="zaak.geopend", tenant_id=meldpunt, actor=actor, subject_id=zaak.id,
                     at=now, facts={"eerdere_zaak": latest.id if latest else None})
        return zaak
