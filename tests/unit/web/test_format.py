"""How the pages write dates and terms: Dutch dates, terms as werkdagen left or late."""

from __future__ import annotations

from datetime import UTC, datetime

from hub.web.format import datum_tijd, termijn, termijn_met_status, werkdagen_over


def test_werkdagen_left_read_as_people_say_them():
    assert werkdagen_over(1) == ("nog 1 werkdag", "loopt")
    assert werkdagen_over(3) == ("nog 3 werkdagen", "loopt")
    assert werkdagen_over(0) == ("vandaag de laatste dag", "loopt")
    assert werkdagen_over(-1) == ("1 werkdag te laat", "te_laat")
    assert werkdagen_over(-2) == ("2 werkdagen te laat", "te_laat")


def test_a_term_counts_werkdagen_over_the_weekend_and_a_met_term_is_gehaald():
    friday = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    tuesday_end = datetime(2026, 12, 8, 22, 59, tzinfo=UTC)  # 23:59 in Amsterdam
    assert termijn(tuesday_end, friday) == ("nog 2 werkdagen", "loopt")
    assert termijn(friday, tuesday_end) == ("2 werkdagen te laat", "te_laat")
    assert termijn(friday, tuesday_end, met=True) == ("gehaald", "gehaald")
    assert termijn(None, friday) == ("", "")


def test_dates_are_dutch_in_amsterdam_time():
    assert datum_tijd(datetime(2026, 12, 1, 13, 5, tzinfo=UTC)) == "di 1 dec 2026, 14:05"
    assert datum_tijd(None) == ""


def test_a_term_with_its_own_status_reads_by_that_status():
    friday = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    tuesday_end = datetime(2026, 12, 8, 22, 59, tzinfo=UTC)
    assert termijn_met_status(tuesday_end, friday, "lopend") == ("nog 2 werkdagen", "loopt")
    assert termijn_met_status(tuesday_end, friday, "gehaald") == ("gehaald", "gehaald")
    assert termijn_met_status(friday, tuesday_end, "verlopen") == ("2 werkdagen te laat",
                                                                   "te_laat")
    assert termijn_met_status(friday, tuesday_end, "verlopen", answered=True) == (
        "te laat beantwoord", "te_laat")
    # expired at the end of its last day, looked at that same night: still verlopen
    assert termijn_met_status(friday, friday, "verlopen") == ("verlopen", "te_laat")
    assert termijn_met_status(tuesday_end, friday, None, met=True) == ("gehaald", "gehaald")
