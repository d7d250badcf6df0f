"""A regiecheck's deadline: the end of the third werkdag (the network's term) after the day it
was asked, in Europe/Amsterdam; the reminder on the morning of that last werkdag."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from hub.flows.calendar import Werkdagen
from hub.flows.regiecheck.model import termijn

AMS = ZoneInfo("Europe/Amsterdam")


def _asked(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS).astimezone(UTC)


def _end_of(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 23, 59, 59, tzinfo=AMS).astimezone(UTC)


@pytest.mark.parametrize(("asked", "deadline"), [
    # An ordinary week: Monday → Thursday.
    (_asked(2026, 11, 30, 10, 0), _end_of(2026, 12, 3)),
    # Across a weekend: Friday → Wednesday.
    (_asked(2026, 11, 27, 16, 45), _end_of(2026, 12, 2)),
    # Asked on a Saturday: counting starts on Monday → Wednesday.
    (_asked(2026, 11, 28, 11, 0), _end_of(2026, 12, 2)),
    # Koningsdag (Tuesday 27 April 2027) is no werkdag: Monday → Friday.
    (_asked(2027, 4, 26, 9, 0), _end_of(2027, 4, 30)),
    # Koningsdag on 26 April when the 27th is a Sunday (2025): Friday 25 → Wednesday 30 April.
    (_asked(2025, 4, 25, 9, 0), _end_of(2025, 4, 30)),
    # Asked on Goede Vrijdag 2027; Tweede Paasdag (Monday 29 March) is no werkdag either:
    # Tuesday 30, Wednesday 31, Thursday 1 April.
    (_asked(2027, 3, 26, 9, 0), _end_of(2027, 4, 1)),
    # Goede Vrijdag (in the calendar's holiday list) and Tweede Paasdag: Thursday → Thursday.
    (_asked(2027, 3, 25, 9, 0), _end_of(2027, 4, 1)),
    # Kerst: Wednesday 23 December 2026 → Thursday 24, Monday 28, Tuesday 29.
    (_asked(2026, 12, 23, 14, 0), _end_of(2026, 12, 29)),
    # 23:30 in Amsterdam counts as that Amsterdam day.
    (_asked(2026, 11, 30, 23, 30), _end_of(2026, 12, 3)),
    # Just after midnight in Amsterdam (still the previous day in UTC) counts as the new day.
    (_asked(2026, 12, 1, 0, 30), _end_of(2026, 12, 4)),
])
def test_a_regiecheck_deadline_counts_three_werkdagen_after_the_day_asked(asked, deadline):
    assert termijn(Werkdagen(), asked, 3)[0] == deadline


def test_the_reminder_is_on_the_morning_of_the_last_werkdag():
    deadline, remind_at = termijn(Werkdagen(), _asked(2026, 12, 23, 14, 0), 3)
    assert remind_at == datetime(2026, 12, 29, 8, 0, tzinfo=AMS).astimezone(UTC)
    assert remind_at < deadline


def test_the_network_term_sets_the_number_of_werkdagen():
    assert termijn(Werkdagen(), _asked(2026, 11, 30, 10, 0), 5)[0] == _end_of(2026, 12, 7)


def test_a_networks_closing_day_is_no_werkdag():
    closed = Werkdagen(closing_days=frozenset({datetime(2026, 12, 1).date()}))
    assert termijn(closed, _asked(2026, 11, 30, 10, 0), 3)[0] == _end_of(2026, 12, 4)


def _check_with(partner):
    from hub.flows.regiecheck.model import CheckStatus, Regiecheck

    asked = _asked(2026, 11, 26, 10, 0)  # a Thursday
    return Regiecheck(id="c", asker="mzwo", network_id="ams", status=CheckStatus.OPEN,
                      soort="zorg", overlastsoorten=(), deadline=partner.deadline,
                      created_at=asked, key_version=1, payload=b"", partners=(partner,))


@pytest.mark.parametrize(("status", "late", "shown"), [
    ("gevraagd", False, "lopend"), ("bekend", False, "gehaald"), ("onbekend", False, "gehaald"),
    ("onbekend", True, "verlopen"), ("verlopen", False, "verlopen")])
def test_a_partners_regiecheck_term_shows_its_werkdagen_on_the_networks_calendar_and_status(
        status, late, shown):
    from datetime import date

    from hub.flows.regiecheck.model import AskedPartner, PartnerStatus
    from hub.flows.regiecheck.views import termijn_fields

    closed = Werkdagen(closing_days=frozenset({date(2026, 11, 27)}))
    deadline, remind_at = termijn(closed, _asked(2026, 11, 26, 10, 0), 3)
    assert deadline == _end_of(2026, 12, 2)  # the closing Friday does not count
    partner = AskedPartner("politie", 0, PartnerStatus(status), "m", deadline, remind_at,
                           late=late)
    assert termijn_fields(_check_with(partner), partner, closed) == {
        "termijn": {"flow": "regiecheck", "werkdagen": 3}, "termijn_status": shown}
