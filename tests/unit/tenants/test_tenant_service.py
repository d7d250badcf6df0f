from __future__ import annotations

import pytest

from tenants.errors import Conflict, HubAdminOnly, InvalidInput, NotFound
from tenants.model import TenantKind, TenantStatus


def test_a_hub_admin_creates_a_tenant_and_reads_it_back(svc):
    svc.tenant("mzwo-centrum")
    tenant = svc.tenants.get(svc.system, "mzwo-centrum")
    assert tenant.kind is TenantKind.MELDPUNT
    assert tenant.status is TenantStatus.ACTIVE


def test_creating_a_tenant_twice_is_a_conflict_and_changes_nothing(svc):
    svc.tenant("ymere", TenantKind.WONINGCORPORATIE)
    with pytest.raises(Conflict):
        svc.tenants.create(svc.system, tenant_id="ymere", name="Other", kind=TenantKind.GGD)
    assert svc.tenants.get(svc.system, "ymere").kind is TenantKind.WONINGCORPORATIE


@pytest.mark.parametrize("tenant_id", ["Ymere", "-ymere", "ymere-", "ye me", "", "a" * 65])
def test_a_tenant_id_must_be_a_lowercase_slug(svc, tenant_id):
    with pytest.raises(InvalidInput) as err:
        svc.tenants.create(svc.system, tenant_id=tenant_id, name="x", kind=TenantKind.GGD)
    assert err.value.details == [{"field": "/id", "rule": "validation.slug"}]


def test_oin_and_kvk_numbers_are_checked_for_shape(svc):
    with pytest.raises(InvalidInput) as err:
        svc.tenants.create(svc.system, tenant_id="x", name="x", kind=TenantKind.GGD,
                           oin="123", kvk="12ab5678")
    assert {d["field"] for d in err.value.details} == {"/oin", "/kvk"}


def test_a_tenant_admin_cannot_create_tenants(svc):
    svc.tenant("ymere", TenantKind.WONINGCORPORATIE)
    with pytest.raises(HubAdminOnly):
        svc.tenants.create(svc.admin_of("ymere"), tenant_id="new", name="n", kind=TenantKind.GGD)


def test_another_tenant_is_not_found_rather_than_forbidden(svc):
    svc.tenant("ymere", TenantKind.WONINGCORPORATIE)
    svc.tenant("arkin", TenantKind.ZORGAANBIEDER)
    with pytest.raises(NotFound):
        svc.tenants.get(svc.admin_of("ymere"), "arkin")
    with pytest.raises(NotFound):
        svc.tenants.suspend(svc.admin_of("ymere"), "arkin")


def test_a_tenant_admin_lists_only_its_own_tenant(svc):
    for tid in ("a-one", "b-two", "c-three"):
        svc.tenant(tid)
    page = svc.tenants.list(svc.admin_of("b-two"))
    assert [t.id for t in page.items] == ["b-two"]


def test_listing_pages_through_every_tenant_once(svc):
    ids = [f"t{i:02d}" for i in range(7)]
    for tid in ids:
        svc.tenant(tid)
    seen, cursor = [], None
    while True:
        page = svc.tenants.list(svc.system, after=cursor, limit=3)
        seen += [t.id for t in page.items]
        if page.next is None:
            break
        cursor = page.next
    assert seen == ids


def test_suspending_changes_status_and_timestamp(svc):
    svc.tenant("ymere", TenantKind.WONINGCORPORATIE)
    before = svc.tenants.get(svc.system, "ymere")
    svc.clock.advance(minutes=5)
    after = svc.tenants.suspend(svc.system, "ymere")
    assert after.status is TenantStatus.SUSPENDED
    assert after.updated_at > before.updated_at
    assert svc.tenants.activate(svc.system, "ymere").status is TenantStatus.ACTIVE


def test_only_one_operator_tenant_may_exist(svc):
    svc.tenants.create(svc.system, tenant_id="ketenhub", name="b", kind=TenantKind.OVERIG,
                       is_operator=True)
    with pytest.raises(Conflict):
        svc.tenants.create(svc.system, tenant_id="other", name="b", kind=TenantKind.OVERIG,
                           is_operator=True)
