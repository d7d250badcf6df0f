"""Regiechecks in the web: a meldpunt starts one (the standard list pre-selected), two asked
partners answer in the web (bekend with a contact, onbekend), the board shows both."""

from __future__ import annotations

import re

import pytest

from tenants.model import Role
from tests.integration.pipeline import wait_until
from tests.integration.regiecheck_world import STANDARD, regiecheck_world, stop
from tests.integration.web import Browser, person, without_csrf


@pytest.fixture
def rw(sqlite_url, tmp_path):
    w = regiecheck_world(sqlite_url, tmp_path)
    yield w
    stop(w)


def _browser(w, tenant):
    b = Browser(w.app)
    assert b.login(person(w, tenant, f"mw.{tenant}", {Role.MEDEWERKER})).status_code == 302
    return b


def _start(meldpunt: Browser, **extra) -> str:
    page = meldpunt.get("/regiechecks/nieuw").get_data(as_text=True)
    checked = re.findall(r'<input checked[^>]*name="partners"[^>]*value="([^"]+)"', page) or \
        re.findall(r'<input[^>]*name="partners"[^>]*value="([^"]+)"[^>]*checked', page)
    assert sorted(checked) == STANDARD  # the standard list pre-selected, cordaan not
    assert 'value="cordaan"' in page
    r = meldpunt.post("/regiechecks/nieuw", {
        "achternaam": "Jansen", "voornamen": "Piet", "geboortedatum": "1980-04-01",
        "rol": "betrokkene", "soort": "overlast", "overlastsoorten": ["geluid"],
        "partners": checked, **extra})
    assert r.status_code == 302, meldpunt.html[:3000]
    return r.headers["Location"]


def test_a_regiecheck_asked_in_the_web_and_answered_by_two_partners_in_the_web(rw):
    meldpunt = _browser(rw, "mzwo-centrum")
    board = _start(meldpunt)
    politie, ggd = _browser(rw, "politie"), _browser(rw, "ggd")

    def asked(b):
        page = b.get("/regiechecks/gevraagd").get_data(as_text=True)
        return re.search(r'href="(/regiechecks/[0-9a-f-]{36}/antwoord)"', page)

    answer = wait_until(lambda: asked(politie)).group(1)
    r = politie.post(answer, {"bekend": "ja", "naam": "A. de Vries", "functie": "Wijkagent",
                              "telefoon": "020 555 0101"})
    assert r.status_code == 302
    answer = wait_until(lambda: asked(ggd)).group(1)
    assert ggd.post(answer, {"bekend": "nee"}).status_code == 302

    page = meldpunt.get(board).get_data(as_text=True)
    politie_row = re.search(r">politie</th>(.*?)</tr>", page, re.S).group(1)
    ggd_row = re.search(r">ggd</th>(.*?)</tr>", page, re.S).group(1)
    assert "bekend" in politie_row and "A. de Vries" in politie_row and "Wijkagent" in politie_row
    assert "niet bekend" in ggd_row and "A. de Vries" not in ggd_row
    assert "gevraagd" in re.search(r">wpi</th>(.*?)</tr>", page, re.S).group(1)


def test_an_answer_can_only_be_bekend_with_a_contact_or_onbekend(rw):
    meldpunt = _browser(rw, "mzwo-centrum")
    _start(meldpunt)
    politie = _browser(rw, "politie")
    page = wait_until(lambda: re.search(r'href="(/regiechecks/[0-9a-f-]{36}/antwoord)"',
                                        politie.get("/regiechecks/gevraagd").get_data(as_text=True)))
    answer = page.group(1)
    form = politie.get(answer).get_data(as_text=True)
    names = set(re.findall(r'name="([a-z_]+)"', form.split("<main")[1]))
    assert names == {"csrf_token", "bekend", "naam", "functie", "telefoon", "email"}
    r = politie.post(answer, {"bekend": "ja"})
    assert r.status_code == 422 and "Vul de contactpersoon in" in politie.html
    r = politie.post(answer, {"bekend": "ja", "naam": "A. de Vries",
                              "functie": "Zit in behandeling voor depressie"})
    assert r.status_code == 422 and "depressie" not in politie.html


def test_the_melder_is_checked_only_with_a_reason(rw):
    meldpunt = _browser(rw, "mzwo-centrum")
    page = meldpunt.get("/regiechecks/nieuw").get_data(as_text=True)
    standard = re.findall(r'<input checked[^>]*name="partners"[^>]*value="([^"]+)"', page)
    r = meldpunt.post("/regiechecks/nieuw", {
        "achternaam": "Jansen", "geboortedatum": "1980-04-01", "rol": "melder",
        "soort": "overlast", "partners": standard})
    assert r.status_code == 422 and "reden" in meldpunt.html.lower()


def test_another_meldpunt_cannot_open_the_board_and_a_partner_not_asked_cannot_answer(rw):
    meldpunt = _browser(rw, "mzwo-centrum")
    board = _start(meldpunt)
    noord, cordaan = _browser(rw, "mzwo-noord"), _browser(rw, "cordaan")
    other = noord.get(board)
    missing = noord.get("/regiechecks/00000000-0000-4000-8000-000000000000")
    assert other.status_code == missing.status_code == 404
    assert without_csrf(other.get_data()) == without_csrf(missing.get_data())
    assert cordaan.get(board + "/antwoord").status_code == 404
    assert cordaan.post(board + "/antwoord", {"bekend": "nee"},
                        token_from="/regiechecks/gevraagd").status_code == 404


def test_a_regiecheck_started_from_a_zaak_carries_its_zaakkenmerk(rw):
    meldpunt = _browser(rw, "mzwo-centrum")
    page = meldpunt.get("/regiechecks/nieuw?zaak=MZC-77").get_data(as_text=True)
    assert re.search(r'id="zaak_kenmerk"[^>]*value="MZC-77"|value="MZC-77"[^>]*id="zaak_kenmerk"',
                     page)
    board = _start(meldpunt, zaak_kenmerk="MZC-77")
    from tenants.model import Principal, Scope
    principal = Principal(tenant_id="mzwo-centrum", key_id="t", scopes=frozenset(Scope))
    check = rw.container.regiechecks.get(principal, board.rsplit("/", 1)[1])
    assert check["zaak_kenmerk"] == "MZC-77"
