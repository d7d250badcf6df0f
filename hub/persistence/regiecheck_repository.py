"""SQL adapter of the regiecheck flow's repository (``hub.flows.regiecheck.ports``)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, tuple_, update

from hub.flows.regiecheck.model import (
    AskedPartner,
    CheckStatus,
    Due,
    Expired,
    PartnerStatus,
    Regiecheck,
)
from hub.flows.regiecheck.ports import RegiecheckRepository
from hub.persistence import tables as t

_c, _p = t.regiechecks, t.regiecheck_partners


def _partner(row: Any) -> AskedPartner:
    return AskedPartner(tenant_id=row.tenant_id, position=row.position,
                        status=PartnerStatus(row.status), message_id=row.message_id,
                        deadline=row.deadline, remind_at=row.remind_at,
                        reminded_at=row.reminded_at, answered_at=row.answered_at,
                        late=row.late, contact=row.contact,
                        contact_key_version=row.contact_key_version)


def _check(row: Any, partners: list[AskedPartner]) -> Regiecheck:
    return Regiecheck(id=row.id, asker=row.asker_tenant_id, network_id=row.network_id,
                      status=CheckStatus(row.status), soort=row.soort,
                      overlastsoorten=tuple(json.loads(row.overlastsoorten)),
                      deadline=row.deadline, created_at=row.created_at,
                      key_version=row.key_version, payload=row.payload,
                      kenmerk_afzender=row.kenmerk_afzender, zaak_kenmerk=row.zaak_kenmerk,
                      expired_at=row.expired_at, completed_at=row.completed_at,
                      partners=tuple(sorted(partners, key=lambda p: p.position)))


def _partner_row(regiecheck_id: str, p: AskedPartner) -> dict:
    return {"regiecheck_id": regiecheck_id, "tenant_id": p.tenant_id, "position": p.position,
            "status": p.status.value, "message_id": p.message_id, "deadline": p.deadline,
            "remind_at": p.remind_at, "reminded_at": p.reminded_at,
            "answered_at": p.answered_at, "late": p.late, "contact": p.contact,
            "contact_key_version": p.contact_key_version}


def _after(after: tuple[datetime, str] | None) -> Any:
    if after is None:
        return True
    at, last_id = after
    return or_(_c.c.created_at > at, and_(_c.c.created_at == at, _c.c.id > last_id))


class SqlRegiecheckRepository(RegiecheckRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, check: Regiecheck) -> None:
        self._conn.execute(insert(_c).values(
            id=check.id, asker_tenant_id=check.asker, network_id=check.network_id,
            status=check.status.value, soort=check.soort,
            overlastsoorten=json.dumps(list(check.overlastsoorten)),
            kenmerk_afzender=check.kenmerk_afzender, zaak_kenmerk=check.zaak_kenmerk,
            key_version=check.key_version, payload=check.payload, deadline=check.deadline,
            created_at=check.created_at, expired_at=check.expired_at,
            completed_at=check.completed_at))
        if check.partners:
            self._conn.execute(insert(_p), [_partner_row(check.id, p) for p in check.partners])

    def _load(self, rows: list[Any]) -> list[Regiecheck]:
        if not rows:
            return []
        partners: dict[str, list[AskedPartner]] = defaultdict(list)
        for r in self._conn.execute(select(_p).where(_p.c.regiecheck_id.in_([r.id for r in rows]))):
            partners[r.regiecheck_id].append(_partner(r))
        return [_check(r, partners[r.id]) for r in rows]

    def get(self, regiecheck_id: str, *, for_update: bool = False) -> Regiecheck | None:
        query = select(_c).where(_c.c.id == regiecheck_id)
        if for_update:
            query = query.with_for_update()
        found = self._load(list(self._conn.execute(query)))
        return found[0] if found else None

    def find_by_kenmerk(self, asker: str, kenmerk_afzender: str) -> Regiecheck | None:
        found = self._load(list(self._conn.execute(select(_c).where(
            (_c.c.asker_tenant_id == asker) & (_c.c.kenmerk_afzender == kenmerk_afzender)))))
        return found[0] if found else None

    def for_zaak(self, asker: str, zaak_kenmerk: str, since: datetime) -> list[Regiecheck]:
        return self._load(list(self._conn.execute(select(_c).where(
            (_c.c.asker_tenant_id == asker) & (_c.c.zaak_kenmerk == zaak_kenmerk)
            & (_c.c.created_at >= since)).order_by(_c.c.created_at, _c.c.id))))

    def list_for_asker(self, asker: str, *, status: CheckStatus | None,
                       after: tuple[datetime, str] | None, limit: int) -> list[Regiecheck]:
        query = (select(_c).where((_c.c.asker_tenant_id == asker) & _after(after))
                 .order_by(_c.c.created_at, _c.c.id).limit(limit))
        if status is not None:
            query = query.where(_c.c.status == status.value)
        return self._load(list(self._conn.execute(query)))

    def list_for_partner(self, partner: str, *, status: PartnerStatus | None,
                         after: tuple[datetime, str] | None,
                         limit: int) -> list[tuple[Regiecheck, AskedPartner]]:
        query = (select(_c, *[col.label(f"p_{col.name}") for col in _p.c])
                 .join(_p, _p.c.regiecheck_id == _c.c.id)
                 .where((_p.c.tenant_id == partner) & _after(after))
                 .order_by(_c.c.created_at, _c.c.id).limit(limit))
        if status is not None:
            query = query.where(_p.c.status == status.value)
        found = []
        for row in self._conn.execute(query):
            own = _partner(_Prefixed(row))
            found.append((_check(row, [own]), own))
        return found

    def record_answer(self, regiecheck_id: str, partner: AskedPartner) -> None:
        self._conn.execute(update(_p).where(
            (_p.c.regiecheck_id == regiecheck_id) & (_p.c.tenant_id == partner.tenant_id))
            .values(status=partner.status.value, answered_at=partner.answered_at,
                    late=partner.late, contact=partner.contact,
                    contact_key_version=partner.contact_key_version))

    def set_status(self, check: Regiecheck) -> None:
        self._conn.execute(update(_c).where(_c.c.id == check.id).values(
            status=check.status.value, completed_at=check.completed_at))

    def claim_reminders(self, now: datetime, limit: int) -> list[Due]:
        keys = [tuple(r) for r in self._conn.execute(
            select(_p.c.regiecheck_id, _p.c.tenant_id)
            .where((_p.c.status == PartnerStatus.GEVRAAGD.value) & _p.c.reminded_at.is_(None)
                   & (_p.c.remind_at <= now) & (_p.c.deadline > now))
            .order_by(_p.c.remind_at).limit(limit).with_for_update(skip_locked=True))]
        if not keys:
            return []
        # The WHERE is evaluated again on the locked row: a row another worker claimed (or a
        # partner answered) meanwhile is left out.
        claimed = self._conn.execute(
            update(_p).where(tuple_(_p.c.regiecheck_id, _p.c.tenant_id).in_(keys)
                             & (_p.c.status == PartnerStatus.GEVRAAGD.value)
                             & _p.c.reminded_at.is_(None))
            .values(reminded_at=now).returning(_p.c.regiecheck_id, _p.c.tenant_id, _p.c.deadline)
        ).all()
        askers = self._askers([r.regiecheck_id for r in claimed])
        return sorted((Due(r.regiecheck_id, askers[r.regiecheck_id], r.tenant_id, r.deadline)
                       for r in claimed), key=lambda d: (d.regiecheck_id, d.partner))

    def claim_expired(self, now: datetime, limit: int) -> list[Expired]:
        ids = [r.id for r in self._conn.execute(
            select(_c.c.id).where((_c.c.status == CheckStatus.OPEN.value) & (_c.c.deadline <= now))
            .order_by(_c.c.deadline).limit(limit).with_for_update(skip_locked=True))]
        if not ids:
            return []
        claimed = self._conn.execute(
            update(_c).where(_c.c.id.in_(ids) & (_c.c.status == CheckStatus.OPEN.value))
            .values(status=CheckStatus.VERLOPEN.value, expired_at=now)
            .returning(_c.c.id, _c.c.asker_tenant_id, _c.c.deadline)).all()
        if not claimed:
            return []
        silent: dict[str, list[str]] = defaultdict(list)
        for r in self._conn.execute(
                update(_p).where(_p.c.regiecheck_id.in_([c.id for c in claimed])
                                 & (_p.c.status == PartnerStatus.GEVRAAGD.value))
                .values(status=PartnerStatus.VERLOPEN.value)
                .returning(_p.c.regiecheck_id, _p.c.tenant_id)):
            silent[r.regiecheck_id].append(r.tenant_id)
        return sorted((Expired(c.id, c.asker_tenant_id, c.deadline, tuple(sorted(silent[c.id])))
                       for c in claimed), key=lambda e: e.regiecheck_id)

    def _askers(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        return {r.id: r.asker_tenant_id for r in self._conn.execute(
            select(_c.c.id, _c.c.asker_tenant_id).where(_c.c.id.in_(sorted(set(ids)))))}


class _Prefixed:
    """A joined row read as a partner row (its columns labelled ``p_<name>``)."""

    def __init__(self, row: Any) -> None:
        self._row = row

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, f"p_{name}")
