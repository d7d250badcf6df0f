from __future__ import annotations

from tenants.demo import MELDPUNTEN, NETWORK_ID, PARTNERS, DemoServices, load_demo
from tenants.model import Principal


def test_the_demo_creates_every_named_tenant_with_a_key_and_a_hub_admin_key(svc):
    keys = load_demo(DemoServices(svc.tenants, svc.keys, svc.networks))
    expected = set(MELDPUNTEN) | set(PARTNERS)
    assert set(keys) == expected | {"hub-admin"}
    for tenant_id in expected:
        assert svc.keys.authenticate(keys[tenant_id]).tenant_id == tenant_id
    assert svc.keys.authenticate(keys["hub-admin"]).is_hub_admin


def test_the_demo_network_covers_centrum_with_its_meldpunt_and_lists_step_7(svc):
    load_demo(DemoServices(svc.tenants, svc.keys, svc.networks))
    net = svc.networks.get(Principal.system(), NETWORK_ID)
    assert [a.tenant_id for a in net.areas if a.contains(1012)] == ["mzwo-centrum"]
    standard = {p.tenant_id for p in net.regiecheck_partners if p.standaard and p.tenant_id}
    assert {"politie-amsterdam", "ggd-amsterdam", "jb-ra", "wpi", "madi", "leger-des-heils",
            "samen-doen", "okt", "hvo-querido"} <= standard
    assert any(p.tenant_id == "cordaan" and not p.standaard for p in net.regiecheck_partners)
    assert any(p.tenant_kind == "woningcorporatie" for p in net.regiecheck_partners)
