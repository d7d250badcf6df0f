"""Zaken and Termijnen in the web, through Flask's test client on a real database: a meldpunt
registers a received signaal under a zaak, assigns it (the partner accepts in the web), closes
it, and follows the timeline; the Termijnen page puts what runs late first."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.integration.pipeline import wait_until
from tests.integration.web import Browser, web_world

KENMERK = "MZW-2026-0042"


@pytest.fixture
def ww(database_url, tmp_path):
    w = web_world(database_url, tmp_path)
    yield w
    w.runtime.stop()
    w.container.close()


def _browser(w, who: str) -> Browser:
    b = Browser(w.app)
    assert b.login(w.people[who]).status_code == 302
    return b


def _inbox_link(b: Browser, label: str) -> str:
    def found():
        page = b.get("/inbox").get_data(as_text=True)
        return re.search(r'href="(/inbox/[0-9a-f-]{36})">' + label + "<", page)

    return wait_until(found).group(1)


def _zaak_with_a_signaal(w) -> tuple[Browser, Browser]:
    corporatie, meldpunt = _browser(w, "eigen-haard"), _browser(w, "mzwo-west")
    r = corporatie.post("/signalen/nieuw", {
        "soort": "overlast", "categorieen": ["geluid"], "postcode": "1053 AB",
        "huisnummer": "12", "omschrijving": "Harde muziek na middernacht.",
        "waargenomen_op": "2026-11-20", "melder_type": "omwonende", "urgentie": "normaal",
        "kenmerk_afzender": "EH-7"})
    assert r.status_code == 302
    link = _inbox_link(meldpunt, "Signaal")
    page = meldpunt.get(link).get_data(as_text=True)
    assert "Aan een zaak koppelen" in page
    r = meldpunt.post(link + "/zaak", {"kenmerk": KENMERK}, token_from=link)
    assert r.status_code == 302 and r.headers["Location"] == f"/zaken/{KENMERK}"
    return corporatie, meldpunt


def test_a_meldpunt_links_a_signaal_assigns_the_zaak_and_closes_it_in_the_web(ww):
    corporatie, meldpunt = _zaak_with_a_signaal(ww)
    page = meldpunt.get(f"/zaken/{KENMERK}").get_data(as_text=True)
    assert "<h1" in page and f"Zaak {KENMERK}" in page
    assert "Signaal van Eigen Haard" in page and "overlast; geluid" in page
    assert "door u aan de zaak gekoppeld" in page
    assert re.search(r">Meldpunt West</th>\s*<td[^>]*>gedeeld</td>", page)  # who received it
    assert 'value="cordaan"' in page  # a network partner to assign to
    assert meldpunt.get("/zaken").status_code == 200 and KENMERK in meldpunt.html

    r = meldpunt.post(f"/zaken/{KENMERK}/toewijzen",
                      {"toewijzen-aan": "cordaan", "toewijzen-toelichting": "Graag oppakken."},
                      token_from=f"/zaken/{KENMERK}")
    assert r.status_code == 302, meldpunt.html[:2000]

    zorg = _browser(ww, "cordaan")
    link = _inbox_link(zorg, "Toewijzing")
    r = zorg.post(link + "/toewijzing", {"besluit": "accepteren", "contact_naam": "J. Bakker"},
                  token_from=link)
    assert r.status_code == 302

    def accepted():
        return "geaccepteerd" in meldpunt.get(f"/zaken/{KENMERK}").get_data(as_text=True)

    wait_until(accepted)
    page = meldpunt.html
    assert "Toewijzing" in page and "aan Cordaan" in page
    assert "Reactie op toewijzing van Cordaan" in page
    toewijzing = page.split(">aan Cordaan</p>")[1].split("</table>")[0]
    assert ">Cordaan</th>" in toewijzing and "ontvangen" in toewijzing  # Cordaan read it
    assert "gehaald (uiterlijk" in toewijzing  # the toewijzing term, met by the acceptance
    meldpunt.get("/termijnen?status=gehaald")
    assert "Toewijzing accepteren of weigeren" in meldpunt.html and "Cordaan" in meldpunt.html

    r = meldpunt.post(f"/zaken/{KENMERK}/afsluiten", {"afsluiten-reden": "opgelost"},
                      token_from=f"/zaken/{KENMERK}")
    assert r.status_code == 302
    page = meldpunt.get(f"/zaken/{KENMERK}").get_data(as_text=True)
    assert re.search(r">Afsluiting</a> van Meldpunt West", page) and "reden: Opgelost" in page
    assert "Zaak afsluiten" not in page  # no actions on a closed zaak
    assert KENMERK not in meldpunt.get("/zaken").get_data(as_text=True)
    assert KENMERK in meldpunt.get("/zaken?status=gesloten").get_data(as_text=True)


def test_a_toewijzing_without_a_partner_or_an_afsluiting_without_a_reden_is_shown_at_its_field(ww):
    _, meldpunt = _zaak_with_a_signaal(ww)
    r = meldpunt.post(f"/zaken/{KENMERK}/toewijzen", {"toewijzen-aan": ""},
                      token_from=f"/zaken/{KENMERK}")
    assert r.status_code == 422
    assert 'id="toewijzen-aan-fout"' in meldpunt.html and "Kies een partner." in meldpunt.html
    r = meldpunt.post(f"/zaken/{KENMERK}/afsluiten", {"afsluiten-reden": ""},
                      token_from=f"/zaken/{KENMERK}")
    assert r.status_code == 422 and "Kies een reden." in meldpunt.html
    r = meldpunt.post(f"/zaken/{KENMERK}/toewijzen", {"toewijzen-aan": "nergens"},
                      token_from=f"/zaken/{KENMERK}")
    assert r.status_code == 422  # only the offered partners can be chosen


def test_a_refused_toewijzing_needs_a_reden(ww):
    _, meldpunt = _zaak_with_a_signaal(ww)
    meldpunt.post(f"/zaken/{KENMERK}/toewijzen", {"toewijzen-aan": "cordaan"},
                  token_from=f"/zaken/{KENMERK}")
    zorg = _browser(ww, "cordaan")
    link = _inbox_link(zorg, "Toewijzing")
    r = zorg.post(link + "/toewijzing", {"besluit": "weigeren"}, token_from=link)
    assert r.status_code == 422 and "Vul in waarom u de toewijzing weigert." in zorg.html
    r = zorg.post(link + "/toewijzing", {"besluit": "weigeren", "reden": "Geen capaciteit."},
                  token_from=link)
    assert r.status_code == 302
    wait_until(lambda: "geweigerd" in meldpunt.get(f"/zaken/{KENMERK}").get_data(as_text=True))


def test_zaken_are_the_meldpunts_and_the_menu_shows_each_role_its_pages(ww):
    _, meldpunt = _zaak_with_a_signaal(ww)
    meldpunt.get("/inbox")
    assert re.search(r'href="/zaken"[^>]*>Zaken<', meldpunt.html)
    assert re.search(r'href="/termijnen"[^>]*>Termijnen<', meldpunt.html)
    corporatie = _browser(ww, "eigen-haard")
    corporatie.get("/inbox")
    assert ">Zaken<" not in corporatie.html and 'href="/termijnen"' in corporatie.html
    assert corporatie.get("/zaken").status_code == 403
    assert corporatie.get(f"/zaken/{KENMERK}").status_code == 403
    assert meldpunt.get("/zaken/ONBEKEND-1").status_code == 404
    anonymous = Browser(ww.app)
    for path in ("/zaken", f"/zaken/{KENMERK}", "/termijnen"):
        r = anonymous.get(path)
        assert r.status_code == 302 and r.headers["Location"].startswith("/login"), path


def test_the_termijnen_page_puts_what_runs_late_first_in_werkdagen(ww):
    c = ww.container
    now = c.clock()
    with c.uow() as uow:
        for subject, started in (("00000000-0000-4000-8000-000000000001", now),
                                 ("00000000-0000-4000-8000-000000000002",
                                  now - timedelta(days=21))):
            c.termijnen.start(uow, flow="toewijzing", subject_id=subject, owed_by="cordaan",
                              owed_to="mzwo-west", network_id="west", started_at=started)
        uow.commit()
    meldpunt = _browser(ww, "mzwo-west")
    page = meldpunt.get("/termijnen").get_data(as_text=True)
    assert "<h1" in page and "Toewijzing accepteren of weigeren" in page
    late = re.search(r'<span class="kh-late">(\d+) werkdagen te laat</span>', page)
    running = re.search(r"nog \d werkdag(en)?|vandaag de laatste dag", page)
    assert late and int(late.group(1)) >= 10 and running
    assert late.start() < running.start()  # late first
    assert re.search(r">Cordaan</th>\s*<td[^>]*>Toewijzing accepteren of weigeren</td>", page)
    assert "nog" not in meldpunt.get("/termijnen?status=gehaald").get_data(as_text=True) \
        .split("<main")[1]
    zorg = _browser(ww, "cordaan")
    assert "Cordaan (u)" in zorg.get("/termijnen").get_data(as_text=True)
    corporatie = _browser(ww, "eigen-haard")
    assert "Geen termijnen." in corporatie.get("/termijnen").get_data(as_text=True)


def test_a_bsn_in_a_toelichting_on_the_zaak_is_refused_at_its_field_and_not_echoed(ww):
    bsn = "111222333"  # passes the 11-proof
    _, meldpunt = _zaak_with_a_signaal(ww)
    r = meldpunt.post(f"/zaken/{KENMERK}/toewijzen", {
        "toewijzen-aan": "cordaan", "toewijzen-toelichting": f"Bewoner met BSN {bsn}."},
        token_from=f"/zaken/{KENMERK}")
    assert r.status_code == 422
    assert bsn not in meldpunt.html and "111 222 333" not in meldpunt.html
    assert 'id="toewijzen-toelichting-fout"' in meldpunt.html
    assert "Dit veld lijkt een BSN te bevatten" in meldpunt.html
    page = meldpunt.get(f"/zaken/{KENMERK}").get_data(as_text=True)
    assert "aan Cordaan" not in page  # nothing was sent


def test_a_zaakkenmerk_holding_a_bsn_is_refused_at_its_field_and_opens_no_zaak(ww):
    bsn = "111222333"
    corporatie, meldpunt = _browser(ww, "eigen-haard"), _browser(ww, "mzwo-west")
    corporatie.post("/signalen/nieuw", {
        "soort": "overlast", "categorieen": ["geluid"], "postcode": "1053 AB",
        "huisnummer": "14", "omschrijving": "Harde muziek.", "waargenomen_op": "2026-11-20",
        "melder_type": "omwonende", "urgentie": "normaal", "kenmerk_afzender": "EH-8"})
    link = _inbox_link(meldpunt, "Signaal")
    r = meldpunt.post(link + "/zaak", {"kenmerk": f"Z-{bsn}"}, token_from=link)
    assert r.status_code == 422 and bsn not in meldpunt.html
    assert 'id="kenmerk-fout"' in meldpunt.html and "Dit veld lijkt een BSN" in meldpunt.html
    assert "Het signaal is niet gekoppeld" in meldpunt.html
    assert "Geen zaken" in meldpunt.get("/zaken?status=alles").get_data(as_text=True)
