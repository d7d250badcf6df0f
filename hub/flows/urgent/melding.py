"""The veiligheidscoördinator's notice of an urgent case: a hub event of its own
(``nl.ketenhub.urgent.melding.v1``), sealed apart from the urgent message, so the coördinator
is never handed the personen or the situatieschets — not by a projection that a read path
could forget. Sent in the intake's transaction, for urgent messages only (a signaal costs
nothing here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from hub.flows.notices import HubNotices, Notice
from hub.flows.zaken.joining import ADDRESS_REF
from hub.flows.zaken.model import Via, ZaakItem
from hub.intake.catalogue import URGENT, URGENT_MELDING
from hub.intake.hooks import RoutedIntake, StoredIntake
from hub.inzage.ports import ADRES, SubjectRow
from tenants.directory import Directory, Snapshot

if TYPE_CHECKING:
    from hub.ports import HubUnitOfWork

#: The address fields the notice repeats (the address as the meldpunt sent it).
ADRES_FIELDS = ("postcode", "huisnummer", "huisletter", "toevoeging", "woonplaats")


def coordinators_for(view: Snapshot, meldpunt: str, pc4: int | None,
                     day: date) -> list[tuple[str, str]]:
    """(veiligheidscoördinator, network id) of the meldpunt's area holding ``pc4``; when none
    of its areas holds it, those of all its areas (its stadsdeel). Each coördinator once."""
    found: dict[str, str] = {}
    for network in view.networks:
        if not network.holds_on(day):
            continue
        own = [a for a in network.areas if a.tenant_id == meldpunt and a.veiligheidscoordinator]
        here = [a for a in own if pc4 is not None and a.contains(pc4)]
        for area in here or own:
            found.setdefault(area.veiligheidscoordinator, network.id)  # type: ignore[arg-type]
    return list(found.items())


def melding_data(message_id: str, meldpunt: str, data: dict, at: datetime) -> dict:
    """The notice's data: the zaak kenmerk, the address and the time; nothing else."""
    adres = data.get("adres") or {}
    melding = {"urgent_id": message_id, "meldpunt": meldpunt,
               "adres": {k: adres[k] for k in ADRES_FIELDS if adres.get(k) is not None},
               "tijd": at.isoformat()}
    if data.get("zaak_kenmerk"):
        melding["zaak_kenmerk"] = data["zaak_kenmerk"]
    return melding


def _pc4(data: dict) -> int | None:
    postcode = str((data.get("adres") or {}).get("postcode") or "")
    return int(postcode[:4]) if postcode[:4].isdigit() else None


class UrgentMeldingHook:
    """An intake hook: for each stored urgent message, the notice to the veiligheidscoördinator
    of the sender's area, joined to the meldpunt's zaak when the urgent named one."""

    def __init__(self, *, notices: HubNotices, directory: Directory) -> None:
        self._notices = notices
        self._directory = directory

    def facts(self, uow: HubUnitOfWork, items: Sequence[RoutedIntake],
              now: datetime) -> list[dict]:
        return [{} for _ in items]

    def stored(self, uow: HubUnitOfWork, items: Sequence[StoredIntake], now: datetime) -> None:
        urgent = [i for i in items if i.message.type == URGENT]
        if not urgent:
            return
        view = self._directory.snapshot()
        for item in urgent:
            message = item.message
            notices = [
                Notice(URGENT_MELDING, f"{message.id}:{coordinator}",
                       melding_data(message.id, message.sender, item.data, message.received_at),
                       (coordinator,), network_id)
                for coordinator, network_id in coordinators_for(
                    view, message.sender, _pc4(item.data), now.date())
                if coordinator != message.sender]
            sent = self._notices.send(uow, notices, now, view)
            # An inzage about the address finds the notice too (its only subject).
            ref = message.routing.get(ADDRESS_REF)
            if sent and ref:
                uow.subjects.add_many([SubjectRow(notice_id, ADRES, ref, now)
                                       for notice_id in sent])
            kenmerk = item.data.get("zaak_kenmerk")
            zaak = uow.zaken.latest(message.sender, kenmerk) if sent and kenmerk else None
            for notice_id in sent if zaak is not None else ():
                uow.zaken.add_item(ZaakItem(zaak.id, notice_id, now, Via.BERICHT, {}))
