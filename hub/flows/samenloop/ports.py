"""Storage the samenloop needs: the signalen each meldpunt received, per address pseudonym."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from datetime import datetime

#: (address pseudonym, meldpunt)
AddressMeldpunt = tuple[str, str]


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
