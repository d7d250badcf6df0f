"""/api/v1/stats: figures without personal data for a network's gemeente and meldpunt,
suppressed below 5; ``Accept: text/csv`` gives the same table as CSV."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_smorest import Blueprint

from hub.api.auth import current_principal, requires
from hub.api.common import ErrorSchema
from hub.api.context import container
from hub.api.stats.schemas import StatsArgsSchema, StatTableSchema
from hub.stats.export import table_csv

blp = Blueprint("stats", __name__, url_prefix="/api/v1",
                description="Statistiek: hoeveel, waar, wat voor soort, van wie, recidive en "
                            "termijnen — zonder persoonsgegevens, kleine aantallen onderdrukt.")

CSV = "text/csv"


@blp.route("/stats", methods=["GET"])
@requires()
@blp.arguments(StatsArgsSchema, location="query")
@blp.response(200, StatTableSchema)
@blp.doc(responses={"200": {"description": "The table, or with `Accept: text/csv` the same "
                                           "table as CSV (Dutch headers)", "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/StatTable"}},
    CSV: {"schema": {"type": "string"}}}}})
@blp.alt_response(403, schema=ErrorSchema,
                  description="stats.niet_toegestaan: only a gemeente or meldpunt")
@blp.alt_response(404, schema=ErrorSchema, description="Not a network of yours")
@blp.alt_response(422, schema=ErrorSchema, description="A measure, grouping or period the "
                  "statistics cannot answer (stats.*, validation.invalid)")
def stats(args: dict) -> Any:
    """One measure of the caller's network, grouped one way, over a period. Cells under 5 are
    `null` with `"suppressed": true`, and so is every cell that could be computed back from
    the totals. `bijgewerkt_tot` says up to when the figures are complete."""
    table = container().stats.table(current_principal(), **args)
    if request.accept_mimetypes.best_match(["application/json", CSV]) == CSV:
        return Response(table_csv(table), mimetype=CSV, headers={
            "Content-Disposition": f'attachment; filename="statistiek-{table.measure}-'
                                   f'{table.group_by}.csv"'})
    return table
