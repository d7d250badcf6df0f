"""The intake hook computing samenloop for each meldpunt a signaal is permitted to."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from hub.flows.zaken.joining import ADDRESS_REF
from hub.flows.zaken.model import months_before
from hub.intake.catalogue import SIGNAAL
from hub.intake.hooks import StoredIntake
from hub.ports import HubUnitOfWork

#: Seed 002: recidive is another signaal at the address within 3 years.
WINDOW_MONTHS = 36
SAMENLOOP = "samenloop"


class SamenloopHook:
    def __init__(self, *, is_meldpunt: Callable[[str], bool],
                 address_ref: Callable[[dict], str | None]) -> None:
        self._is_meldpunt = is_meldpunt
        self._address_ref = address_ref

    def facts(self, uow: HubUnitOfWork, message_type: str, sender: str, data: dict,
              recipients: Sequence[str], now: datetime) -> dict:
        """``{"samenloop": {meldpunt: {"eerdere_signalen_3_jaar", "open_zaak"}}}`` for a
        signaal permitted to one or more meldpunten; a count and a kenmerk, never an address."""
        meldpunten = [r for r in recipients if self._is_meldpunt(r)]
        if message_type != SIGNAAL or not meldpunten or not isinstance(data.get("adres"), dict):
            return {}
        ref = self._address_ref(data["adres"])
        if ref is None:
            return {}
        since = months_before(now, WINDOW_MONTHS)
        found = {}
        for meldpunt in meldpunten:
            zaak = uow.zaken.open_at_address(meldpunt, ref)
            found[meldpunt] = {"eerdere_signalen_3_jaar": uow.samenloop.count(ref, meldpunt, since),
                               "open_zaak": zaak.kenmerk if zaak else None}
        return {SAMENLOOP: found, ADDRESS_REF: ref}

    def stored(self, uow: HubUnitOfWork, items: Sequence[StoredIntake], now: datetime) -> None:
        for item in items:
            routing = item.message.routing
            for meldpunt in routing.get(SAMENLOOP, {}):
                uow.samenloop.add(routing[ADDRESS_REF], meldpunt, item.message.id, now)


def samenloop_for(routing: dict, recipient: str) -> dict | None:
    """The samenloop a delivery to ``recipient`` carries: its own entry only."""
    return routing.get(SAMENLOOP, {}).get(recipient)
