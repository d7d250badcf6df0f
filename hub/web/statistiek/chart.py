"""The chart above a statistics table, rendered as SVG by pygal (a charting library, not
hand-drawn): bars per group of the table's counts; a withheld cell is left out, never drawn
as a value. The table beneath the chart stays the accessible source of the figures."""

from __future__ import annotations

import re

import pygal
from pygal.style import Style

from hub.stats.model import StatTable

#: Columns that are derived from the others (shares, totals) or of another unit: not drawn.
_NOT_DRAWN = frozenset({"aandeel", "totaal", "percentage", "antwoorden"})

#: The NL Design System's Utrecht palette, dark enough against white for text and bars.
_STYLE = Style(background="#ffffff", plot_background="#ffffff", foreground="#1f1f1f",
               foreground_strong="#000000", foreground_subtle="#595959", opacity="1",
               opacity_hover="0.85", font_family="Fira Sans, Arial, sans-serif",
               colors=("#cc0000", "#24578f", "#3e6f2b", "#6e3a8e", "#8a5a00", "#00616b",
                       "#595959"))


def drawn_columns(table: StatTable) -> list[int]:
    """The indexes of the columns the chart shows."""
    return [i for i, c in enumerate(table.columns) if c.key not in _NOT_DRAWN]


def chart_svg(table: StatTable, title: str) -> str | None:
    """The SVG document of ``table``'s chart, or None when there is nothing to draw."""
    columns = drawn_columns(table)
    if not table.rows or not columns:
        return None
    stacked = table.measure in ("signalen", "meldingen") and len(columns) > 1
    kind = pygal.StackedBar if stacked else pygal.Bar
    chart = kind(style=_STYLE, js=(), title=title, width=900, height=420,
                 show_legend=len(columns) > 1, legend_at_bottom=True, x_label_rotation=20,
                 truncate_label=-1, truncate_legend=-1, print_values=False,
                 no_data_text="Geen getoonde aantallen", disable_xml_declaration=False)
    chart.x_labels = [row.label for row in table.rows]
    for i in columns:
        chart.add(table.columns[i].label,
                  [None if row.cells[i].suppressed else row.cells[i].value for row in table.rows])
    # pygal writes its tooltip configuration as an inline script even without its scripts: an
    # image runs none, so it goes.
    return _SCRIPT.sub("", chart.render(is_unicode=True))


_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
