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
        found = {item.message.id: subjects_of(item.data, self._person_ref, self._address_ref)
                 for item in items}
        _inherit(uow, items, found)
        rows = [SubjectRow(item.message.id, kind, ref, item.message.received_at)
                for item in items for kind, ref in sorted(found[item.message.id])]
        uow.subjects.add_many(rows)


#: Fields naming the earlier message a reply answers (a reactie, a toestemmingsverzoek).
REFERENCES = ("signaal_id", "aanmelding_id", "verzoek_id")


def _inherit(uow: HubUnitOfWork, items: Sequence[StoredIntake],
             found: dict[str, set[tuple[str, str]]]) -> None:
    """A reply that names no person is about the subjects of what it answers: a signaal's
    reactie, an aanmelding's reactie or toestemmingsverzoek, a regiecheck's answer, reminder
    or expiry (the check's questions). One query for the batch's referenced messages (and one
    per regiecheck a reply in the batch names), none for a batch without replies."""
    asks: dict[str, list[str]] = {}
    checks: dict[str, list[str]] = {}
    for item in items:
        if any(kind == PERSOON for kind, _ in found[item.message.id]):
            continue
        refs = [item.data[f] for f in REFERENCES if isinstance(item.data.get(f), str)]
        regiecheck_id = item.data.get("regiecheck_id")
        if isinstance(regiecheck_id, str):
            if regiecheck_id not in checks:
                check = uow.regiechecks.get(regiecheck_id)
                checks[regiecheck_id] = [p.message_id for p in check.partners] if check else []
            refs += checks[regiecheck_id]
        if refs:
            asks[item.message.id] = refs
    if not asks:
        return
    inherited: dict[str, set[tuple[str, str]]] = {}
    for row in uow.subjects.of_messages(sorted({r for refs in asks.values() for r in refs})):
        inherited.setdefault(row.message_id, set()).add((row.kind, row.subject_ref))
    for message_id, refs in asks.items():
        for ref in refs:
            found[message_id] |= inherited.get(ref, set())
