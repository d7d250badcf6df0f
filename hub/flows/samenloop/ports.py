"""Storage the samenloop needs: the signalen each meldpunt received, per address pseudonym."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

#: (address pseudonym, meldpunt)
AddressMeldpunt = tuple[str, str]


@dataclass(frozen=True)
class AtAddress:
    """What a meldpunt already has at an address: its signalen since a moment, and the
    kenmerk of its newest open zaak there (None without one)."""

    signalen: int
    open_zaak: str | None


class SamenloopRepository(abc.ABC):
    @abc.abstractmethod
    def add_many(self, rows: Sequence[tuple[str, str, str]], at: datetime) -> None:
        """Remember, per (address pseudonym, meldpunt, message id), that the meldpunt received
        that signaal about that address (one statement for all)."""

    @abc.abstractmethod
    def counts(self, keys: Sequence[AddressMeldpunt],
               since: datetime) -> dict[AddressMeldpunt, int]:
        """Per (address pseudonym, meldpunt) of ``keys``: how many signalen about the address
        the meldpunt received at or after ``since`` (one query for all; absent means 0)."""

    @abc.abstractmethod
    def at_addresses(self, keys: Sequence[AddressMeldpunt],
                     since: datetime) -> dict[AddressMeldpunt, AtAddress]:
        """Per (address pseudonym, meldpunt) of ``keys``: ``counts`` and the kenmerk of the
        meldpunt's newest open zaak at the address (``ZaakRepository.open_at_addresses``), in
        one query for all; a pair with neither is absent."""
