"""Statistiek in a real browser (Debian's Chromium): a meldpunt opens it from the menu after a
corporatie sent signalen, regroups the table by categorie, and downloads it as CSV; a
corporatie has no Statistiek in its menu. axe-core on every page."""

from __future__ import annotations

import pytest

from tests.browser.pages import accessible, logged_in, screenshot, send_signaal

pytestmark = pytest.mark.browser


def test_a_meldpunt_reads_its_figures_regroups_them_and_downloads_the_csv(hub, new_context):
    base, _ = hub
    corporatie = logged_in(new_context, hub, "ymere")
    for n in range(1, 7):
        send_signaal(corporatie, base, str(40 + n), "Harde muziek na middernacht, al weken.")
    assert corporatie.get_by_role("link", name="Statistiek").count() == 0

    meldpunt = logged_in(new_context, hub, "mzwo-centrum")
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
