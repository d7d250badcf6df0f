"""Statistiek in the web, for a network's gemeente and meldpunt: the table of a measure with its
period and network, a CSV download, and suppressed cells shown as withheld. Through
``StatsService``, as the API."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.dates import format_date
from flask import Blueprint, Response, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from hub.api.context import container
from hub.errors import InvalidMessage
from hub.stats.export import cell_text, group_label, table_csv
from hub.stats.measures import GROUPS_OF
from hub.web.session import current_user, login_required
from hub.web.statistiek.chart import chart_svg
from hub.web.statistiek.forms import GROUP_LABELS, MEASURE_LABELS, StatistiekForm

blp = Blueprint("web_statistiek", __name__)


def dag(day: date) -> str:
    """``di 1 dec 2026``, as the other pages write dates."""
    return format_date(day, "EEE d MMM y", locale="nl_NL").replace(".", "")


def _form() -> StatistiekForm:
    form = StatistiekForm(request.args)
    networks = container().stats.networks(current_user().principal)
    form.netwerk.choices = [SelectChoice(nid, name) for nid, name in networks]
    if not request.args.get("netwerk") and networks:
        form.netwerk.data = networks[0][0]
    return form


def _table(form: StatistiekForm) -> Any:
    return container().stats.table(
        current_user().principal, measure=form.measure.data, group_by=form.group_by.data,
        first=form.van.data, last=form.tot.data, network=form.netwerk.data or None)


@blp.route("/statistiek", methods=["GET"])
@login_required()
def index() -> str:
    form = _form()
    table, note = None, None
    if form.measure.data not in GROUPS_OF or form.group_by.data not in dict(GROUP_LABELS):
        form.measure.data, form.group_by.data = "signalen", "source_kind"
    if form.group_by.data not in GROUPS_OF[form.measure.data]:
        note = "Deze maat kan niet zo worden ingedeeld; kies een andere indeling."
    elif not form.netwerk.data:
        note = "Uw organisatie neemt aan geen netwerk deel: er zijn geen cijfers."
    elif form.validate():
        try:
            table = _table(form)
        except InvalidMessage as exc:  # a period too long: the service's own Dutch message
            note = exc.message
    download = url_for("web_statistiek.csv", **request.args) if table else None
    chart = url_for("web_statistiek.svg", **request.args) if table and table.rows else None
    return render_template("web/statistiek.html", title="Statistiek", form=form, table=table,
                           note=note, download=download, chart=chart,
                           group_label=group_label(table) if table else "",
                           cell_text=cell_text, dag=dag,
                           measure_label=dict(MEASURE_LABELS).get(form.measure.data, ""))


def _chosen_table() -> Any:
    """The table the page's filters name, or None when they name none."""
    form = _form()
    if form.group_by.data not in GROUPS_OF.get(form.measure.data, ()) or not form.validate():
        return None
    return _table(form)


@blp.route("/statistiek.svg", methods=["GET"])
@login_required()
def svg() -> Response | tuple[str, int]:
    """The chart of the table the same filters show (an image on the page, the table under it)."""
    table = _chosen_table()
    drawn = chart_svg(table, f"{dict(MEASURE_LABELS).get(table.measure, '')} per "
                             f"{group_label(table).lower()}") if table is not None else None
    if drawn is None:
        from hub.web import error_page
        return error_page(404, "Voor deze selectie is er geen grafiek.")
    # An SVG image is its own document: its style sheet is inline, and it runs no script.
    return Response(drawn, mimetype="image/svg+xml", headers={
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})


@blp.route("/statistiek.csv", methods=["GET"])
@login_required()
def csv() -> Response | tuple[str, int]:
    table = _chosen_table()
    if table is None:
        from hub.web import error_page
        return error_page(400, "Deze selectie kan niet worden gedownload.")
    return Response(table_csv(table), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="statistiek-{table.measure}-'
                               f'{table.group_by}.csv"'})
