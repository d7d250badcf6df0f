"""The werkdagen calendar: Monday–Friday minus the Dutch public holidays and a network's closing days.

Pure functions (no I/O, no clock): every term in the field is counted in werkdagen
(API.md §Termijnen). A term of *n* werkdagen ends at the end (23:59:59 Europe/Amsterdam) of the
*n*-th werkdag after the local day of receipt. Public holidays come from the ``holidays``
package (NL): Nieuwjaarsdag, Goede Vrijdag, Pasen, Koningsdag (26 April when the 27th is a
Sunday), Bevrijdingsdag, Hemelvaart, Pinksteren, Kerst. Bevrijdingsdag is a day off every year or
only in lustrum years (every fifth year), as the network's convenant sets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
END_OF_DAY = time(23, 59, 59)
REMINDER_TIME = time(8, 0)
BEVRIJDINGSDAG_MODES = ("lustrum", "jaarlijks")

# The longest stretch of consecutive non-werkdagen a calendar can hold before it is treated as
# misconfigured (a network closing a whole year would otherwise make ``add`` loop for ever).
_MAX_CLOSED_RUN = 366


@lru_cache(maxsize=256)
def _public_holidays(year: int) -> frozenset[date]:
    """The Dutch public holidays of one year, as the ``holidays`` package knows them."""
    return frozenset(holidays.country_holidays("NL", years=year).keys())


@dataclass(frozen=True)
class Werkdagen:
    """A network's werkdagen: weekdays that are neither a public holiday nor a closing day."""

    closing_days: frozenset[date] = frozenset()
    bevrijdingsdag: Literal["lustrum", "jaarlijks"] = "lustrum"

    def __post_init__(self) -> None:
        if self.bevrijdingsdag not in BEVRIJDINGSDAG_MODES:
            raise ValueError(f"bevrijdingsdag must be one of {BEVRIJDINGSDAG_MODES}")
        if not isinstance(self.closing_days, frozenset):
            object.__setattr__(self, "closing_days", frozenset(self.closing_days))

    def is_werkdag(self, day: date) -> bool:
        """Whether ``day`` is a werkdag of this calendar."""
        if isinstance(day, datetime):
            day = day.date()
        if day.weekday() >= 5 or day in self.closing_days or day in _public_holidays(day.year):
            return False
        if self.bevrijdingsdag == "jaarlijks" and (day.month, day.day) == (5, 5):
            return False
        return True

    def add(self, day: date, n: int) -> date:
        """The ``n``-th werkdag after ``day`` (``day`` itself when ``n`` is 0)."""
        if n < 0:
            raise ValueError("n must be 0 or more werkdagen")
        if isinstance(day, datetime):
            day = day.date()
        current, closed_run = day, 0
        while n > 0:
            current += timedelta(days=1)
            if self.is_werkdag(current):
                n -= 1
                closed_run = 0
            else:
                closed_run += 1
                if closed_run > _MAX_CLOSED_RUN:
                    raise ValueError("the calendar has no werkdag for more than a year")
        return current

    def deadline(self, received: datetime, n: int) -> datetime:
        """The end (23:59:59 Europe/Amsterdam) of the ``n``-th werkdag after the day of receipt."""
        last = self.add(local_date(received), n)
        return datetime.combine(last, END_OF_DAY, tzinfo=AMSTERDAM)

    def remind_at(self, deadline: datetime) -> datetime:
        """The morning (08:00 Europe/Amsterdam) of the term's last werkdag."""
        return datetime.combine(local_date(deadline), REMINDER_TIME, tzinfo=AMSTERDAM)

    def werkdagen_left(self, now: datetime, deadline: datetime) -> int:
        """Werkdagen still left after today: 0 on the last day, negative = werkdagen late.

        Past the deadline the answer is at least one werkdag late, also on a weekend right after it.
        """
        today, last = local_date(now), local_date(deadline)
        if now <= deadline:
            return self._werkdagen_between(today, last)
        return -max(1, self._werkdagen_between(last, today))

    def _werkdagen_between(self, start: date, end: date) -> int:
        """The number of werkdagen in the interval (start, end]."""
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            if self.is_werkdag(current):
                count += 1
        return count


def local_date(moment: datetime) -> date:
    """The Europe/Amsterdam calendar date of a timezone-aware moment."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a moment must carry a timezone")
    return moment.astimezone(AMSTERDAM).date()
