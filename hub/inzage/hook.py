"""The intake hook storing, with every message, the pseudonyms of the persons and addresses it
is about: one statement per intake transaction, whatever the batch size."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from consent.errors import IdentityError
from hub.intake.hooks import RoutedIntake, StoredIntake
from hub.inzage.ports import ADRES, PERSOON, SubjectRow
from hub.ports import HubUnitOfWork


def subjects_of(data: dict, person_ref: Callable[[dict], str],
                address_ref: Callable[[dict], str | None]) -> set[tuple[str, str]]:
    """(kind, pseudonym) of every person (``personen``, ``persoon``) and address (``adres``,
    a person's ``adres``) in a message's validated data."""
    found: set[tuple[str, str]] = set()
    people = [p for p in data.get("personen") or () if isinstance(p, dict)]
    if isinstance(data.get("persoon"), dict):
        people.append(data["persoon"])
    addresses = [data["adres"]] if isinstance(data.get("adres"), dict) else []
    for persoon in people:
        try:
            found.add((PERSOON, person_ref(persoon)))
        except IdentityError:
            pass  # a person the schema let through without usable initials: no pseudonym
        if isinstance(persoon.get("adres"), dict):
            addresses.append(persoon["adres"])
    for adres in addresses:
        ref = address_ref(adres)
        if ref is not None:
            found.add((ADRES, ref))
    return found


class SubjectHook:
    def __init__(self, *, person_ref: Callable[[dict], str],
                 address_ref: Callable[[dict], str | None]) -> None:
        self._person_ref = person_ref
        self._address_ref = address_ref

    def facts(self, uow: HubUnitOfWork, items: Sequence[RoutedIntake],
              now: datetime) -> list[dict]:
        return [{} for _ in items]

    def stored(self, uow: HubUnitOfWork, items: Sequence[StoredIntake], now: datetime) -> None:
        rows = [SubjectRow(item.message.id, kind, ref, item.message.received_at)
                for item in items
                for kind, ref in sorted(subjects_of(item.data, self._person_ref,
                                                    self._address_ref))]
        uow.subjects.add_many(rows)
