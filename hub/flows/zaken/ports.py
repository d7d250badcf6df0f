"""What the zaken flow needs from storage: its repository (part of ``hub.ports.HubUnitOfWork``)."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from hub.flows.zaken.model import Zaak, ZaakItem, ZaakStatus


@dataclass(frozen=True)
class DeliveryFacts:
    """How far one permitted delivery of a timeline item got (the inbox row per recipient)."""

    message_id: str
    recipient: str
    status: str
    delivered_at: datetime | None
    acknowledged_at: datetime | None
    deadline: datetime | None


class ZaakRepository(abc.ABC):
    @abc.abstractmethod
    def latest(self, meldpunt: str, kenmerk: str) -> Zaak | None:
        """The most recently opened zaak of ``meldpunt`` with this kenmerk."""

    @abc.abstractmethod
    def get(self, zaak_id: str) -> Zaak | None: ...

    @abc.abstractmethod
    def add(self, zaak: Zaak) -> None: ...

    @abc.abstractmethod
    def update(self, zaak: Zaak) -> None:
        """Store status, closing and address key of an existing zaak."""

    @abc.abstractmethod
    def add_item(self, item: ZaakItem) -> bool:
        """Add an item; False (and nothing changed) when the message is already in the zaak."""

    @abc.abstractmethod
    def items(self, zaak_id: str) -> list[ZaakItem]:
        """The zaak's items, oldest first."""

    @abc.abstractmethod
    def zaken_of_messages(self, message_ids: Sequence[str]) -> dict[str, list[Zaak]]:
        """Per message id, the zaken it is an item of."""

    @abc.abstractmethod
    def list_for_meldpunt(self, meldpunt: str, status: ZaakStatus | None, after: str | None,
                          limit: int) -> list[Zaak]:
        """The meldpunt's zaken, newest first, keyed for paging by ``paging_key``."""

    @abc.abstractmethod
    def list_for_partner(self, tenant: str, status: ZaakStatus | None, after: str | None,
                         limit: int) -> list[Zaak]:
        """Zaken in which ``tenant`` sent or received an item, newest first."""

    @abc.abstractmethod
    def for_partner(self, tenant: str, kenmerk: str) -> Zaak | None:
        """The most recent zaak with this kenmerk in which ``tenant`` sent or received an item."""

    @abc.abstractmethod
    def open_at_addresses(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Zaak]:
        """Per (meldpunt, address pseudonym) of ``keys``: the meldpunt's most recent open zaak
        at that address (one query for all; absent when it has none)."""

    @abc.abstractmethod
    def deliveries_of(self, message_ids: Sequence[str]) -> list[DeliveryFacts]:
        """The inbox delivery of each recipient of these messages."""

    @abc.abstractmethod
    def participants(self, zaak_id: str, signaal_type: str, toewijzing_type: str) -> list[str]:
        """Senders of the zaak's signalen and permitted recipients of its toewijzingen."""


def paging_key(zaak: Zaak) -> str:
    """Newest first: opened_at then id, as one sortable string."""
    return f"{zaak.opened_at.isoformat()}|{zaak.id}"
