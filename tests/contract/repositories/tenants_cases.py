"""What every adapter of the tenants port does alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tenants.model import (
    ApiKey,
    Area,
    Flow,
    LegalBasis,
    Network,
    Party,
    Role,
    Scope,
    Tenant,
    TenantKind,
    TenantStatus,
    User,
)
from tenants.ports import TenantsUnitOfWork

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def tenant(tenant_id: str, kind: TenantKind = TenantKind.MELDPUNT, **extra: object) -> Tenant:
    return Tenant(id=tenant_id, name=f"Tenant {tenant_id}", kind=kind, created_at=T0,
                  updated_at=T0, **extra)


class TenantsRepositoryContract:
    def create_unit_of_work(self) -> TenantsUnitOfWork:
        raise NotImplementedError

    def _add_tenants(self, *ids: str) -> None:
        with self.create_unit_of_work() as uow:
            for tenant_id in ids:
                uow.tenants.add(tenant(tenant_id))
            uow.commit()

    def _add_user(self, user_id: str, email: str, role: Role) -> User:
        self._add_tenants("ymere")
        user = User(id=user_id, tenant_id="ymere", email=email, name=user_id.upper(),
                    roles=frozenset({role}), created_at=T0)
        with self.create_unit_of_work() as uow:
            uow.users.add(user)
            uow.commit()
        return user

    def test_what_is_not_committed_is_gone(self):
        with self.create_unit_of_work() as uow:
            uow.tenants.add(tenant("ymere"))
            assert uow.tenants.get("ymere") is not None
        with self.create_unit_of_work() as uow:
            assert uow.tenants.get("ymere") is None

    def test_tenants_are_listed_by_id_after_a_cursor_and_updated(self):
        self._add_tenants("c", "a", "b")
        with self.create_unit_of_work() as uow:
            uow.tenants.add(tenant("op", TenantKind.OVERIG, is_operator=True))
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert [t.id for t in uow.tenants.list(after=None, limit=2)] == ["a", "b"]
            assert [t.id for t in uow.tenants.list(after="b", limit=10)] == ["c", "op"]
            assert [t.id for t in uow.tenants.list(after=None, limit=10, only="b")] == ["b"]
            assert uow.tenants.operator().id == "op"
            uow.tenants.update(replace(uow.tenants.get("a"), status=TenantStatus.SUSPENDED,
                                       updated_at=T0 + timedelta(hours=1)))
            uow.commit()
        with self.create_unit_of_work() as uow:
            stored = uow.tenants.get("a")
            assert (stored.status, stored.updated_at) == (TenantStatus.SUSPENDED,
                                                         T0 + timedelta(hours=1))

    def test_a_key_is_read_with_its_tenant_revoked_and_touched(self):
        self._add_tenants("ymere")
        key = ApiKey(id="k1", tenant_id="ymere", name="crm",
                     scopes=frozenset({Scope.MESSAGES_SEND}), secret_hash="h" * 64, created_at=T0)
        with self.create_unit_of_work() as uow:
            uow.keys.add(key)
            uow.keys.add(replace(key, id="k0"))
            uow.commit()
        with self.create_unit_of_work() as uow:
            found_key, found_tenant = uow.keys.get_with_tenant("k1")
            assert found_key == key and found_tenant.id == "ymere"
            assert uow.keys.get_with_tenant("nope") is None
            assert [k.id for k in uow.keys.list_for_tenant("ymere", after=None, limit=5)] == [
                "k0", "k1"]
            uow.keys.mark_revoked("k1", T0 + timedelta(minutes=1))
            uow.keys.touch("k1", T0 + timedelta(minutes=2))
            uow.commit()
        with self.create_unit_of_work() as uow:
            stored = uow.keys.get("k1")
            assert stored.revoked_at == T0 + timedelta(minutes=1)
            assert stored.last_used_at == T0 + timedelta(minutes=2)

    def test_networks_keep_their_parties_areas_and_flows_and_are_listed_per_party(self):
        self._add_tenants("mzwo", "ymere", "arkin")
        network = Network(
            id="amsterdam", name="Amsterdam", created_at=T0,
            parties=(Party("mzwo", "meldpunt"), Party("ymere", "woningcorporatie")),
            areas=(Area("mzwo", 1011, 1018),),
            flows=(Flow("nl.ketenhub.signaal.v1", TenantKind.WONINGCORPORATIE,
                        TenantKind.MELDPUNT, LegalBasis.CONVENANT),))
        with self.create_unit_of_work() as uow:
            uow.networks.add(network)
            uow.networks.add(replace(network, id="utrecht", parties=(Party("arkin", "zorg"),),
                                     areas=(), flows=()))
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.networks.get("amsterdam") == network
            assert [n.id for n in uow.networks.list(after=None, limit=5, party="ymere")] == [
                "amsterdam"]
            assert [n.id for n in uow.networks.list(after="amsterdam", limit=5)] == ["utrecht"]
            uow.networks.replace(replace(network, parties=network.parties[:1]))
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.networks.get("amsterdam").parties == (Party("mzwo", "meldpunt"),)

    def test_a_users_email_is_taken_within_its_tenant_only(self):
        self._add_tenants("arkin")
        user = self._add_user("u1", "a@ymere.nl", Role.TENANT_ADMIN)
        with self.create_unit_of_work() as uow:
            assert uow.users.get("u1") == user
            assert uow.users.email_taken("ymere", "a@ymere.nl")
            assert not uow.users.email_taken("arkin", "a@ymere.nl")
            assert [u.id for u in uow.users.list_for_tenant("ymere", after=None, limit=5)] == ["u1"]

    def test_a_users_roles_are_replaced_and_only_when_committed(self):
        self._add_user("u2", "b@ymere.nl", Role.MEDEWERKER)
        with self.create_unit_of_work() as uow:
            uow.users.set_roles("u2", frozenset({Role.PRIVACY_OFFICER, Role.MEDEWERKER}))
        with self.create_unit_of_work() as uow:
            assert uow.users.get("u2").roles == {Role.MEDEWERKER}
            uow.users.set_roles("u2", frozenset({Role.PRIVACY_OFFICER, Role.MEDEWERKER}))
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.users.get("u2").roles == {Role.PRIVACY_OFFICER, Role.MEDEWERKER}
