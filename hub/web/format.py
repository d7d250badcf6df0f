"""How the pages write dates and terms: Dutch, in Amsterdam time, terms in werkdagen."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime

from hub.flows.calendar import AMSTERDAM, Werkdagen

_WERKDAGEN = Werkdagen()


def datum_tijd(moment: datetime | None) -> str:
    """``di 1 dec 2026, 14:05`` (Amsterdam time); empty for no moment."""
    if moment is None:
        return ""
    local = moment.astimezone(AMSTERDAM)
    text = format_datetime(local, "EEE d MMM y, HH:mm", locale="nl_NL")
    return text.replace(".", "")  # babel writes "di." and "dec."; people write "di 1 dec"


def datum(day: date | datetime | None) -> str:
    """``di 1 dec 2026`` (a moment: its day in Amsterdam); empty for no day."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = day.astimezone(AMSTERDAM).date()
    return format_date(day, "EEE d MMM y", locale="nl_NL").replace(".", "")


def iso(moment: datetime | None) -> str:
    return moment.astimezone(AMSTERDAM).isoformat(timespec="minutes") if moment else ""


def termijn(deadline: datetime | None, now: datetime, *, met: bool = False) -> tuple[str, str]:
    """``("nog 1 werkdag", "loopt")``, ``("2 werkdagen te laat", "te_laat")``; a met term is
    ``("gehaald", "gehaald")``, no term ``("", "")``. Werkdagen as ``hub.flows.calendar``
    counts them (the network's closing days are not known here)."""
    if deadline is None:
        return "", ""
    if met:
        return "gehaald", "gehaald"
    return werkdagen_over(_WERKDAGEN.werkdagen_left(now, deadline))


def termijn_met_status(deadline: datetime | None, now: datetime, status: str | None, *,
                       met: bool = False, answered: bool = False) -> tuple[str, str]:
    """A term as :func:`termijn` says it, by the term's own ``status`` (``lopend``, ``gehaald``,
    ``verlopen``) where the service gives one, else met as ``met`` says. A term that ran out
    reads ``verlopen`` on its last day, ``te laat beantwoord`` once answered."""
    if status is None:
        return termijn(deadline, now, met=met)
    if status == "verlopen":
        if answered:
            return "te laat beantwoord", "te_laat"
        text, state = termijn(deadline, now)
        return (text, state) if state == "te_laat" else ("verlopen", "te_laat")
    return termijn(deadline, now, met=status == "gehaald")


def werkdagen_over(left: int) -> tuple[str, str]:
    """Werkdagen left after today as people say it: ``("nog 1 werkdag", "loopt")``,
    ``("vandaag de laatste dag", "loopt")``, ``("2 werkdagen te laat", "te_laat")``."""
    if left < 0:
        return f"{-left} {_werkdagen(-left)} te laat", "te_laat"
    if left == 0:
        return "vandaag de laatste dag", "loopt"
    return f"nog {left} {_werkdagen(left)}", "loopt"


def _werkdagen(n: int) -> str:
    return "werkdag" if n == 1 else "werkdagen"
