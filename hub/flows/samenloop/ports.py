"""Storage the samenloop needs: the signalen each meldpunt received, per address pseudonym."""

from __future__ import annotations

import abc
from datetime import datetime


class SamenloopRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, address_ref: str, meldpunt: str, message_id: str, at: datetime) -> None:
        """Remember that ``meldpunt`` received signaal ``message_id`` about this address."""

    @abc.abstractmethod
    def count(self, address_ref: str, meldpunt: str, since: datetime) -> int:
        """How many signalen about this address the meldpunt received at or after ``since``."""
