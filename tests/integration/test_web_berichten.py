"""Nieuw bericht for the meldpunt in the web, through Flask's test client on a real database:
the urgent form reaches GGD and politie through the intake, a BSN in the situatieschets is
refused at its field and not echoed, and other organisations cannot open these pages."""

from __future__ import annotations

import pytest

from tenants.model import Area, Flow, LegalBasis, Party, Principal, TenantKind
from tenants.services import NetworkSpec
from tests.integration.pipeline import network_flows
from tests.integration.web import Browser, web_world

BSN = "111222333"  # passes the 11-proof

URGENT = {"achternaam": "Jansen", "voorvoegsel": "", "voornamen": "Piet",
          "geboortedatum": "1970-03-01", "postcode": "1053 AB", "huisnummer": "12",
          "situatieschets": "Dreigt de woning in brand te steken; direct optreden nodig.",
          "naam": "A. de Vries", "functie": "Procesregisseur", "telefoon": "020 555 0101",
          "email": "", "zaak_kenmerk": "MZW-2026-0777"}


@pytest.fixture
def ww(database_url, tmp_path):
    w = web_world(database_url, tmp_path)
    system, c = Principal.system(), w.container
    c.tenants.create(system, tenant_id="ggd-west", name="GGD Vangnet West", kind=TenantKind.GGD,
                     kvk="30000005")
    c.tenants.create(system, tenant_id="politie-west", name="Politie West",
                     kind=TenantKind.POLITIE, kvk="30000006")
    urgent = tuple(Flow("nl.ketenhub.urgent.v1", TenantKind.MELDPUNT, kind, LegalBasis.CONVENANT)
                   for kind in (TenantKind.GGD, TenantKind.POLITIE))
    c.networks.replace(system, NetworkSpec(
        id="west", name="Convenant West",
        parties=(Party("mzwo-west", "meldpunt"), Party("eigen-haard", "woningcorporatie"),
                 Party("cordaan", "zorgaanbieder"), Party("ggd-west", "ggd"),
                 Party("politie-west", "politie")),
        areas=(Area("mzwo-west", 1051, 1058),), flows=(*network_flows(), *urgent)))
    yield w
    w.runtime.stop()
    w.container.close()


def _browser(w, who: str) -> Browser:
    b = Browser(w.app)
    assert b.login(w.people[who]).status_code == 302
    return b


def test_the_meldpunts_menu_offers_nieuw_bericht_with_the_urgent_form(ww):
    meldpunt = _browser(ww, "mzwo-west")
    page = meldpunt.get("/inbox").get_data(as_text=True)
    assert 'href="/nieuw-bericht"' in page and "Nieuw bericht" in page
    choice = meldpunt.get("/nieuw-bericht")
    assert choice.status_code == 200
    assert 'href="/urgent/nieuw"' in meldpunt.html and 'href="/signalen/nieuw"' in meldpunt.html
    assert meldpunt.get("/urgent/nieuw").status_code == 200
    assert meldpunt.html.count("<h1") == 1 and 'for="situatieschets"' in meldpunt.html


def test_an_urgent_message_sent_in_the_web_reaches_ggd_and_politie(ww):
    meldpunt = _browser(ww, "mzwo-west")
    r = meldpunt.post("/urgent/nieuw", URGENT, token_from="/urgent/nieuw")
    assert r.status_code == 302 and r.headers["Location"].startswith("/berichten/")
    meldpunt.get(r.headers["Location"])
    assert "Urgent bericht verstuurd" in meldpunt.html or "verstuurd" in meldpunt.html
    rows = [row for row in meldpunt.html.split("<tr") if "toegestaan" in row]
    for name in ("GGD Vangnet West", "Politie West"):
        assert any(name in row for row in rows), name
    assert "Dreigt de woning" not in meldpunt.html  # the sender's page shows no payload


def test_a_bsn_in_the_situatieschets_is_refused_at_its_field_and_not_echoed(ww):
    meldpunt = _browser(ww, "mzwo-west")
    r = meldpunt.post("/urgent/nieuw", {**URGENT, "situatieschets": f"Bewoner met BSN {BSN}."},
                      token_from="/urgent/nieuw")
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert BSN not in page
    assert 'id="situatieschets-fout"' in page and "BSN" in page
    assert "Het bericht is niet verstuurd" in page
    with ww.container.uow() as uow:
        assert uow.audit.list(action="message.rejected")
        assert not uow.audit.list(action="message.accepted")


def test_another_organisation_gets_the_403_page_for_nieuw_bericht_and_urgent(ww):
    corporatie = _browser(ww, "eigen-haard")
    assert corporatie.get("/nieuw-bericht").status_code == 403
    assert corporatie.get("/urgent/nieuw").status_code == 403
    r = corporatie.post("/urgent/nieuw", URGENT, token_from="/signalen/nieuw")
    assert r.status_code == 403
