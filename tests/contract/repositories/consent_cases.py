"""What every adapter of the consent port does alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from consent.errors import ConsentConflict
from consent.model import (
    BegeleideWoning,
    Consent,
    ConsentStatus,
    ContractVorm,
    DataCategory,
    Evidence,
    Provision,
    address_key,
)
from consent.ports import ConsentUnitOfWork
from tenants.model import TenantKind
from tests.contract.repositories.tenants_cases import T0, tenant

CLIENT = "c" * 64


def consent(consent_id: str = "cns_a", version: int = 1, controller: str = "arkin",
            client_ref: str = CLIENT, **changes: object) -> Consent:
    c = Consent(id=consent_id, version=version, client_ref=client_ref, network_id="amsterdam",
                controller=controller,
                provisions=(Provision("permit", tenant_kind=TenantKind.WONINGCORPORATIE),
                            Provision("deny", tenant_id="politie")),
                categories=frozenset({DataCategory.SIGNAAL_OVERLAST}),
                purpose="Signalen delen", necessity="Tijdig bijsturen",
                valid_from=T0, valid_until=T0 + timedelta(days=365),
                evidence=Evidence("ab" * 32, date(2026, 11, 1)), status=ConsentStatus.ACTIVE,
                created_at=T0, version_at=T0)
    return replace(c, **changes)


def woning(woning_id: str, huisnummer: int = 12, zorgaanbieder: str = "arkin",
           huisletter: str | None = None) -> BegeleideWoning:
    return BegeleideWoning(id=woning_id, network_id="amsterdam", postcode="1012AB",
                           huisnummer=huisnummer, huisletter=huisletter, toevoeging=None,
                           zorgaanbieder=zorgaanbieder, client_ref=CLIENT, consent_id="cns_a",
                           contractvorm=ContractVorm.INTERMEDIAIR, omklap_datum=None,
                           created_at=T0)


class ConsentRepositoryContract:
    def create_unit_of_work(self) -> ConsentUnitOfWork:
        raise NotImplementedError

    def _add_tenants(self) -> None:
        """The SQL adapter's consents name tenants that must exist (the consent double alone
        has no tenants)."""
        with self.create_unit_of_work() as uow:
            if hasattr(uow, "tenants"):
                for tenant_id in ("arkin", "cordaan", "ymere"):
                    uow.tenants.add(tenant(tenant_id, TenantKind.ZORGAANBIEDER))
                uow.commit()

    def test_versions_are_appended_in_order_and_a_repeated_version_conflicts(self):
        self._add_tenants()
        with self.create_unit_of_work() as uow:
            uow.consents.add_version(consent())
            uow.commit()
        withdrawn = consent(version=2, status=ConsentStatus.WITHDRAWN, withdrawn_at=T0,
                            withdrawal_reason="ingetrokken", version_at=T0 + timedelta(days=1))
        with self.create_unit_of_work() as uow:
            uow.consents.add_version(withdrawn)
            uow.commit()
        with self.create_unit_of_work() as uow:
            with pytest.raises(ConsentConflict):
                uow.consents.add_version(replace(withdrawn, purpose="Anders"))
        with self.create_unit_of_work() as uow:
            assert uow.consents.latest("cns_a") == withdrawn
            assert [c.version for c in uow.consents.versions("cns_a")] == [1, 2]
            assert uow.consents.versions("cns_a")[0] == consent()
            assert uow.consents.latest("nope") is None and list(uow.consents.versions("nope")) == []

    def test_latest_versions_are_listed_by_id_with_their_filters(self):
        self._add_tenants()
        with self.create_unit_of_work() as uow:
            uow.consents.add_version(consent("cns_a"))
            uow.consents.add_version(consent("cns_b", controller="cordaan", client_ref="d" * 64))
            uow.consents.add_version(consent("cns_c"))
            uow.consents.add_version(consent("cns_c", version=2, status=ConsentStatus.WITHDRAWN))
            uow.commit()
        with self.create_unit_of_work() as uow:
            c = uow.consents
            assert [x.id for x in c.list(after=None, limit=2)] == ["cns_a", "cns_b"]
            assert [x.id for x in c.list(after="cns_a", limit=5)] == ["cns_b", "cns_c"]
            assert [x.id for x in c.list(after=None, limit=5, client_ref="d" * 64)] == ["cns_b"]
            assert [x.id for x in c.list(after=None, limit=5, status=ConsentStatus.WITHDRAWN)] == [
                "cns_c"]
            assert [x.id for x in c.list(after=None, limit=5, visible_to=("cordaan", None))] == [
                "cns_b"]
            assert [x.id for x in c.list(after=None, limit=5, visible_to=(
                "ymere", TenantKind.WONINGCORPORATIE))] == ["cns_a", "cns_b", "cns_c"]
            assert [x.id for x in c.list(after=None, limit=5, visible_to=("politie", None))] == [
                "cns_a", "cns_b", "cns_c"]  # a deny provision names the tenant too
            assert [(x.id, x.version) for x in c.for_client(CLIENT, "amsterdam")] == [
                ("cns_a", 1), ("cns_c", 2)]
            assert list(c.for_client(CLIENT, "utrecht")) == []

    def test_woningen_are_found_by_their_address_key_alone_or_several_at_once(self):
        self._add_tenants()
        with self.create_unit_of_work() as uow:
            uow.consents.add_version(consent())
            uow.woningen.add(woning("w2"))
            uow.woningen.add(woning("w1"))
            uow.woningen.add(woning("w3", huisnummer=14, zorgaanbieder="cordaan", huisletter="a"))
            uow.commit()
        twelve, fourteen = address_key("1012 ab", 12), address_key("1012AB", "14", "A")
        with self.create_unit_of_work() as uow:
            assert uow.woningen.get("w1") == woning("w1")
            assert [w.id for w in uow.woningen.find_by_address(twelve)] == ["w1", "w2"]
            assert list(uow.woningen.find_by_address(twelve, network_id="utrecht")) == []
            found = uow.woningen.find_by_addresses([twelve, fourteen, address_key("9999ZZ", 1)])
            assert {k: [w.id for w in v] for k, v in found.items()} == {
                twelve: ["w1", "w2"], fourteen: ["w3"]}
            assert [w.id for w in uow.woningen.list(after="w1", limit=5)] == ["w2", "w3"]
            assert [w.id for w in uow.woningen.list(after=None, limit=5, zorgaanbieder="cordaan")] \
                == ["w3"]
