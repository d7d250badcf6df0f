"""The Statistiek page: a meldpunt's medewerker finds it in the menu, sees its network's table
with withheld cells marked, changes measure and grouping, and downloads the same table as CSV;
a corporatie has no such page."""

from __future__ import annotations

import csv
import io

import pytest

from tests.fakes import signaal
from tests.integration.web import Browser, web_world


@pytest.fixture
def ww(sqlite_url, tmp_path):
    w = web_world(sqlite_url, tmp_path, start=False)
    yield w
    w.container.close()


def _signalen(w, n: int) -> None:
    from tenants.model import Principal, Scope

    _, key = w.container.keys.issue(Principal.system(), "eigen-haard", name="crm",
                                    scopes=frozenset(Scope))
    for i in range(n):
        body = signaal("1053 AB", sender="eigen-haard", adres={"postcode": "1053 AB",
                                                                "huisnummer": i + 1})
        body["source"] = "urn:nld:kvk:30000003:systeem:crm"  # Eigen Haard's KvK (web_world)
        r = w.client.post("/api/v1/messages", json=body, headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 202, r.json


def test_a_meldpunt_sees_its_networks_figures_and_downloads_them(ww):
    _signalen(ww, 6)
    b = Browser(ww.app)
    b.login(ww.people["mzwo-west"])
    page = b.get("/inbox").get_data(as_text=True)
    assert 'href="/statistiek"' in page
    r = b.get("/statistiek")
    assert r.status_code == 200
    assert b.html.count("<h1") == 1 and "<caption" in b.html
    assert '<th class="utrecht-table__header-cell" scope="row">Corporatie</th>' in b.html
    assert ">6<" in b.html
    b.get("/statistiek?measure=signalen&group_by=category&van=2020-01-01&tot=2029-12-31")
    assert "Geluid" in b.html
    download = b.get("/statistiek.csv?measure=signalen&group_by=category&van=2020-01-01"
                     "&tot=2029-12-31")
    assert download.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert lines[0][0] == "Categorie" and lines[1][0] == "Geluid" and lines[1][-1] == "6"


def test_a_small_count_is_shown_as_withheld_never_as_its_number(ww):
    _signalen(ww, 3)
    b = Browser(ww.app)
    b.login(ww.people["mzwo-west"])
    b.get("/statistiek")
    assert "onderdrukt" in b.html and ">3<" not in b.html


def test_a_period_that_ends_before_it_starts_is_shown_at_its_field(ww):
    b = Browser(ww.app)
    b.login(ww.people["mzwo-west"])
    b.get("/statistiek?van=2026-02-01&tot=2026-01-01")
    assert "De eerste dag ligt na de laatste dag." in b.html
    assert 'aria-invalid="true"' in b.html


def test_a_corporatie_has_no_statistiek_in_its_menu_and_no_page(ww):
    b = Browser(ww.app)
    b.login(ww.people["eigen-haard"])
    assert 'href="/statistiek"' not in b.get("/inbox").get_data(as_text=True)
    assert b.get("/statistiek").status_code == 403


def _chart_of(b: Browser, page_path: str) -> str:
    import re

    b.get(page_path)
    found = re.search(r'<img src="(/statistiek\.svg[^"]*)"[^>]*alt="([^"]+)"', b.html)
    assert found, "the page shows no chart"
    assert "tabel hieronder" in found.group(2)
    r = b.get(found.group(1).replace("&amp;", "&"))
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    assert "unsafe-inline" in r.headers["Content-Security-Policy"]
    return r.get_data(as_text=True)


def test_the_chart_above_the_table_draws_its_counts_as_svg_without_script(ww):
    import xml.etree.ElementTree as ET

    _signalen(ww, 6)
    b = Browser(ww.app)
    b.login(ww.people["mzwo-west"])
    svg = _chart_of(b, "/statistiek?measure=signalen&group_by=category&van=2020-01-01"
                       "&tot=2029-12-31")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "<script" not in svg and "Geluid" in svg
    values = [e.text for e in root.iter() if e.get("class") == "value"]
    assert values == ["6"]  # one bar: Geluid, from Corporatie


def test_a_withheld_count_is_not_in_the_chart_either(ww):
    import xml.etree.ElementTree as ET

    _signalen(ww, 3)
    b = Browser(ww.app)
    b.login(ww.people["mzwo-west"])
    svg = _chart_of(b, "/statistiek?measure=signalen&group_by=category&van=2020-01-01"
                       "&tot=2029-12-31")
    values = [e.text for e in ET.fromstring(svg).iter() if e.get("class") == "value"]
    assert "3" not in values and values == []


def test_a_corporatie_gets_no_chart(ww):
    b = Browser(ww.app)
    b.login(ww.people["eigen-haard"])
    assert b.get("/statistiek.svg").status_code == 403
