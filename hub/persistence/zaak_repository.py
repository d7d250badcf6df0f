"""SQL adapter for zaken and their items."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, exists, insert, or_, select, tuple_, update

from hub.delivery.model import INBOX
from hub.flows.zaken.model import Via, Zaak, ZaakItem, ZaakStatus
from hub.flows.zaken.ports import DeliveryFacts, ZaakRepository
from hub.persistence import tables as t

_z, _i, _m, _d = t.zaken, t.zaak_items, t.messages, t.deliveries
#: Built once (the intake asks it per transaction); newest first, so the first row per
#: (meldpunt, address) is the one asked for. The pairs not asked for are dropped after.
_OPEN_AT_ADDRESSES = (select(_z).where(
    _z.c.address_key.in_(bindparam("keys", expanding=True))
    & _z.c.meldpunt.in_(bindparam("meldpunten", expanding=True))
    & (_z.c.status == ZaakStatus.OPEN.value))
    .order_by(_z.c.opened_at.desc(), _z.c.id.desc()))


def _zaak(row: Any) -> Zaak:
    return Zaak(id=row.id, meldpunt=row.meldpunt, kenmerk=row.kenmerk,
                status=ZaakStatus(row.status), opened_at=row.opened_at, closed_at=row.closed_at,
                reden_afsluiting=row.reden_afsluiting, address_key=row.address_key,
                shredded_at=row.shredded_at)


def _row(zaak: Zaak) -> dict:
    return {"id": zaak.id, "meldpunt": zaak.meldpunt, "kenmerk": zaak.kenmerk,
            "status": zaak.status.value, "opened_at": zaak.opened_at, "closed_at": zaak.closed_at,
            "reden_afsluiting": zaak.reden_afsluiting, "address_key": zaak.address_key}


def _page_after(query: Any, after: str | None) -> Any:
    """Newest first; ``after`` is ``opened_at|id`` of the last row of the previous page."""
    query = query.order_by(_z.c.opened_at.desc(), _z.c.id.desc())
    if after and "|" in after:
        at, zaak_id = after.rsplit("|", 1)
        try:
            when = datetime.fromisoformat(at)
        except ValueError:
            return query
        query = query.where(tuple_(_z.c.opened_at, _z.c.id) < tuple_(when, zaak_id))
    return query


def _took_part(tenant: str) -> Any:
    """The zaak has an item that ``tenant`` sent or received, or a regiecheck that asked it."""
    received = exists().where((_d.c.message_id == _m.c.id) & (_d.c.recipient_tenant_id == tenant))
    c, p = t.regiechecks, t.regiecheck_partners
    asked = exists().where(
        (c.c.asker_tenant_id == _z.c.meldpunt) & (c.c.zaak_kenmerk == _z.c.kenmerk)
        & (c.c.created_at >= _z.c.opened_at) & (p.c.regiecheck_id == c.c.id)
        & (p.c.tenant_id == tenant))
    return or_(exists(select(_i.c.message_id).join(_m, _m.c.id == _i.c.message_id).where(
        (_i.c.zaak_id == _z.c.id) & or_(_m.c.sender_tenant_id == tenant, received))), asked)


class SqlZaakRepository(ZaakRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def latest(self, meldpunt: str, kenmerk: str) -> Zaak | None:
        row = self._conn.execute(select(_z).where(
            (_z.c.meldpunt == meldpunt) & (_z.c.kenmerk == kenmerk))
            .order_by(_z.c.opened_at.desc(), _z.c.id.desc()).limit(1)).first()
        return _zaak(row) if row else None

    def get(self, zaak_id: str) -> Zaak | None:
        row = self._conn.execute(select(_z).where(_z.c.id == zaak_id)).first()
        return _zaak(row) if row else None

    def add(self, zaak: Zaak) -> None:
        self._conn.execute(insert(_z).values(**_row(zaak)))

    def update(self, zaak: Zaak) -> None:
        values = _row(zaak)
        del values["id"]
        self._conn.execute(update(_z).where(_z.c.id == zaak.id).values(**values))

    def add_item(self, item: ZaakItem) -> bool:
        present = self._conn.execute(select(_i.c.zaak_id).where(
            (_i.c.zaak_id == item.zaak_id) & (_i.c.message_id == item.message_id))).first()
        if present:
            return False
        self._conn.execute(insert(_i).values(
            zaak_id=item.zaak_id, message_id=item.message_id, added_at=item.added_at,
            via=item.via.value, facts=json.dumps(item.facts, sort_keys=True)))
        return True

    def items(self, zaak_id: str) -> list[ZaakItem]:
        rows = self._conn.execute(select(_i).where(_i.c.zaak_id == zaak_id)
                                  .order_by(_i.c.id))
        return [ZaakItem(r.zaak_id, r.message_id, r.added_at, Via(r.via), json.loads(r.facts))
                for r in rows]

    def zaken_of_messages(self, message_ids: Sequence[str]) -> dict[str, list[Zaak]]:
        if not message_ids:
            return {}
        rows = self._conn.execute(select(_i.c.message_id, _z).join(_z, _z.c.id == _i.c.zaak_id)
                                  .where(_i.c.message_id.in_(sorted(set(message_ids)))))
        found: dict[str, list[Zaak]] = {}
        for r in rows:
            found.setdefault(r.message_id, []).append(_zaak(r))
        return found

    def list_for_meldpunt(self, meldpunt: str, status: ZaakStatus | None, after: str | None,
                          limit: int) -> list[Zaak]:
        query = select(_z).where(_z.c.meldpunt == meldpunt)
        if status:
            query = query.where(_z.c.status == status.value)
        return [_zaak(r) for r in self._conn.execute(_page_after(query, after).limit(limit))]

    def list_for_partner(self, tenant: str, status: ZaakStatus | None, after: str | None,
                         limit: int) -> list[Zaak]:
        query = select(_z).where(_took_part(tenant))
        if status:
            query = query.where(_z.c.status == status.value)
        return [_zaak(r) for r in self._conn.execute(_page_after(query, after).limit(limit))]

    def for_partner(self, tenant: str, kenmerk: str) -> Zaak | None:
        row = self._conn.execute(select(_z).where((_z.c.kenmerk == kenmerk) & _took_part(tenant))
                                 .order_by(_z.c.opened_at.desc(), _z.c.id.desc()).limit(1)).first()
        return _zaak(row) if row else None

    def open_at_addresses(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Zaak]:
        wanted: set[tuple[str, str]] = set(keys)
        if not wanted:
            return {}
        found: dict[tuple[str, str], Zaak] = {}
        for row in self._conn.execute(_OPEN_AT_ADDRESSES, {
                "meldpunten": sorted({m for m, _ in wanted}),
                "keys": sorted({k for _, k in wanted})}):
            if (row.meldpunt, row.address_key) in wanted:
                found.setdefault((row.meldpunt, row.address_key), _zaak(row))
        return found

    def deliveries_of(self, message_ids: Sequence[str]) -> list[DeliveryFacts]:
        if not message_ids:
            return []
        rows = self._conn.execute(select(
            _d.c.message_id, _d.c.recipient_tenant_id, _d.c.status, _d.c.delivered_at,
            _d.c.acknowledged_at, _d.c.deadline).where(
            _d.c.message_id.in_(sorted(set(message_ids))) & (_d.c.connector == INBOX)))
        return [DeliveryFacts(r.message_id, r.recipient_tenant_id, r.status, r.delivered_at,
                              r.acknowledged_at, r.deadline) for r in rows]

    def participants(self, zaak_id: str, signaal_type: str, toewijzing_type: str) -> list[str]:
        in_zaak = select(_i.c.message_id).where(_i.c.zaak_id == zaak_id)
        senders = select(_m.c.sender_tenant_id).where(
            _m.c.id.in_(in_zaak) & (_m.c.type == signaal_type))
        assignees = select(_d.c.recipient_tenant_id).join(_m, _m.c.id == _d.c.message_id).where(
            and_(_m.c.id.in_(in_zaak), _m.c.type == toewijzing_type))
        found = {r[0] for r in self._conn.execute(senders)}
        found |= {r[0] for r in self._conn.execute(assignees)}
        return sorted(found)
