"""Shapes of /api/v1/stats: the query and the suppressed table."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hub.stats.measures import DIMENSION, MEASURES


class StatsArgsSchema(Schema):
    measure = fields.String(load_default="signalen", validate=validate.OneOf(MEASURES),
                            metadata={"description": "signalen and meldingen (counts, shares "
                                      "per source kind), recidive (seed 002), termijnen (met "
                                      "within their werkdagen), regiecheck (answer times)"})
    group_by = fields.String(load_default="source_kind", validate=validate.OneOf(list(DIMENSION)),
                             metadata={"description": "Rows of the table; termijnen: partner, "
                                       "month or area; regiecheck: partner or month"})
    first = fields.Date(data_key="from", metadata={
        "description": "First day (Europe/Amsterdam); default a year before `to`"})
    last = fields.Date(data_key="to", metadata={"description": "Last day; default today"})
    network = fields.String(validate=validate.Length(min=1, max=64), metadata={
        "description": "Required when the caller takes part in several networks"})


class CellSchema(Schema):
    value = fields.Raw(allow_none=True, metadata={
        "type": "number", "nullable": True,
        "description": "A count or percentage; null when suppressed or not applicable"})
    suppressed = fields.Boolean(metadata={
        "description": "True when withheld: under 5, or a cell from which one could be derived"})


class ColumnSchema(Schema):
    key = fields.String()
    label = fields.String()


class RowSchema(Schema):
    key = fields.String(metadata={"description": "Tenant id, categorie, source kind, YYYY-MM, "
                                  "PC4; termijnen: <group>/<flow>"})
    label = fields.String()
    cells = fields.List(fields.Nested(CellSchema))


class StatTableSchema(Schema):
    measure = fields.String()
    group_by = fields.String()
    network = fields.String()
    first = fields.Date(data_key="from")
    last = fields.Date(data_key="to")
    bijgewerkt_tot = fields.DateTime(allow_none=True, metadata={
        "description": "The figures count everything the hub processed up to this moment"})
    columns = fields.List(fields.Nested(ColumnSchema))
    rows = fields.List(fields.Nested(RowSchema))
    totaal = fields.Nested(RowSchema, allow_none=True)
    aandeel = fields.Nested(RowSchema, allow_none=True, metadata={
        "description": "signalen/meldingen: each column's share of the grand total (%)"})
    toelichting = fields.String()
