"""Statistics on fabricated history with known answers, on SQLite and the real PostgreSQL:
signalen by source kind and area, recidive (the same kind within three years only), terms met
per partner and flow, regiecheck answer times, suppression, CSV, freshness, and no personal
data in any answer."""

from __future__ import annotations

import csv
import io
import re
import threading
import uuid
from datetime import datetime, timedelta

import pytest

from hub.flows.calendar import AMSTERDAM
from hub.flows.regiecheck.model import CheckStatus, Regiecheck
from hub.flows.termijnen.model import Termijn, TermijnStatus
from hub.stats.rollup import StatsRollup
from tenants.demo import demo_kvk, demo_oin
from tenants.model import Area, Flow, LegalBasis, Party, Principal, Scope, TenantKind
from tenants.services import NetworkSpec
from tests.fakes import FakeClock, signaal
from tests.integration.conftest import build_world

K = TenantKind
MONDAY = datetime(2023, 3, 6, 10, 0, tzinfo=AMSTERDAM)
DAY_B = MONDAY + timedelta(days=30)
LATER = MONDAY + timedelta(days=3 * 365 + 10)
PERIOD = "from=2023-03-01&to=2023-04-30"


def _world(database_url, tmp_path):
    clock = FakeClock(MONDAY)
    w = build_world(database_url, tmp_path, clock=clock)
    system = Principal.system()
    for tenant_id, kind in (("mzwo-west", K.MELDPUNT), ("politie-amsterdam", K.POLITIE),
                            ("gemeente-amsterdam", K.GEMEENTE)):
        w.container.tenants.create(system, tenant_id=tenant_id, name=f"{tenant_id} naam",
                                   kind=kind, kvk=demo_kvk(tenant_id), oin=demo_oin(tenant_id))
        _, w.keys[tenant_id] = w.container.keys.issue(system, tenant_id, name="t",
                                                      scopes=frozenset(Scope))
    w.container.networks.create(system, NetworkSpec(
        id="amsterdam", name="Amsterdam",
        parties=(Party("mzwo-centrum", "meldpunt"), Party("mzwo-west", "meldpunt"),
                 Party("ymere", "woningcorporatie"), Party("arkin", "zorgaanbieder"),
                 Party("politie-amsterdam", "politie"), Party("gemeente-amsterdam", "gemeente")),
        areas=(Area("mzwo-centrum", 1011, 1018), Area("mzwo-west", 1050, 1059)),
        flows=(Flow("nl.ketenhub.signaal.v1", K.WONINGCORPORATIE, K.MELDPUNT, LegalBasis.CONVENANT),
               Flow("nl.ketenhub.signaal.v1", K.POLITIE, K.MELDPUNT, LegalBasis.CONVENANT))))
    w.clock = clock
    return w


def _send(w, sender: str, postcode: str, huisnummer: int, categorie: str) -> None:
    body = signaal(postcode, sender=sender, categorieen=[categorie],
                   adres={"postcode": postcode, "huisnummer": huisnummer})
    r = w.client.post("/api/v1/messages", json=body, headers=w.headers(sender))
    assert r.status_code == 202, r.json
    assert [d["decision"] for d in r.json["deliveries"]] == ["permit"]


def _history(w) -> None:
    """Day A: Ymere 6 geluid in Centrum, politie 5 agressie in West. Day B: both again at 5 of
    those addresses, the same kind (recidive), and Ymere 5 stank in Centrum (another kind: new
    situations). Three years on: Ymere geluid at address 6 again (a new situation)."""
    for n in range(1, 7):
        _send(w, "ymere", "1012 AB", n, "geluid")
    for n in range(1, 6):
        _send(w, "politie-amsterdam", "1053 CD", n, "agressie")
    w.clock.now = DAY_B
    for n in range(1, 6):
        _send(w, "ymere", "1012 AB", n, "geluid")
        _send(w, "ymere", "1012 AB", n, "stank")
        _send(w, "politie-amsterdam", "1053 CD", n, "agressie")
    w.clock.now = LATER
    _send(w, "ymere", "1012 AB", 6, "geluid")


def _terms_and_answers(w) -> None:
    """Terms: Arkin 12 started, 6 met, 6 passed; Ymere 10 started, 5 met, 5 passed. Regiecheck
    answers: Arkin 5 × 1 werkdag; Ymere 2 × the same day, 3 × 2 werkdagen."""
    with w.container.uow() as uow:
        for partner, started, met in (("arkin", 12, 6), ("ymere", 10, 5)):
            for i in range(started):
                x = Termijn(id=str(uuid.uuid4()), flow="signaal_zorgaanbieder",
                            subject_id=str(uuid.uuid4()), owed_by=partner, owed_to="mzwo-centrum",
                            werkdagen=2, gehaald_door=(), started_at=MONDAY,
                            deadline=MONDAY + timedelta(days=2), network_id="amsterdam",
                            meldpunt="mzwo-centrum", status=TermijnStatus.LOPEND)
                uow.termijnen.add_many([x])
                uow.audit.record(action="termijn.gestart", tenant_id=partner, actor="hub",
                                 subject_id=x.id, at=MONDAY, facts={"flow": x.flow})
                if i < 2 * met:
                    action = "termijn.gehaald" if i < met else "termijn.verlopen"
                    uow.audit.record(action=action, tenant_id=partner, actor="hub",
                                     subject_id=x.id, at=MONDAY + timedelta(days=1),
                                     facts={"flow": x.flow})
        for i in range(5):
            check = Regiecheck(id=str(uuid.uuid4()), asker="mzwo-centrum", network_id="amsterdam",
                               status=CheckStatus.OPEN, soort="overlast", overlastsoorten=(),
                               deadline=MONDAY + timedelta(days=3), created_at=MONDAY,
                               key_version=1, payload=b"sealed")
            uow.regiechecks.add(check)
            for partner, days in (("arkin", 1), ("ymere", 0 if i < 2 else 2)):
                uow.audit.record(action="regiecheck.antwoord", tenant_id=partner, actor=None,
                                 subject_id=check.id, at=MONDAY + timedelta(days=days),
                                 facts={"replaces_earlier": False})
            uow.audit.record(action="regiecheck.antwoord", tenant_id="arkin", actor=None,
                             subject_id=check.id, at=MONDAY + timedelta(days=3),
                             facts={"replaces_earlier": True})  # a second answer: not timed
        uow.commit()


@pytest.fixture
def stats_world(database_url, tmp_path):
    w = _world(database_url, tmp_path)
    _history(w)
    _terms_and_answers(w)
    yield w
    w.container.close()


def _get(w, query: str, who: str = "mzwo-centrum", **headers):
    r = w.client.get(f"/api/v1/stats?{query}", headers={**w.headers(who), **headers})
    assert r.status_code == 200, r.json
    return r


def _rows(body: dict) -> dict:
    return {row["key"]: [c["value"] for c in row["cells"]] for row in body["rows"]}


def _values(row: dict) -> list:
    return [c["value"] for c in row["cells"]]


def test_signalen_by_source_kind_count_each_signaal_once_with_its_share(stats_world):
    body = _get(stats_world, f"measure=signalen&group_by=source_kind&{PERIOD}").json
    assert _rows(body) == {"corporatie": [16, 61.5], "politie": [10, 38.5]}
    assert _values(body["totaal"]) == [26, 100.0]
    assert body["network"] == "amsterdam"
    assert body["bijgewerkt_tot"] is not None
    months = _get(stats_world, f"measure=meldingen&group_by=month&{PERIOD}").json
    assert [r["label"] for r in months["rows"]] == ["mrt 2023", "apr 2023"]
    assert _rows(months) == {"2023-03": [6, 5, 11], "2023-04": [10, 5, 15]}
    assert _values(months["totaal"]) == [16, 10, 26]
    assert _values(months["aandeel"]) == [61.5, 38.5, 100.0]


def test_a_cross_table_withholds_its_zeros_so_that_the_totals_give_nothing_away(stats_world):
    body = _get(stats_world, f"measure=signalen&group_by=area&{PERIOD}").json
    assert [c["key"] for c in body["columns"]] == ["corporatie", "politie", "totaal"]
    rows = {row["key"]: row for row in body["rows"]}
    assert set(rows) == {"mzwo-centrum", "mzwo-west"}
    assert rows["mzwo-west"]["label"] == "mzwo-west naam"
    for row in rows.values():
        assert [c["suppressed"] for c in row["cells"][:2]] == [True, True]
        assert [c["value"] for c in row["cells"][:2]] == [None, None]
    assert rows["mzwo-centrum"]["cells"][2]["value"] == 16
    assert rows["mzwo-west"]["cells"][2]["value"] == 10
    assert _values(body["totaal"]) == [16, 10, 26]


def test_recidive_is_a_repeat_of_the_same_kind_within_three_years(stats_world):
    body = _get(stats_world, f"measure=recidive&group_by=category&{PERIOD}").json
    rows = _rows(body)
    assert rows["agressie"][0] == 5 and rows["geluid"][0] == 6 and rows["stank"][0] == 5
    assert rows["stank"][1] is None  # 0 repeats: withheld, with one more of the column
    assert _values(body["totaal"]) == [16, 10, 62.5]
    by_kind = _get(stats_world, f"measure=recidive&group_by=source_kind&{PERIOD}").json
    assert _rows(by_kind) == {"corporatie": [11, 5, 45.5], "politie": [5, 5, 100.0]}
    years = _get(stats_world, "measure=recidive&group_by=category&from=2023-03-01&to=2026-12-31")
    assert _rows(years.json)["geluid"][0] == 7  # three years on: a new situation, no repeat
    assert _values(years.json["totaal"])[1] == 10


def test_terms_met_within_their_werkdagen_per_partner_and_flow(stats_world):
    body = _get(stats_world, f"measure=termijnen&group_by=partner&{PERIOD}").json
    assert _rows(body) == {"arkin/signaal_zorgaanbieder": [12, 6, 6, 50.0],
                           "ymere/signaal_zorgaanbieder": [10, 5, 5, 50.0]}
    assert _values(body["totaal"]) == [22, 11, 11, 50.0]


def test_regiecheck_answer_time_is_the_median_in_werkdagen_of_first_answers(stats_world):
    body = _get(stats_world, f"measure=regiecheck&group_by=partner&{PERIOD}").json
    assert _rows(body) == {"arkin": [5, 1.0], "ymere": [5, 2.0]}
    assert _values(body["totaal"]) == [10, 1.0]


def test_csv_is_the_same_table_with_dutch_headers(stats_world):
    r = _get(stats_world, f"measure=signalen&group_by=area&{PERIOD}", Accept="text/csv")
    assert r.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert lines[0] == ["Gebied (stadsdeel)", "Corporatie", "Politie", "Totaal"]
    assert lines[1] == ["mzwo-centrum", "onderdrukt", "onderdrukt", "16"]
    assert lines[-2] == ["Totaal", "16", "10", "26"]
    assert lines[-1][0] == "Aandeel (%)"


def test_a_gemeente_sees_its_networks_figures_and_a_corporatie_none(stats_world):
    body = _get(stats_world, f"measure=signalen&group_by=source_kind&{PERIOD}",
                who="gemeente-amsterdam").json
    assert _values(body["totaal"]) == [26, 100.0]
    r = stats_world.client.get("/api/v1/stats", headers=stats_world.headers("ymere"))
    assert r.status_code == 403 and r.json["error"]["code"] == "stats.niet_toegestaan"


@pytest.mark.parametrize(("query", "offending"), [
    ("measure=everything", "everything"), ("group_by=<script>", "script"),
    ("measure=regiecheck&group_by=category", "category"),
    ("from=2024-01-01&to=2023-01-01", "2024-01-01"), ("from=gisteren", "gisteren")])
def test_a_question_the_statistics_cannot_answer_is_a_422_that_echoes_nothing(
        stats_world, query, offending):
    r = stats_world.client.get(f"/api/v1/stats?{query}", headers=stats_world.headers("mzwo-centrum"))
    assert r.status_code == 422
    assert set(r.json) == {"error"} and r.json["error"]["code"]
    assert offending not in r.get_data(as_text=True)


def test_no_answer_holds_an_address_a_postcode_beyond_pc4_or_a_pseudonym(stats_world):
    from hub.persistence import tables as t

    _get(stats_world, "measure=recidive")  # rolls up
    with stats_world.container.engine.connect() as conn:
        refs = [r.address_ref for r in conn.execute(t.stats_episodes.select())]
    assert refs
    from hub.stats.measures import GROUPS_OF
    for measure, groups in GROUPS_OF.items():
        for group in groups:
            for accept in ("application/json", "text/csv"):
                text = _get(stats_world, f"measure={measure}&group_by={group}&from=2023-01-01"
                            "&to=2026-12-31", Accept=accept).get_data(as_text=True)
                assert not re.search(r"\b\d{4} ?[A-Z]{2}\b", text), (measure, group)
                assert not any(ref in text for ref in refs)
                assert "huisnummer" not in text


def test_two_rollups_at_once_count_every_entry_exactly_once(database_url, tmp_path):
    w = _world(database_url, tmp_path)
    try:
        for n in range(1, 9):
            _send(w, "ymere", "1012 AB", n, "geluid")
        c = w.container
        rollups = [StatsRollup(uow=c.uow, directory=c.directory, clock=c.clock, batch=3)
                   for _ in range(2)]
        threads = [threading.Thread(target=r.run_until_idle) for r in rollups]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        rollups[0].run_until_idle()
        body = _get(w, "measure=signalen&group_by=source_kind&from=2023-03-01&to=2023-03-31").json
        assert _values(body["totaal"]) == [8, 100.0]
    finally:
        w.container.close()


@pytest.mark.parametrize("period", ["from=2023-03-06&to=2023-04-05",  # days only
                                    "from=2023-02-15&to=2023-05-20",  # months and edge days
                                    "from=2023-03-01&to=2023-04-30"])  # whole months only
def test_a_period_counts_the_same_whether_read_by_day_or_by_month(stats_world, period):
    body = _get(stats_world, f"measure=signalen&group_by=source_kind&{period}").json
    assert _rows(body) == {"corporatie": [16, 61.5], "politie": [10, 38.5]}
    outside = _get(stats_world, "measure=signalen&group_by=source_kind"
                                "&from=2023-03-07&to=2023-04-04").json
    assert outside["rows"] == []
