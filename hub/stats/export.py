"""A published table as CSV (RFC 4180, comma-separated, Dutch headers): the rows, then the
totals and shares; a withheld cell reads ``onderdrukt``, a cell that does not apply is empty."""

from __future__ import annotations

import csv
import io

from hub.stats.model import Cell, StatTable

GROUP_LABELS = {"area": "Gebied (stadsdeel)", "category": "Categorie", "source_kind": "Soort bron",
                "month": "Maand", "partner": "Partner", "pc4": "Postcode (PC4)"}
SUPPRESSED = "onderdrukt"


def group_label(table: StatTable) -> str:
    label = GROUP_LABELS.get(table.group_by, table.group_by)
    return f"{label} — flow" if table.measure == "termijnen" else label


def cell_text(cell: Cell) -> str:
    if cell.suppressed:
        return SUPPRESSED
    return "" if cell.value is None else str(cell.value)


def table_csv(table: StatTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([group_label(table), *(c.label for c in table.columns)])
    for row in (*table.rows, *(r for r in (table.totaal, table.aandeel) if r is not None)):
        writer.writerow([row.label, *(cell_text(c) for c in row.cells)])
    return out.getvalue()
