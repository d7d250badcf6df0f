"""The intake hook computing samenloop for each meldpunt a signaal is permitted to."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from hub.flows.zaken.joining import ADDRESS_REF
from hub.flows.zaken.model import months_before
from hub.intake.catalogue import SIGNAAL
from hub.intake.hooks import RoutedIntake, StoredIntake
from hub.ports import HubUnitOfWork

#: Seed 002: recidive is another signaal at the address within 3 years.
WINDOW_MONTHS = 36
SAMENLOOP = "samenloop"


class SamenloopHook:
    def __init__(self, *, is_meldpunt: Callable[[str], bool],
                 address_ref: Callable[[dict], str | None]) -> None:
        self._is_meldpunt = is_meldpunt
        self._address_ref = address_ref

    def facts(self, uow: HubUnitOfWork, items: Sequence[RoutedIntake],
              now: datetime) -> list[dict]:
        """Per item: ``{"samenloop": {meldpunt: {"eerdere_signalen_3_jaar", "open_zaak"}}}``
        for a signaal with an adres permitted to one or more meldpunten; a count and a
        kenmerk, never an address. One query for the whole transaction, none without such
        a signaal."""
        asked = [self._asks(i) for i in items]
        keys = sorted({(a[0], m) for a in asked if a is not None for m in a[1]})
        if not keys:
            return [{} for _ in items]
        known = uow.samenloop.at_addresses(keys, months_before(now, WINDOW_MONTHS))
        out: list[dict] = []
        for a in asked:
            if a is None:
                out.append({})
                continue
            ref, meldpunten = a
            out.append({SAMENLOOP: {m: {"eerdere_signalen_3_jaar": known[(ref, m)].signalen
                                        if (ref, m) in known else 0,
                                        "open_zaak": known[(ref, m)].open_zaak
                                        if (ref, m) in known else None}
                                    for m in meldpunten},
                        ADDRESS_REF: ref})
        return out

    def _asks(self, item: RoutedIntake) -> tuple[str, list[str]] | None:
        """(address pseudonym, meldpunten) of a signaal samenloop is computed for, else None."""
        if item.message_type != SIGNAAL or not isinstance(item.data.get("adres"), dict):
            return None
        meldpunten = [r for r in item.recipients if self._is_meldpunt(r)]
        if not meldpunten:
            return None
        ref = self._address_ref(item.data["adres"])
        return (ref, meldpunten) if ref is not None else None

    def stored(self, uow: HubUnitOfWork, items: Sequence[StoredIntake], now: datetime) -> None:
        uow.samenloop.add_many([(item.message.routing[ADDRESS_REF], meldpunt, item.message.id)
                                for item in items
                                for meldpunt in item.message.routing.get(SAMENLOOP, {})], now)


def samenloop_for(routing: dict, recipient: str) -> dict | None:
    """The samenloop a delivery to ``recipient`` carries: its own entry only."""
    return routing.get(SAMENLOOP, {}).get(recipient)
