"""SQL adapters of the tenants ports."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, delete, exists, insert, select, update

from hub.persistence import tables as t
from tenants.accounts import Credentials
from tenants.model import (
    ApiKey,
    Area,
    Bewaartermijnen,
    Flow,
    LegalBasis,
    Network,
    Party,
    RegiecheckPartner,
    Role,
    Scope,
    Tenant,
    TenantKind,
    TenantStatus,
    TermijnRegel,
    Toewijzingsadvies,
    User,
)
from tenants.ports import ApiKeyRepository, NetworkRepository, TenantRepository, UserRepository
from tenants.verwerkingen import Verwerking


def _tenant(row: Any) -> Tenant:
    return Tenant(id=row.id, name=row.name, kind=TenantKind(row.kind), oin=row.oin, kvk=row.kvk,
                  status=TenantStatus(row.status), is_operator=bool(row.is_operator),
                  alert_email=row.alert_email, created_at=row.created_at, updated_at=row.updated_at)


def _tenant_values(tenant: Tenant) -> dict[str, Any]:
    return {"id": tenant.id, "name": tenant.name, "kind": tenant.kind.value, "oin": tenant.oin,
            "kvk": tenant.kvk, "status": tenant.status.value, "is_operator": tenant.is_operator,
            "alert_email": tenant.alert_email, "created_at": tenant.created_at,
            "updated_at": tenant.updated_at}


class SqlTenantRepository(TenantRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, tenant: Tenant) -> None:
        self._conn.execute(insert(t.tenants).values(**_tenant_values(tenant)))

    def get(self, tenant_id: str) -> Tenant | None:
        row = self._conn.execute(select(t.tenants).where(t.tenants.c.id == tenant_id)).first()
        return _tenant(row) if row else None

    def list(self, *, after: str | None, limit: int, only: str | None = None) -> Sequence[Tenant]:
        query = select(t.tenants).order_by(t.tenants.c.id).limit(limit)
        if after is not None:
            query = query.where(t.tenants.c.id > after)
        if only is not None:
            query = query.where(t.tenants.c.id == only)
        return [_tenant(r) for r in self._conn.execute(query)]

    def update(self, tenant: Tenant) -> None:
        self._conn.execute(update(t.tenants).where(t.tenants.c.id == tenant.id)
                           .values(**_tenant_values(tenant)))

    def operator(self) -> Tenant | None:
        row = self._conn.execute(select(t.tenants).where(t.tenants.c.is_operator.is_(True))).first()
        return _tenant(row) if row else None


def _key(row: Any) -> ApiKey:
    return ApiKey(id=row.id, tenant_id=row.tenant_id, name=row.name,
                  scopes=frozenset(Scope(s) for s in row.scopes.split()),
                  secret_hash=row.secret_hash, created_at=row.created_at,
                  expires_at=row.expires_at, revoked_at=row.revoked_at,
                  last_used_at=row.last_used_at)


class SqlApiKeyRepository(ApiKeyRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, key: ApiKey) -> None:
        self._conn.execute(insert(t.api_keys).values(
            id=key.id, tenant_id=key.tenant_id, name=key.name,
            scopes=" ".join(sorted(s.value for s in key.scopes)), secret_hash=key.secret_hash,
            created_at=key.created_at, expires_at=key.expires_at, revoked_at=key.revoked_at,
            last_used_at=key.last_used_at))

    def get(self, key_id: str) -> ApiKey | None:
        row = self._conn.execute(select(t.api_keys).where(t.api_keys.c.id == key_id)).first()
        return _key(row) if row else None

    def get_with_tenant(self, key_id: str) -> tuple[ApiKey, Tenant] | None:
        k, tt = t.api_keys, t.tenants
        row = self._conn.execute(
            select(k, *[c.label(f"t_{c.name}") for c in tt.c])
            .join(tt, tt.c.id == k.c.tenant_id).where(k.c.id == key_id)).first()
        if row is None:
            return None
        m = row._mapping
        tenant_row = SimpleNamespace(**{c.name: m[f"t_{c.name}"] for c in tt.c})
        return _key(row), _tenant(tenant_row)

    def list_for_tenant(self, tenant_id: str, *, after: str | None, limit: int) -> Sequence[ApiKey]:
        query = (select(t.api_keys).where(t.api_keys.c.tenant_id == tenant_id)
                 .order_by(t.api_keys.c.id).limit(limit))
        if after is not None:
            query = query.where(t.api_keys.c.id > after)
        return [_key(r) for r in self._conn.execute(query)]

    def mark_revoked(self, key_id: str, at: datetime) -> None:
        self._conn.execute(update(t.api_keys).where(t.api_keys.c.id == key_id)
                           .values(revoked_at=at))

    def touch(self, key_id: str, at: datetime) -> None:
        self._conn.execute(update(t.api_keys).where(t.api_keys.c.id == key_id)
                           .values(last_used_at=at))


class SqlNetworkRepository(NetworkRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, network: Network) -> None:
        self._conn.execute(insert(t.networks).values(
            id=network.id, name=network.name, valid_from=network.valid_from,
            valid_until=network.valid_until, created_at=network.created_at,
            regiecheck_termijn_werkdagen=network.regiecheck_termijn_werkdagen,
            bevrijdingsdag=network.bevrijdingsdag,
            verwerkingsregister=_register_text(network),
            bewaartermijnen=_bewaartermijnen_json(network)))
        self._write_children(network)

    def replace(self, network: Network) -> None:
        self._conn.execute(update(t.networks).where(t.networks.c.id == network.id).values(
            name=network.name, valid_from=network.valid_from, valid_until=network.valid_until,
            regiecheck_termijn_werkdagen=network.regiecheck_termijn_werkdagen,
            bevrijdingsdag=network.bevrijdingsdag,
            verwerkingsregister=_register_text(network),
            bewaartermijnen=_bewaartermijnen_json(network)))
        for table in (t.network_parties, t.network_areas, t.network_regiecheck_partners,
                      t.network_flows, t.network_termijnen, t.network_closing_days,
                      t.network_toewijzingsadvies):
            self._conn.execute(delete(table).where(table.c.network_id == network.id))
        self._write_children(network)

    def _write_children(self, n: Network) -> None:
        if n.parties:
            self._conn.execute(insert(t.network_parties), [
                {"network_id": n.id, "tenant_id": p.tenant_id, "role": p.role,
                 "valid_from": p.valid_from, "valid_until": p.valid_until} for p in n.parties])
        if n.areas:
            self._conn.execute(insert(t.network_areas), [
                {"network_id": n.id, "tenant_id": a.tenant_id, "pc4_from": a.pc4_from,
                 "pc4_to": a.pc4_to, "veiligheidscoordinator": a.veiligheidscoordinator}
                for a in n.areas])
        if n.regiecheck_partners:
            self._conn.execute(insert(t.network_regiecheck_partners), [
                {"network_id": n.id, "position": i, "tenant_id": r.tenant_id,
                 "tenant_kind": r.tenant_kind.value if r.tenant_kind else None,
                 "standaard": r.standaard} for i, r in enumerate(n.regiecheck_partners)])
        if n.toewijzingsadvies:
            self._conn.execute(insert(t.network_toewijzingsadvies), [
                {"network_id": n.id, "position": i, "categorie": a.categorie,
                 "tenant_id": a.tenant_id,
                 "tenant_kind": a.tenant_kind.value if a.tenant_kind else None}
                for i, a in enumerate(n.toewijzingsadvies)])
        if n.flows:
            self._conn.execute(insert(t.network_flows), [
                {"network_id": n.id, "message_type": f.message_type, "from_kind": f.from_kind.value,
                 "to_kind": f.to_kind.value, "basis": f.basis.value} for f in n.flows])
        if n.termijnen:
            self._conn.execute(insert(t.network_termijnen), [
                {"network_id": n.id, "flow": r.flow, "werkdagen": r.werkdagen,
                 "gehaald_door": json.dumps(list(r.gehaald_door))} for r in n.termijnen])
        if n.closing_days:
            self._conn.execute(insert(t.network_closing_days), [
                {"network_id": n.id, "day": day} for day in n.closing_days])

    def lock(self, network_id: str) -> None:
        """The network's row locked (``FOR UPDATE`` on PostgreSQL): a second change of the same
        network waits, then reads the version the first one wrote."""
        self._conn.execute(select(t.networks.c.id).where(t.networks.c.id == network_id)
                           .with_for_update())

    def get(self, network_id: str) -> Network | None:
        found = self._load([network_id])
        return found[0] if found else None

    def list(self, *, after: str | None, limit: int, party: str | None = None) -> Sequence[Network]:
        query = select(t.networks.c.id).order_by(t.networks.c.id).limit(limit)
        if after is not None:
            query = query.where(t.networks.c.id > after)
        if party is not None:
            query = query.where(exists().where(
                (t.network_parties.c.network_id == t.networks.c.id)
                & (t.network_parties.c.tenant_id == party)))
        return self._load([r.id for r in self._conn.execute(query)])

    def _load(self, ids: list[str]) -> list[Network]:
        if not ids:
            return []
        c = self._conn
        heads = {r.id: r for r in c.execute(select(t.networks).where(t.networks.c.id.in_(ids)))}
        parties: dict[str, list[Party]] = {i: [] for i in ids}
        for r in c.execute(select(t.network_parties)
                           .where(t.network_parties.c.network_id.in_(ids))
                           .order_by(t.network_parties.c.tenant_id)):
            parties[r.network_id].append(Party(r.tenant_id, r.role, r.valid_from, r.valid_until))
        areas: dict[str, list[Area]] = {i: [] for i in ids}
        for r in c.execute(select(t.network_areas).where(t.network_areas.c.network_id.in_(ids))
                           .order_by(t.network_areas.c.pc4_from)):
            areas[r.network_id].append(Area(r.tenant_id, r.pc4_from, r.pc4_to,
                                            r.veiligheidscoordinator))
        partners: dict[str, list[RegiecheckPartner]] = {i: [] for i in ids}
        rp = t.network_regiecheck_partners
        for r in c.execute(select(rp).where(rp.c.network_id.in_(ids)).order_by(rp.c.position)):
            partners[r.network_id].append(RegiecheckPartner(
                r.tenant_id, TenantKind(r.tenant_kind) if r.tenant_kind else None, r.standaard))
        flows: dict[str, list[Flow]] = {i: [] for i in ids}
        for r in c.execute(select(t.network_flows).where(t.network_flows.c.network_id.in_(ids))
                           .order_by(t.network_flows.c.id)):
            flows[r.network_id].append(Flow(r.message_type, TenantKind(r.from_kind),
                                            TenantKind(r.to_kind), LegalBasis(r.basis)))
        termijnen: dict[str, list[TermijnRegel]] = {i: [] for i in ids}
        nt = t.network_termijnen
        for r in c.execute(select(nt).where(nt.c.network_id.in_(ids)).order_by(nt.c.flow)):
            termijnen[r.network_id].append(
                TermijnRegel(r.flow, r.werkdagen, tuple(json.loads(r.gehaald_door))))
        closing: dict[str, list[date]] = {i: [] for i in ids}
        cd = t.network_closing_days
        for r in c.execute(select(cd).where(cd.c.network_id.in_(ids)).order_by(cd.c.day)):
            closing[r.network_id].append(r.day)
        advies: dict[str, list[Toewijzingsadvies]] = {i: [] for i in ids}
        ta = t.network_toewijzingsadvies
        for r in c.execute(select(ta).where(ta.c.network_id.in_(ids)).order_by(ta.c.position)):
            advies[r.network_id].append(Toewijzingsadvies(
                r.categorie, r.tenant_id, TenantKind(r.tenant_kind) if r.tenant_kind else None))
        return [Network(id=i, name=heads[i].name, created_at=heads[i].created_at,
                        valid_from=heads[i].valid_from, valid_until=heads[i].valid_until,
                        parties=tuple(parties[i]), areas=tuple(areas[i]),
                        regiecheck_partners=tuple(partners[i]), flows=tuple(flows[i]),
                        regiecheck_termijn_werkdagen=heads[i].regiecheck_termijn_werkdagen,
                        termijnen=tuple(termijnen[i]), closing_days=tuple(closing[i]),
                        bevrijdingsdag=heads[i].bevrijdingsdag,
                        toewijzingsadvies=tuple(advies[i]),
                        verwerkingsregister=_register(heads[i].verwerkingsregister),
                        bewaartermijnen=Bewaartermijnen(**json.loads(
                            heads[i].bewaartermijnen or "{}")))
                for i in ids if i in heads]


def _bewaartermijnen_json(network: Network) -> str | None:
    """Stored only when the network sets other than the defaults (NULL: the defaults)."""
    if network.bewaartermijnen == Bewaartermijnen():
        return None
    return json.dumps(network.bewaartermijnen.to_dict(), sort_keys=True)


def _user(row: Any) -> User:
    return User(id=row.id, tenant_id=row.tenant_id, email=row.email, name=row.name,
                roles=frozenset(Role(r) for r in row.roles.split()), created_at=row.created_at)


class SqlUserRepository(UserRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, user: User) -> None:
        self._conn.execute(insert(t.users).values(
            id=user.id, tenant_id=user.tenant_id, email=user.email, name=user.name,
            roles=" ".join(sorted(r.value for r in user.roles)), created_at=user.created_at))

    def get(self, user_id: str) -> User | None:
        row = self._conn.execute(select(t.users).where(t.users.c.id == user_id)).first()
        return _user(row) if row else None

    def list_for_tenant(self, tenant_id: str, *, after: str | None, limit: int) -> Sequence[User]:
        query = (select(t.users).where(t.users.c.tenant_id == tenant_id)
                 .order_by(t.users.c.id).limit(limit))
        if after is not None:
            query = query.where(t.users.c.id > after)
        return [_user(r) for r in self._conn.execute(query)]

    def email_taken(self, tenant_id: str, email: str) -> bool:
        return self._conn.execute(select(t.users.c.id).where(
            (t.users.c.tenant_id == tenant_id) & (t.users.c.email == email))).first() is not None

    def set_roles(self, user_id: str, roles: frozenset[Role]) -> None:
        self._conn.execute(update(t.users).where(t.users.c.id == user_id).values(
            roles=" ".join(sorted(r.value for r in roles))))

    def by_username(self, username: str) -> User | None:
        row = self._conn.execute(select(t.users).where(t.users.c.username == username)).first()
        return _user(row) if row else None

    def credentials(self, user_id: str) -> Credentials | None:
        u = t.users
        row = self._conn.execute(select(
            u.c.id, u.c.username, u.c.password_hash, u.c.totp_secret, u.c.totp_last_step,
            u.c.failed_logins, u.c.locked_until).where(u.c.id == user_id)).first()
        if row is None:
            return None
        return Credentials(user_id=row.id, username=row.username, password_hash=row.password_hash,
                           totp_secret=row.totp_secret, totp_last_step=row.totp_last_step,
                           failed_logins=row.failed_logins, locked_until=row.locked_until)

    def save_credentials(self, credentials: Credentials) -> None:
        c = credentials
        self._conn.execute(update(t.users).where(t.users.c.id == c.user_id).values(
            username=c.username, password_hash=c.password_hash, totp_secret=c.totp_secret,
            totp_last_step=c.totp_last_step, failed_logins=c.failed_logins,
            locked_until=c.locked_until))


def _register_text(network: Network) -> str | None:
    if not network.verwerkingsregister:
        return None
    return json.dumps([v.to_dict() for v in network.verwerkingsregister], sort_keys=True)


def _register(text: str | None) -> tuple[Verwerking, ...]:
    return tuple(Verwerking.from_dict(raw) for raw in json.loads(text)) if text else ()
