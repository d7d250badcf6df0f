"""The measures, as suppressed tables read from the aggregate store.

- ``signalen`` / ``meldingen``: counts per group and source kind, with row and column totals
  and each source kind's share (seed 001); ``group_by=source_kind`` gives one column and a
  share per row. A ``melding`` is a signaal registered at a meldpunt.
- ``recidive`` (seed 002): situations (address × categorie) first registered in the period,
  those registered again on a later day within three years, and the share.
- ``termijnen``: terms opened, met within their werkdagen and passed unmet per group and flow,
  and the share met of those settled.
- ``regiecheck``: partners' first answers and their median answer time in werkdagen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from hub.stats import model as m
from hub.stats.model import Cell, Column, Row
from hub.stats.ports import StatsRepository
from hub.stats.suppression import protect, protect_column

#: ``group_by`` of the API → the dimension of the store.
DIMENSION = {"area": "area", "category": "categorie", "source_kind": "source_kind",
             "month": "month", "partner": "partner", "pc4": "pc4"}
GROUPS_OF = {
    "signalen": ("area", "category", "source_kind", "month", "partner", "pc4"),
    "meldingen": ("area", "category", "source_kind", "month", "partner", "pc4"),
    "recidive": ("area", "category", "source_kind", "month", "partner", "pc4"),
    "termijnen": ("partner", "month", "area"),
    "regiecheck": ("partner", "month"),
}
MEASURES = tuple(GROUPS_OF)
SOURCE_ORDER = (m.CORPORATIE, m.POLITIE, m.ZORG, m.BURGER, m.GEMEENTE, m.MELDPUNT, m.OVERIG,
                m.UNKNOWN)


@dataclass(frozen=True)
class Query:
    measure: str
    group_by: str
    network_id: str
    first: date
    last: date


@dataclass(frozen=True)
class Body:
    """A measure's table before it is dated and labelled by the service."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    totaal: Row | None
    aandeel: Row | None = None
    toelichting: str = ""


Label = Callable[[str], str]


def build(store: StatsRepository, q: Query, label: Label) -> Body:
    return _BUILDERS[q.measure](store, q, label)


def _projection(dimension: str) -> str:
    """The stored projection a grouping reads (month and source kind: the area's)."""
    return dimension if dimension in m.PROJECTIONS else "area"


def _cell(value: int | float | None) -> Cell:
    return Cell(value, suppressed=value is None)


def _share(part: int | None, whole: int | None) -> Cell:
    if part is None or whole is None:
        return Cell(None, suppressed=True)
    return Cell(round(100 * part / whole, 1) if whole else 0.0)


def _keys(rows: Sequence[tuple[tuple, str, int]], index: int = 0) -> list:
    return sorted({r[0][index] for r in rows}, key=lambda k: (k == m.UNKNOWN, str(k)))


def _signalen(store: StatsRepository, q: Query, label: Label) -> Body:
    melding = q.measure == "meldingen"
    dim = DIMENSION[q.group_by]
    metric = m.projected(m.MELDING if melding else m.SIGNAAL, _projection(dim))
    noun = "meldingen" if melding else "signalen"
    if q.group_by == "source_kind":
        found = store.sums(q.network_id, [metric], q.first, q.last, [dim])
        kinds = [k for k in SOURCE_ORDER if any(r[0][0] == k for r in found)]
        counts = {r[0][0]: r[2] for r in found}
        cells, total = protect_column([counts[k] for k in kinds])
        rows = tuple(Row(k, m.SOURCE_KIND_LABELS.get(k, k), (_cell(c), _share(c, total)))
                     for k, c in zip(kinds, cells, strict=True))
        return Body((Column("aantal", f"Aantal {noun}"), Column("aandeel", "Aandeel (%)")),
                    rows, Row("totaal", "Totaal", (_cell(total), _share(total, total))))
    found = store.sums(q.network_id, [metric], q.first, q.last, [dim, "source_kind"])
    groups = _keys(found)
    kinds = [k for k in SOURCE_ORDER if any(r[0][1] == k for r in found)]
    counts = {r[0]: r[2] for r in found}
    p = protect([[counts.get((g, k), 0) for k in kinds] for g in groups])
    columns = tuple(Column(k, m.SOURCE_KIND_LABELS.get(k, k)) for k in kinds) + (
        Column("totaal", "Totaal"),)
    rows = tuple(Row(str(g), label(str(g)), tuple(map(_cell, (*p.cells[i], p.row_totals[i]))))
                 for i, g in enumerate(groups))
    totaal = Row("totaal", "Totaal", tuple(map(_cell, (*p.col_totals, p.grand))))
    aandeel = Row("aandeel", "Aandeel (%)", tuple(_share(c, p.grand)
                                                  for c in (*p.col_totals, p.grand)))
    note = ("Een signaal met meer categorieën telt bij elke categorie."
            if q.group_by == "category" else "")
    return Body(columns, rows, totaal, aandeel, note)


def _ratio_table(groups: list, first: list[int], second: list[int],
                 columns: tuple[Column, ...], label: Label, share: Callable) -> Body:
    a, a_total = protect_column(first)
    b, b_total = protect_column(second)
    rows = tuple(Row(str(g), label(str(g)), (_cell(x), _cell(y), share(x, y)))
                 for g, x, y in zip(groups, a, b, strict=True))
    return Body(columns, rows, Row("totaal", "Totaal", (_cell(a_total), _cell(b_total),
                                                        share(a_total, b_total))))


def _recidive(store: StatsRepository, q: Query, label: Label) -> Body:
    dim = DIMENSION[q.group_by]
    episode, recidive = (m.projected(x, _projection(dim)) for x in (m.EPISODE, m.RECIDIVE))
    found = store.sums(q.network_id, [episode, recidive], q.first, q.last, [dim])
    groups = _keys(found)
    n = {(r[0][0], r[1]): r[2] for r in found}
    body = _ratio_table(
        groups, [n.get((g, episode), 0) for g in groups],
        [n.get((g, recidive), 0) for g in groups],
        (Column("situaties", "Nieuwe situaties"),
         Column("herhaald", "Binnen 3 jaar opnieuw gemeld"), Column("percentage", "Recidive (%)")),
        label, lambda situaties, herhaald: _share(herhaald, situaties))
    return Body(body.columns, body.rows, body.totaal, toelichting=(
        "Een situatie is een adres (gepseudonimiseerd) met een categorie, voor het eerst in drie "
        "jaar gemeld in de periode; recidive: op een latere dag binnen drie jaar opnieuw gemeld "
        "voor dezelfde categorie. Situaties van minder dan drie jaar geleden kunnen nog "
        "terugkomen."))


def _termijnen(store: StatsRepository, q: Query, label: Label) -> Body:
    metrics = [m.TERMIJN_GESTART, m.TERMIJN_GEHAALD, m.TERMIJN_VERLOPEN]
    found = store.sums(q.network_id, metrics, q.first, q.last, [DIMENSION[q.group_by], "flow"])
    keys = sorted({r[0] for r in found}, key=lambda k: (label(str(k[0])), k[1]))
    n = {(r[0], r[1]): r[2] for r in found}
    columns_of = [protect_column([n.get((k, x), 0) for k in keys]) for x in metrics]

    def share(gehaald: int | None, verlopen: int | None) -> Cell:
        if gehaald is None or verlopen is None:
            return Cell(None, suppressed=True)
        return _share(gehaald, gehaald + verlopen) if gehaald + verlopen else Cell(None)

    rows = tuple(Row(f"{k[0]}/{k[1]}", f"{label(str(k[0]))} — {k[1]}", (
        *(_cell(col[0][i]) for col in columns_of),
        share(columns_of[1][0][i], columns_of[2][0][i]))) for i, k in enumerate(keys))
    totals = [col[1] for col in columns_of]
    return Body((Column("gestart", "Gestart"), Column("gehaald", "Gehaald"),
                 Column("verlopen", "Verlopen"), Column("percentage", "Gehaald (%)")),
                rows, Row("totaal", "Totaal", (*map(_cell, totals), share(totals[1], totals[2]))),
                toelichting="Gestart: in de periode begonnen; gehaald en verlopen: in de "
                            "periode afgelopen. Gehaald (%) van de afgelopen termijnen.")


def median(histogram: dict[int, int]) -> float | None:
    """The median of values given as value → how often (the lower median for an even count)."""
    total = sum(histogram.values())
    if not total:
        return None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if 2 * seen >= total:
            return float(value)
    return None  # pragma: no cover - the loop always returns


def _regiecheck(store: StatsRepository, q: Query, label: Label) -> Body:
    found = store.sums(q.network_id, [m.REGIECHECK_ANTWOORD], q.first, q.last,
                       [DIMENSION[q.group_by], "bucket"])
    groups = _keys(found)
    hist: dict[str, dict[int, int]] = {}
    for (group, bucket), _, n in found:
        hist.setdefault(group, {})[int(bucket)] = n
    cells, total = protect_column([sum(hist[g].values()) for g in groups])
    everything: dict[int, int] = {}
    for h in hist.values():
        for b, n in h.items():
            everything[b] = everything.get(b, 0) + n
    rows = tuple(Row(str(g), label(str(g)), (_cell(c), _cell(None if c is None else median(
        hist[g])))) for g, c in zip(groups, cells, strict=True))
    return Body((Column("antwoorden", "Antwoorden"),
                 Column("mediaan_werkdagen", "Mediaan antwoordtijd (werkdagen)")),
                rows, Row("totaal", "Totaal", (_cell(total), _cell(
                    None if total is None else median(everything)))),
                toelichting="Antwoordtijd: werkdagen na de dag waarop de regiecheck is gesteld; "
                            "alleen het eerste antwoord van een partner telt.")


_BUILDERS: dict[str, Callable[[StatsRepository, Query, Label], Body]] = {
    "signalen": _signalen, "meldingen": _signalen, "recidive": _recidive,
    "termijnen": _termijnen, "regiecheck": _regiecheck}
