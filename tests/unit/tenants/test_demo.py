from __future__ import annotations

from tenants import demo_utrecht
from tenants.demo import (
    MELDPUNTEN,
    NETWORK_ID,
    PARTNERS,
    VEILIGHEIDSCOORDINATOREN,
    DemoServices,
    load_demo,
)
from tenants.model import Principal

COORDINATORS = {vc for vc, _ in VEILIGHEIDSCOORDINATOREN.values()}


def test_the_demo_creates_every_named_tenant_with_a_key_and_a_hub_admin_key(svc):
    keys = load_demo(DemoServices(svc.tenants, svc.keys, svc.networks))
    expected = set(MELDPUNTEN) | set(PARTNERS) | COORDINATORS | set(demo_utrecht.TENANTS)
    assert set(keys) == expected | {"hub-admin"}
    for tenant_id in expected:
        assert svc.keys.authenticate(keys[tenant_id]).tenant_id == tenant_id
    assert svc.keys.authenticate(keys["hub-admin"]).is_hub_admin


def test_the_demo_network_covers_centrum_with_its_meldpunt_and_lists_step_7(svc):
    load_demo(DemoServices(svc.tenants, svc.keys, svc.networks))
    net = svc.networks.get(Principal.system(), NETWORK_ID)
    assert [(a.tenant_id, a.veiligheidscoordinator) for a in net.areas if a.contains(1012)] == [
        ("mzwo-centrum", "vc-centrum")]
    assert {a.veiligheidscoordinator for a in net.areas} == COORDINATORS <= net.party_ids()
    standard = {p.tenant_id for p in net.regiecheck_partners if p.standaard and p.tenant_id}
    assert {"politie-amsterdam", "ggd-amsterdam", "jb-ra", "wpi", "madi", "leger-des-heils",
            "samen-doen", "okt", "hvo-querido"} <= standard
    assert any(p.tenant_id == "cordaan" and not p.standaard for p in net.regiecheck_partners)
    assert any(p.tenant_kind == "woningcorporatie" for p in net.regiecheck_partners)


def test_the_utrecht_network_sits_next_to_amsterdam_with_u_centraal_and_its_terms(svc):
    load_demo(DemoServices(svc.tenants, svc.keys, svc.networks))
    net = svc.networks.get(Principal.system(), demo_utrecht.NETWORK_ID)
    parties = net.party_ids()
    assert {"mitros", "portaal", "bo-ex", "groenwest", "ssh", "politie-utrecht",
            "utrecht-volksgezondheid", "utrecht-oov", "victas", "altrecht", "lister",
            "u-centraal", "buurtteam-sociaal", "buurtteam-jeugd-gezin"} == parties
    assert [a.tenant_id for a in net.areas if a.contains(3511)] == ["u-centraal"]
    assert net.termijn("aanmelding").werkdagen == 5
    assert net.termijn("toestemmingsverzoek").werkdagen == 3
    amsterdam = svc.networks.get(Principal.system(), NETWORK_ID)
    assert amsterdam.termijn("signaal_zorgaanbieder").werkdagen == 2
    assert amsterdam.termijn("aanmelding") is None
    assert net.termijn("toewijzing").werkdagen == amsterdam.termijn("toewijzing").werkdagen == 2
    assert not parties & amsterdam.party_ids()


def test_every_demo_tenant_has_its_own_oin_and_kvk_and_the_source_helper_names_it(svc):
    from consent.privacy import PrivacyGuard
    from tenants.demo import demo_kvk, demo_oin, source_for

    load_demo(DemoServices(svc.tenants, svc.keys, svc.networks))
    tenants = svc.tenants.list(Principal.system(), limit=500).items
    assert set(MELDPUNTEN) | set(PARTNERS) <= {t.id for t in tenants}
    assert all(t.kvk == demo_kvk(t.id) and t.oin == demo_oin(t.id) for t in tenants)
    assert len({t.kvk for t in tenants}) == len({t.oin for t in tenants}) == len(tenants)
    ymere = next(t for t in tenants if t.id == "ymere")
    assert source_for("ymere") == f"urn:nld:kvk:{ymere.kvk}:systeem:crm"
    # No demo KvK-nummer or OIN reads as a BSN to the privacy guard.
    guard = PrivacyGuard.default()
    assert guard.scan({"kvk": [t.kvk for t in tenants], "oin": [t.oin for t in tenants]}).ok

