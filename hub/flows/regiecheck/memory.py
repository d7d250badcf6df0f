"""In-memory twin of the regiecheck repository, for unit tests (part of ``hub.memory``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from hub.errors import DuplicateKey
from hub.flows.regiecheck.model import (
    AskedPartner,
    CheckStatus,
    Due,
    Expired,
    PartnerStatus,
    Regiecheck,
)
from hub.flows.regiecheck.ports import RegiecheckRepository


def _key(check: Regiecheck) -> tuple[datetime, str]:
    return check.created_at, check.id


class MemoryRegiecheckRepository(RegiecheckRepository):
    """Works on the unit of work's staged ``{id: Regiecheck}`` table."""

    def __init__(self, rows: dict[str, Regiecheck]) -> None:
        self._rows = rows

    def add(self, check: Regiecheck) -> None:
        if check.id in self._rows or (check.kenmerk_afzender and self.find_by_kenmerk(
                check.asker, check.kenmerk_afzender)):
            raise DuplicateKey()
        self._rows[check.id] = check

    def get(self, regiecheck_id: str, *, for_update: bool = False) -> Regiecheck | None:
        return self._rows.get(regiecheck_id)

    def find_by_kenmerk(self, asker: str, kenmerk_afzender: str) -> Regiecheck | None:
        return next((c for c in self._rows.values()
                     if c.asker == asker and c.kenmerk_afzender == kenmerk_afzender), None)

    def for_zaak(self, asker: str, zaak_kenmerk: str, since: datetime) -> list[Regiecheck]:
        return [c for c in self._ordered(None) if c.asker == asker
                and c.zaak_kenmerk == zaak_kenmerk and c.created_at >= since]

    def _ordered(self, after: tuple[datetime, str] | None) -> list[Regiecheck]:
        return [c for c in sorted(self._rows.values(), key=_key)
                if after is None or _key(c) > after]

    def list_for_asker(self, asker: str, *, status: CheckStatus | None,
                       after: tuple[datetime, str] | None, limit: int) -> list[Regiecheck]:
        return [c for c in self._ordered(after) if c.asker == asker
                and (status is None or c.status is status)][:limit]

    def list_for_partner(self, partner: str, *, status: PartnerStatus | None,
                         after: tuple[datetime, str] | None,
                         limit: int) -> list[tuple[Regiecheck, AskedPartner]]:
        found = []
        for c in self._ordered(after):
            own = c.partner(partner)
            if own is not None and (status is None or own.status is status):
                found.append((replace(c, partners=(own,)), own))
        return found[:limit]

    def record_answer(self, regiecheck_id: str, partner: AskedPartner) -> None:
        check = self._rows[regiecheck_id]
        self._rows[regiecheck_id] = replace(check, partners=tuple(
            partner if p.tenant_id == partner.tenant_id else p for p in check.partners))

    def set_status(self, check: Regiecheck) -> None:
        stored = self._rows[check.id]
        self._rows[check.id] = replace(stored, status=check.status,
                                       completed_at=check.completed_at)

    def claim_reminders(self, now: datetime, limit: int) -> list[Due]:
        due = sorted(((c, p) for c in self._rows.values() for p in c.partners
                      if p.status is PartnerStatus.GEVRAAGD and p.reminded_at is None
                      and p.remind_at <= now < p.deadline),
                     key=lambda cp: cp[1].remind_at)[:limit]
        for check, partner in due:
            self.record_answer(check.id, replace(partner, reminded_at=now))
        return sorted((Due(c.id, c.asker, p.tenant_id, p.deadline) for c, p in due),
                      key=lambda d: (d.regiecheck_id, d.partner))

    def claim_expired(self, now: datetime, limit: int) -> list[Expired]:
        due = sorted((c for c in self._rows.values()
                      if c.status is CheckStatus.OPEN and c.deadline <= now),
                     key=lambda c: c.deadline)[:limit]
        expired = []
        for check in due:
            silent = tuple(sorted(p.tenant_id for p in check.partners
                                  if p.status is PartnerStatus.GEVRAAGD))
            self._rows[check.id] = replace(
                check, status=CheckStatus.VERLOPEN, expired_at=now, partners=tuple(
                    replace(p, status=PartnerStatus.VERLOPEN)
                    if p.status is PartnerStatus.GEVRAAGD else p for p in check.partners))
            expired.append(Expired(check.id, check.asker, check.deadline, silent))
        return sorted(expired, key=lambda e: e.regiecheck_id)
