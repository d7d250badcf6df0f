"""SQL adapters of the consent ports. Append-only consent versions; no identity fields."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, exists, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from consent.errors import ConsentConflict
from consent.model import (
    BegeleideWoning,
    Consent,
    ConsentStatus,
    ContractVorm,
    DataCategory,
    Evidence,
    Provision,
)
from consent.ports import BegeleideWoningRepository, ConsentRepository
from hub.persistence import tables as t
from tenants.model import TenantKind

cv, cp = t.consent_versions, t.consent_provisions
bw = t.begeleide_woningen

#: Built once: every delivery re-check and every intake about a begeleide woning runs these,
#: and building a statement costs more client CPU than the indexed query itself.
_FOR_CLIENT = (
    select(cv, cp.c.position.label("p_position"), cp.c.effect.label("p_effect"),
           cp.c.tenant_id.label("p_tenant_id"), cp.c.tenant_kind.label("p_tenant_kind"))
    .select_from(cv.outerjoin(cp, (cp.c.consent_id == cv.c.id) & (cp.c.version == cv.c.version)))
    .where((cv.c.client_ref == bindparam("ref")) & (cv.c.network_id == bindparam("net"))
           & cv.c.is_latest.is_(True))
    .order_by(cv.c.id, cp.c.position))
_BY_ADDRESS = select(bw).where(bw.c.address_key == bindparam("key")).order_by(bw.c.id)
_BY_ADDRESSES = (select(bw).where(bw.c.address_key.in_(bindparam("keys", expanding=True)))
                 .order_by(bw.c.id))
_BY_ADDRESS_IN_NETWORK = (select(bw).where((bw.c.address_key == bindparam("key"))
                                           & (bw.c.network_id == bindparam("net")))
                          .order_by(bw.c.id))


def _consent(row: Any, provisions: list[Provision]) -> Consent:
    return Consent(
        id=row.id, version=row.version, client_ref=row.client_ref, network_id=row.network_id,
        controller=row.controller, provisions=tuple(provisions),
        categories=frozenset(DataCategory(c) for c in row.categories.split()),
        purpose=row.purpose, necessity=row.necessity, valid_from=row.valid_from,
        valid_until=row.valid_until,
        evidence=Evidence(sha256=row.evidence_sha256, signed_on=row.evidence_signed_on),
        status=ConsentStatus(row.status), created_at=row.created_at,
        withdrawn_at=row.withdrawn_at, withdrawal_reason=row.withdrawal_reason,
        version_at=row.version_at)


class SqlConsentRepository(ConsentRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_version(self, c: Consent) -> None:
        try:
            with self._conn.begin_nested():
                self._conn.execute(insert(cv).values(
                    id=c.id, version=c.version, is_latest=True, client_ref=c.client_ref,
                    network_id=c.network_id, controller=c.controller,
                    categories=" ".join(sorted(x.value for x in c.categories)),
                    purpose=c.purpose, necessity=c.necessity, valid_from=c.valid_from,
                    valid_until=c.valid_until, evidence_sha256=c.evidence.sha256,
                    evidence_signed_on=c.evidence.signed_on, status=c.status.value,
                    created_at=c.created_at, version_at=c.version_at,
                    withdrawn_at=c.withdrawn_at, withdrawal_reason=c.withdrawal_reason))
        except IntegrityError as exc:
            raise ConsentConflict() from exc
        self._conn.execute(update(cv).where((cv.c.id == c.id) & (cv.c.version < c.version)
                                            & cv.c.is_latest.is_(True)).values(is_latest=False))
        if c.provisions:
            self._conn.execute(insert(cp), [
                {"consent_id": c.id, "version": c.version, "position": i, "effect": p.effect,
                 "tenant_id": p.tenant_id,
                 "tenant_kind": p.tenant_kind.value if p.tenant_kind else None}
                for i, p in enumerate(c.provisions)])

    def _load(self, rows: list[Any]) -> list[Consent]:
        if not rows:
            return []
        keys = {(r.id, r.version) for r in rows}
        provisions: dict[tuple[str, int], list[Provision]] = defaultdict(list)
        ids = sorted({r.id for r in rows})
        for p in self._conn.execute(select(cp).where(cp.c.consent_id.in_(ids))
                                    .order_by(cp.c.consent_id, cp.c.version, cp.c.position)):
            if (p.consent_id, p.version) in keys:
                provisions[(p.consent_id, p.version)].append(Provision(
                    effect=p.effect, tenant_id=p.tenant_id,
                    tenant_kind=TenantKind(p.tenant_kind) if p.tenant_kind else None))
        return [_consent(r, provisions[(r.id, r.version)]) for r in rows]

    def latest(self, consent_id: str) -> Consent | None:
        rows = self._load(list(self._conn.execute(
            select(cv).where((cv.c.id == consent_id) & cv.c.is_latest.is_(True)))))
        return rows[0] if rows else None

    def versions(self, consent_id: str) -> Sequence[Consent]:
        return self._load(list(self._conn.execute(
            select(cv).where(cv.c.id == consent_id).order_by(cv.c.version))))

    def list(self, *, after: str | None, limit: int, client_ref: str | None = None,
             status: ConsentStatus | None = None,
             visible_to: tuple[str, TenantKind | None] | None = None) -> Sequence[Consent]:
        query = select(cv).where(cv.c.is_latest.is_(True)).order_by(cv.c.id).limit(limit)
        if after is not None:
            query = query.where(cv.c.id > after)
        if client_ref is not None:
            query = query.where(cv.c.client_ref == client_ref)
        if status is not None:
            query = query.where(cv.c.status == status.value)
        if visible_to is not None:
            tenant_id, kind = visible_to
            named = cp.c.tenant_id == tenant_id
            match = or_(named, cp.c.tenant_kind == kind.value) if kind else named
            query = query.where(or_(cv.c.controller == tenant_id, exists().where(and_(
                cp.c.consent_id == cv.c.id, cp.c.version == cv.c.version, match))))
        return self._load(list(self._conn.execute(query)))

    def for_client(self, client_ref: str, network_id: str) -> Sequence[Consent]:
        """One prebuilt query: the latest versions with their provisions joined."""
        heads: dict[str, Any] = {}
        provisions: dict[str, list[Provision]] = defaultdict(list)
        for row in self._conn.execute(_FOR_CLIENT, {"ref": client_ref, "net": network_id}):
            heads.setdefault(row.id, row)
            if row.p_effect is not None:
                provisions[row.id].append(Provision(
                    effect=row.p_effect, tenant_id=row.p_tenant_id,
                    tenant_kind=TenantKind(row.p_tenant_kind) if row.p_tenant_kind else None))
        return [_consent(row, provisions[cid]) for cid, row in heads.items()]


def _woning(r: Any) -> BegeleideWoning:
    return BegeleideWoning(id=r.id, network_id=r.network_id, postcode=r.postcode,
                           huisnummer=r.huisnummer, huisletter=r.huisletter,
                           toevoeging=r.toevoeging, zorgaanbieder=r.zorgaanbieder,
                           client_ref=r.client_ref, consent_id=r.consent_id,
                           contractvorm=ContractVorm(r.contractvorm),
                           omklap_datum=r.omklap_datum, created_at=r.created_at,
                           einde_datum=r.einde_datum)


class SqlBegeleideWoningRepository(BegeleideWoningRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, w: BegeleideWoning) -> None:
        try:
            with self._conn.begin_nested():
                self._conn.execute(insert(t.begeleide_woningen).values(
                    id=w.id, network_id=w.network_id, postcode=w.postcode,
                    huisnummer=w.huisnummer, huisletter=w.huisletter, toevoeging=w.toevoeging,
                    address_key=w.address_key(), zorgaanbieder=w.zorgaanbieder,
                    client_ref=w.client_ref, consent_id=w.consent_id,
                    contractvorm=w.contractvorm.value, omklap_datum=w.omklap_datum,
                    created_at=w.created_at, einde_datum=w.einde_datum))
        except IntegrityError as exc:
            raise ConsentConflict() from exc

    def update(self, w: BegeleideWoning) -> None:
        bw = t.begeleide_woningen
        self._conn.execute(update(bw).where(bw.c.id == w.id).values(
            contractvorm=w.contractvorm.value, omklap_datum=w.omklap_datum,
            einde_datum=w.einde_datum))

    def get(self, woning_id: str) -> BegeleideWoning | None:
        bw = t.begeleide_woningen
        row = self._conn.execute(select(bw).where(bw.c.id == woning_id)).first()
        return _woning(row) if row else None

    def find_by_address(self, address_key: str, *,
                        network_id: str | None = None) -> Sequence[BegeleideWoning]:
        if network_id is None:
            rows = self._conn.execute(_BY_ADDRESS, {"key": address_key})
        else:
            rows = self._conn.execute(_BY_ADDRESS_IN_NETWORK, {"key": address_key, "net": network_id})
        return [_woning(r) for r in rows]

    def find_by_addresses(self, address_keys: Sequence[str]) -> dict[str, list[BegeleideWoning]]:
        """The woningen at each of these addresses, in one query (keys without any are left out)."""
        found: dict[str, list[BegeleideWoning]] = {}
        if address_keys:
            for row in self._conn.execute(_BY_ADDRESSES, {"keys": list(address_keys)}):
                found.setdefault(row.address_key, []).append(_woning(row))
        return found

    def for_clients(self, client_refs: Sequence[str]) -> list[BegeleideWoning]:
        bw = t.begeleide_woningen
        if not client_refs:
            return []
        return [_woning(r) for r in self._conn.execute(
            select(bw).where(bw.c.client_ref.in_(list(client_refs))).order_by(bw.c.id))]

    def list(self, *, after: str | None, limit: int,
             zorgaanbieder: str | None = None) -> Sequence[BegeleideWoning]:
        bw = t.begeleide_woningen
        query = select(bw).order_by(bw.c.id).limit(limit)
        if after is not None:
            query = query.where(bw.c.id > after)
        if zorgaanbieder is not None:
            query = query.where(bw.c.zorgaanbieder == zorgaanbieder)
        return [_woning(r) for r in self._conn.execute(query)]
