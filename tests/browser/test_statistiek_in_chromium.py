"""Statistiek in a real browser (Debian's Chromium): a meldpunt opens it from the menu after a
corporatie sent signalen, regroups the table by categorie, and downloads it as CSV; a
corporatie has no Statistiek in its menu. axe-core on every page."""

from __future__ import annotations

import pytest

from tests.browser.pages import accessible, login, screenshot
from tests.browser.pages import user_of as _user

pytestmark = pytest.mark.browser


def _as(new_context, hub, tenant):
    base, users = hub
    page = new_context().new_page()
    login(page, base, *_user(users, tenant))
    return page


def _send_signaal(page, base, huisnummer: int) -> None:
    page.goto(base + "/signalen/nieuw")
    page.get_by_label("Soort signaal").select_option("overlast")
    page.get_by_label("Geluid").check()
    page.get_by_label("Postcode").fill("1012 AB")
    page.get_by_label("Huisnummer").fill(str(huisnummer))
    page.get_by_label("Omschrijving").fill("Harde muziek na middernacht, al drie weken.")
    page.get_by_label("Waargenomen op").fill("2026-11-20")
    page.get_by_label("Melder").select_option("omwonende")
    page.get_by_role("button", name="Signaal versturen").click()
    page.wait_for_load_state()
    assert "Het signaal is verstuurd." in page.content()


def test_a_meldpunt_reads_its_figures_regroups_them_and_downloads_the_csv(hub, new_context):
    base, _ = hub
    corporatie = _as(new_context, hub, "ymere")
    for n in range(1, 7):
        _send_signaal(corporatie, base, 40 + n)
    assert corporatie.get_by_role("link", name="Statistiek").count() == 0

    meldpunt = _as(new_context, hub, "mzwo-centrum")
    meldpunt.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Statistiek").click()
    meldpunt.wait_for_load_state()
    assert meldpunt.get_by_role("heading", level=1).inner_text() == "Statistiek"
    table = meldpunt.get_by_role("table")
    assert table.get_by_role("rowheader", name="Corporatie").count() == 1
    row = table.get_by_role("row", name="Corporatie")
    assert "6" in row.inner_text()
    accessible(meldpunt)

    meldpunt.get_by_label("Indelen naar").select_option("category")
    meldpunt.get_by_role("button", name="Tonen").click()
    meldpunt.wait_for_load_state()
    assert meldpunt.get_by_role("table").get_by_role("rowheader", name="Geluid").count() == 1
    accessible(meldpunt)
    screenshot(meldpunt, "statistiek")

    href = meldpunt.get_by_role("link", name="Download als CSV").get_attribute("href")
    answer = meldpunt.request.get(base + href)
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.text().splitlines()[:2] == ["Categorie,Corporatie,Totaal", "Geluid,6,6"]
