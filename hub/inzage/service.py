"""Inzage (AVG art. 15): the hub computes the person's pseudonyms from the identity a privacy
officer gives and reports every message about the person the caller may see — those naming
the person, those shared on the person's consent, and those about the person's address while
registered there (marked ``via: adres``). The identity itself is used in memory and dropped:
it is not stored, logged or audited; the audit entry of the inzage holds a pseudonym."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from consent.errors import IdentityError
from hub.inzage.errors import InvalidInzage
from hub.inzage.ports import ADRES, PERSOON
from hub.inzage.report import (
    VIA_ADRES,
    VIA_PERSOON,
    VIA_TOESTEMMING,
    VIA_ZAAK,
    Found,
    entry,
    sort_key,
    visible,
)
from hub.ports import HubUnitOfWork
from tenants.model import Principal
from tenants.verwerkingen import INZAGE, Verwerking

log = logging.getLogger("ketenhub.inzage")

#: Decisions read per client ref of the person (one page; a person has far fewer).
MAX_DECISIONS = 10_000


@dataclass(frozen=True)
class AdresPeriode:
    """An address the person was registered at (e.g. from the BRP), from ``van`` up to and
    including ``tot`` (open when None)."""

    adres: dict
    van: date | None = None
    tot: date | None = None


@dataclass(frozen=True)
class _Window:
    start: datetime | None
    end: datetime | None

    def holds(self, at: datetime) -> bool:
        return (self.start is None or at >= self.start) and (self.end is None or at < self.end)


def _window(van: date | None, tot: date | None) -> _Window:
    return _Window(datetime.combine(van, time(), UTC) if van else None,
                   datetime.combine(tot + timedelta(days=1), time(), UTC) if tot else None)


class InzageService:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], clock: Callable[[], datetime],
                 person_ref: Callable[[dict], str],
                 address_ref: Callable[[dict], str | None],
                 client_refs: Callable[[dict], list[str]],
                 shown: Callable[[Principal, str], str | None],
                 register_of: Callable[[str | None], Sequence[Verwerking]]) -> None:
        self._uow = uow
        self._clock = clock
        #: The hub-wide pseudonym of a person (raises IdentityError for an unusable identity).
        self._person_ref = person_ref
        self._address_ref = address_ref
        #: The person's internal client ref in every network (consents, begeleide woningen).
        self._client_refs = client_refs
        #: A pseudonym as the caller's tenant sees it (``TenantRefs.shown``).
        self._shown = shown
        self._register_of = register_of

    def report(self, principal: Principal, persoon: dict,
               adressen: Sequence[AdresPeriode] = ()) -> dict:
        try:
            person = self._person_ref(persoon)
            clients = self._client_refs(persoon)
        except IdentityError as exc:
            raise InvalidInzage(f"/persoon/{exc.field}", exc.rule) from None
        now = self._clock()
        with self._uow() as uow:
            found = self._find(uow, person, clients, adressen)
            ids = [f.message_id for f in found]
            messages = uow.messages.get_many_without_payload(ids)
            deliveries = uow.deliveries.for_messages(ids)
            visible_ids = [m for m in ids if m in messages
                           and visible(principal, messages[m], deliveries[m])]
            decisions = uow.decisions.for_messages(visible_ids)
            items = [entry(principal, f, messages[f.message_id], deliveries[f.message_id],
                           decisions[f.message_id], self._register_of)
                     for f in found if f.message_id in decisions]
            uow.audit.record(action="inzage.performed", tenant_id=principal.tenant_id or None,
                             actor=principal.key_id, subject_id=None, subject_ref=person,
                             basis="wettelijke_plicht", purpose=INZAGE, at=now,
                             facts={"messages": len(items)})
            uow.commit()
        log.info("inzage performed", extra={"tenant": principal.tenant_id,
                                            "messages": len(items)})
        items.sort(key=sort_key)
        return {"subject_ref": self._shown(principal, person), "generated_at": now,
                "messages": items}

    def _find(self, uow: HubUnitOfWork, person: str, clients: Sequence[str],
              adressen: Sequence[AdresPeriode]) -> list[Found]:
        """The messages about the person, each once with the strongest reason."""
        via: dict[str, str] = {}
        named = [r.message_id for r in uow.subjects.about(PERSOON, [person])]
        for message_id in named:
            via[message_id] = VIA_PERSOON
        for ref in clients:
            for d in uow.decisions.list(after=None, limit=MAX_DECISIONS, client_ref=ref):
                via.setdefault(d["message_id"], VIA_TOESTEMMING)
        # The rest of a zaak these messages belong to (a toewijzing's reactie, the afsluiting,
        # signalen registered under it) is about the person too.
        zaken = {z.id for found in uow.zaken.zaken_of_messages(list(via)).values()
                 for z in found}
        for zaak_id in sorted(zaken):
            for item in uow.zaken.items(zaak_id):
                via.setdefault(item.message_id, VIA_ZAAK)
        windows = self._addresses(uow, named, clients, adressen)
        for row in uow.subjects.about(ADRES, sorted(windows)):
            if any(w.holds(row.received_at) for w in windows[row.subject_ref]):
                via.setdefault(row.message_id, VIA_ADRES)
        return [Found(message_id, reason) for message_id, reason in via.items()]

    def _addresses(self, uow: HubUnitOfWork, named: Sequence[str], clients: Sequence[str],
                   adressen: Sequence[AdresPeriode]) -> dict[str, list[_Window]]:
        """The person's addresses with the periods they were registered there: a begeleide
        woning of theirs (from registration to its end), an address a message naming them
        gives (the hub knows no moving dates for it: any time), and those the officer gives."""
        windows: dict[str, list[_Window]] = {}
        for row in uow.subjects.of_messages(named):
            if row.kind == ADRES:
                windows.setdefault(row.subject_ref, []).append(_Window(None, None))
        for woning in uow.woningen.for_clients(clients):
            ref = self._address_ref({"postcode": woning.postcode, "huisnummer": woning.huisnummer,
                                     "huisletter": woning.huisletter,
                                     "toevoeging": woning.toevoeging})
            if ref is not None:
                end = _window(None, woning.einde_datum).end
                windows.setdefault(ref, []).append(_Window(woning.created_at, end))
        for periode in adressen:
            ref = self._address_ref(periode.adres)
            if ref is not None:
                windows.setdefault(ref, []).append(_window(periode.van, periode.tot))
        return windows
