"""The werkdagen calendar (API.md §Termijnen): weekends, Dutch public holidays, closing days."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from hub.flows.calendar import AMSTERDAM, Werkdagen, local_date

CAL = Werkdagen()


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def test_weekdays_are_werkdagen_and_weekends_are_not():
    assert CAL.is_werkdag(date(2026, 11, 27))  # Friday
    assert not CAL.is_werkdag(date(2026, 11, 28))  # Saturday
    assert not CAL.is_werkdag(date(2026, 11, 29))  # Sunday
    assert CAL.is_werkdag(date(2026, 11, 30))  # Monday


def test_a_term_received_on_a_thursday_skips_the_weekend():
    assert CAL.add(date(2026, 11, 26), 2) == date(2026, 11, 30)
    assert CAL.add(date(2026, 11, 28), 1) == date(2026, 11, 30)  # received on a Saturday


def test_zero_werkdagen_is_the_day_itself_and_a_negative_term_is_refused():
    assert CAL.add(date(2026, 11, 26), 0) == date(2026, 11, 26)
    with pytest.raises(ValueError):
        CAL.add(date(2026, 11, 26), -1)


def test_koningsdag_on_a_sunday_moves_to_saturday_26_april():
    # 27 April 2025 is a Sunday: Koningsdag is Saturday 26 April, the Monday is a werkdag.
    assert date(2025, 4, 27).weekday() == 6
    assert CAL.is_werkdag(date(2025, 4, 28))
    # 27 April 2026 is a Monday and a holiday.
    assert not CAL.is_werkdag(date(2026, 4, 27))
    assert CAL.add(date(2026, 4, 24), 1) == date(2026, 4, 28)


def test_koningsdag_on_a_sunday_in_2014_was_celebrated_on_saturday_26_april():
    assert date(2014, 4, 27).weekday() == 6
    assert CAL.add(date(2014, 4, 25), 1) == date(2014, 4, 28)
    assert CAL.is_werkdag(date(2014, 4, 28))


def test_goede_vrijdag_and_tweede_paasdag_are_no_werkdagen():
    assert not CAL.is_werkdag(date(2026, 4, 3))  # Goede Vrijdag
    assert not CAL.is_werkdag(date(2026, 4, 6))  # Tweede Paasdag
    # Received on Thursday before Easter: Friday and Monday are off, 2 werkdagen end Wednesday.
    assert CAL.add(date(2026, 4, 2), 2) == date(2026, 4, 8)


def test_hemelvaart_is_no_werkdag():
    assert not CAL.is_werkdag(date(2026, 5, 14))
    assert CAL.add(date(2026, 5, 13), 1) == date(2026, 5, 15)


def test_tweede_pinksterdag_is_no_werkdag():
    assert not CAL.is_werkdag(date(2026, 5, 25))
    assert CAL.add(date(2026, 5, 22), 1) == date(2026, 5, 26)


def test_a_term_runs_from_kerst_into_nieuwjaar():
    # 2025: Kerst on Thursday and Friday, Nieuwjaarsdag on Thursday 1 January 2026.
    assert not CAL.is_werkdag(date(2025, 12, 25))
    assert not CAL.is_werkdag(date(2025, 12, 26))
    assert not CAL.is_werkdag(date(2026, 1, 1))
    # Received Wednesday 24 December; 5 werkdagen: 29, 30, 31 Dec, 2 Jan, 5 Jan.
    assert CAL.add(date(2025, 12, 24), 5) == date(2026, 1, 5)


def test_a_network_closing_day_is_no_werkdag_for_that_network_only():
    closed = Werkdagen(closing_days=frozenset({date(2026, 11, 27)}))
    assert not closed.is_werkdag(date(2026, 11, 27))
    assert CAL.is_werkdag(date(2026, 11, 27))
    assert closed.add(date(2026, 11, 26), 2) == date(2026, 12, 1)
    assert CAL.add(date(2026, 11, 26), 2) == date(2026, 11, 30)


def test_bevrijdingsdag_is_off_in_lustrum_years_only_unless_the_network_says_every_year():
    jaarlijks = Werkdagen(bevrijdingsdag="jaarlijks")
    # 2025 is a lustrum year: off for both.
    assert not CAL.is_werkdag(date(2025, 5, 5))
    assert not jaarlijks.is_werkdag(date(2025, 5, 5))
    # 2026 (Tuesday 5 May): a werkdag in lustrum mode, off when it is a day off every year.
    assert CAL.is_werkdag(date(2026, 5, 5))
    assert not jaarlijks.is_werkdag(date(2026, 5, 5))
    assert CAL.add(date(2026, 5, 4), 1) == date(2026, 5, 5)
    assert jaarlijks.add(date(2026, 5, 4), 1) == date(2026, 5, 6)


def test_an_unknown_bevrijdingsdag_setting_is_refused():
    with pytest.raises(ValueError):
        Werkdagen(bevrijdingsdag="nooit")  # type: ignore[arg-type]


def test_the_deadline_is_the_end_of_the_last_werkdag_in_amsterdam():
    received = at(date(2026, 11, 26), 14, 30)  # Thursday
    deadline = CAL.deadline(received, 2)
    assert deadline == datetime(2026, 11, 30, 23, 59, 59, tzinfo=AMSTERDAM)
    assert deadline.tzinfo is not None
    assert deadline.utcoffset() == timedelta(hours=1)


def test_the_day_of_receipt_is_the_amsterdam_day_not_the_utc_day():
    # 23:30 UTC on Thursday is 00:30 on Friday in Amsterdam: the term counts from Friday.
    received = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
    assert local_date(received) == date(2026, 11, 27)
    assert CAL.deadline(received, 2).date() == date(2026, 12, 1)


def test_a_deadline_over_the_summer_time_change_ends_at_local_midnight():
    received = at(date(2026, 3, 26))  # Thursday before the clocks go forward
    deadline = CAL.deadline(received, 2)
    assert deadline.astimezone(UTC) == datetime(2026, 3, 30, 21, 59, 59, tzinfo=UTC)


def test_a_moment_without_timezone_is_refused():
    with pytest.raises(ValueError):
        CAL.deadline(datetime(2026, 11, 26, 10, 0), 2)


def test_the_reminder_is_on_the_morning_of_the_last_werkdag():
    deadline = CAL.deadline(at(date(2026, 11, 26)), 2)
    assert CAL.remind_at(deadline) == datetime(2026, 11, 30, 8, 0, tzinfo=AMSTERDAM)


def test_werkdagen_left_counts_down_to_zero_on_the_last_day_and_goes_negative_when_late():
    deadline = CAL.deadline(at(date(2026, 11, 26)), 2)  # end of Monday 30 November
    assert CAL.werkdagen_left(at(date(2026, 11, 26)), deadline) == 2
    assert CAL.werkdagen_left(at(date(2026, 11, 27)), deadline) == 1
    assert CAL.werkdagen_left(at(date(2026, 11, 28)), deadline) == 1  # Saturday
    assert CAL.werkdagen_left(at(date(2026, 11, 30), 23, 59), deadline) == 0
    assert CAL.werkdagen_left(at(date(2026, 12, 1)), deadline) == -1
    assert CAL.werkdagen_left(at(date(2026, 12, 3)), deadline) == -3


def test_a_term_ending_on_friday_is_one_werkdag_late_over_the_weekend():
    deadline = CAL.deadline(at(date(2026, 11, 25)), 2)  # end of Friday 27 November
    assert CAL.werkdagen_left(at(date(2026, 11, 28)), deadline) == -1
    assert CAL.werkdagen_left(at(date(2026, 11, 30)), deadline) == -1
    assert CAL.werkdagen_left(at(date(2026, 12, 1)), deadline) == -2
