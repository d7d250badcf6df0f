from __future__ import annotations

import pytest

from tenants.errors import Conflict, HubAdminOnly, InvalidInput, NotFound, StaleVersion
from tenants.memory import MemoryUnitOfWork
from tenants.model import Area, Flow, LegalBasis, Party, RegiecheckPartner, TenantKind
from tenants.services import NetworkSpec
from tenants.services.networks import version_of

K = TenantKind


@pytest.fixture
def parties(svc):
    svc.tenant("mzwo-centrum", K.MELDPUNT)
    svc.tenant("mzwo-noord", K.MELDPUNT)
    svc.tenant("ymere", K.WONINGCORPORATIE)
    svc.tenant("outsider", K.GGD)
    return (Party("mzwo-centrum", "meldpunt"), Party("mzwo-noord", "meldpunt"),
            Party("ymere", "woningcorporatie"))


def _spec(parties, **kw):
    base = dict(id="amsterdam", name="Convenant", parties=parties,
                areas=(Area("mzwo-centrum", 1011, 1018), Area("mzwo-noord", 1020, 1039)),
                regiecheck_partners=(RegiecheckPartner("ymere"),),
                flows=(Flow("nl.ketenhub.signaal.v1", K.WONINGCORPORATIE, K.MELDPUNT,
                            LegalBasis.CONVENANT),))
    base.update(kw)
    return NetworkSpec(**base)


def test_a_network_is_stored_with_parties_areas_list_and_flows(svc, parties):
    svc.networks.create(svc.system, _spec(parties))
    net = svc.networks.get(svc.system, "amsterdam")
    assert net.party_ids() == {"mzwo-centrum", "mzwo-noord", "ymere"}
    assert [a.tenant_id for a in net.areas if a.contains(1012)] == ["mzwo-centrum"]
    assert net.flows[0].basis is LegalBasis.CONVENANT


def test_a_party_that_is_no_tenant_is_refused_with_its_pointer(svc, parties):
    with pytest.raises(InvalidInput) as err:
        svc.networks.create(svc.system, _spec(parties + (Party("ghost", "x"),)))
    assert {"field": "/parties/3/tenant_id", "rule": "validation.unknown_tenant"} in err.value.details


def test_overlapping_areas_are_refused(svc, parties):
    areas = (Area("mzwo-centrum", 1011, 1020), Area("mzwo-noord", 1020, 1039))
    with pytest.raises(InvalidInput) as err:
        svc.networks.create(svc.system, _spec(parties, areas=areas))
    assert any(d["rule"] == "validation.pc4_overlap" for d in err.value.details)


def test_an_area_must_belong_to_a_meldpunt_party(svc, parties):
    with pytest.raises(InvalidInput) as err:
        svc.networks.create(svc.system, _spec(parties, areas=(Area("ymere", 1011, 1018),)))
    assert err.value.details[0]["rule"] == "validation.not_a_meldpunt_party"


def test_a_regiecheck_partner_must_be_a_party(svc, parties):
    with pytest.raises(InvalidInput):
        svc.networks.create(svc.system, _spec(
            parties, regiecheck_partners=(RegiecheckPartner("outsider"),)))


def test_the_toewijzingsadvies_is_kept_and_names_parties_or_kinds_only(svc, parties):
    from tenants.model import Toewijzingsadvies

    advies = (Toewijzingsadvies("stank", "ymere"),
              Toewijzingsadvies("geluid", tenant_kind=K.POLITIE))
    svc.networks.create(svc.system, _spec(parties, toewijzingsadvies=advies))
    assert svc.networks.get(svc.system, "amsterdam").toewijzingsadvies == advies
    with pytest.raises(InvalidInput) as err:
        svc.networks.create(svc.system, _spec(parties, id="elders", toewijzingsadvies=(
            Toewijzingsadvies("stank", "outsider"), Toewijzingsadvies("stank"))))
    assert err.value.details == [
        {"field": "/toewijzingsadvies/0/tenant_id", "rule": "validation.not_a_party"},
        {"field": "/toewijzingsadvies/1", "rule": "validation.tenant_or_kind"}]


def test_a_validity_that_ends_before_it_starts_is_refused(svc, parties):
    from datetime import date

    with pytest.raises(InvalidInput):
        svc.networks.create(svc.system, _spec(parties, valid_from=date(2027, 1, 1),
                                              valid_until=date(2026, 1, 1)))


def test_only_parties_see_a_network(svc, parties):
    svc.networks.create(svc.system, _spec(parties))
    assert svc.networks.get(svc.admin_of("ymere"), "amsterdam").id == "amsterdam"
    with pytest.raises(NotFound):
        svc.networks.get(svc.admin_of("outsider"), "amsterdam")
    assert svc.networks.list(svc.admin_of("outsider")).items == []


def test_tenant_admins_cannot_create_or_replace_networks(svc, parties):
    with pytest.raises(HubAdminOnly):
        svc.networks.create(svc.admin_of("ymere"), _spec(parties))


def test_replacing_a_network_swaps_its_definition(svc, parties):
    svc.networks.create(svc.system, _spec(parties))
    svc.networks.replace(svc.system, _spec(parties[:2], regiecheck_partners=(),
                                           name="Nieuw"))
    net = svc.networks.get(svc.system, "amsterdam")
    assert net.name == "Nieuw" and "ymere" not in net.party_ids()


def test_a_party_is_onboarded_alone_and_the_rest_of_the_convenant_stays(svc, parties):
    svc.networks.create(svc.system, _spec(parties[:2], regiecheck_partners=()))
    before = svc.networks.get(svc.system, "amsterdam")
    after = svc.networks.add_party(svc.system, "amsterdam", parties[2],
                                   if_version=version_of(before))
    assert after.party_ids() == {"mzwo-centrum", "mzwo-noord", "ymere"}
    assert after.areas == before.areas and after.flows == before.flows
    assert version_of(after) != version_of(before)
    with MemoryUnitOfWork(svc.store) as uow:
        entry = [e for e in uow.audit.entries if e["action"] == "network.party_added"][0]
    assert entry["facts"]["tenant_id"] == "ymere"


def test_a_change_on_a_stale_version_is_refused_and_nothing_is_lost(svc, parties):
    svc.networks.create(svc.system, _spec(parties[:2], regiecheck_partners=()))
    read = version_of(svc.networks.get(svc.system, "amsterdam"))
    svc.networks.add_party(svc.system, "amsterdam", parties[2], if_version=read)
    with pytest.raises(StaleVersion):
        svc.networks.add_party(svc.system, "amsterdam", Party("outsider", "ggd"), if_version=read)
    with pytest.raises(StaleVersion):
        svc.networks.replace(svc.system, _spec(parties[:1], areas=()), if_version=read)
    assert svc.networks.get(svc.system, "amsterdam").party_ids() == {
        "mzwo-centrum", "mzwo-noord", "ymere"}


def test_a_party_already_in_the_network_is_not_added_twice(svc, parties):
    svc.networks.create(svc.system, _spec(parties))
    with pytest.raises(Conflict):
        svc.networks.add_party(svc.system, "amsterdam", Party("ymere", "woningcorporatie"))


def test_removing_a_party_drops_its_regiecheck_place_but_one_holding_an_area_stays(svc, parties):
    svc.networks.create(svc.system, _spec(parties))
    after = svc.networks.remove_party(svc.system, "amsterdam", "ymere")
    assert "ymere" not in after.party_ids() and after.regiecheck_partners == ()
    with pytest.raises(Conflict):
        svc.networks.remove_party(svc.system, "amsterdam", "mzwo-noord")
    with pytest.raises(NotFound):
        svc.networks.remove_party(svc.system, "amsterdam", "ymere")
    assert "mzwo-noord" in svc.networks.get(svc.system, "amsterdam").party_ids()


def test_a_tenant_admin_cannot_add_or_remove_parties(svc, parties):
    svc.networks.create(svc.system, _spec(parties))
    with pytest.raises(HubAdminOnly):
        svc.networks.add_party(svc.admin_of("ymere"), "amsterdam", Party("outsider", "ggd"))
    with pytest.raises(NotFound):
        svc.networks.remove_party(svc.admin_of("outsider"), "amsterdam", "ymere")
