"""Schemas shared by every blueprint: the error body, pagination arguments and page envelopes."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tenants.pagination import MAX_LIMIT


class ErrorDetailSchema(Schema):
    field = fields.String(metadata={"description": "JSON pointer of the offending field"})
    rule = fields.String()
    span = fields.List(fields.Integer(), allow_none=True)
    message = fields.String()
    in_ = fields.String(data_key="in", metadata={
        "enum": ["query", "path", "headers", "cookies", "form", "files"],
        "description": "Where the field is, when not in the JSON body"})


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"example": "validation.unknown_field"})
    message = fields.String(required=True)
    details = fields.List(fields.Nested(ErrorDetailSchema))


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


class PageArgsSchema(Schema):
    after = fields.String(metadata={"description": "Cursor from the previous page's `next`."})
    limit = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_LIMIT))


_page_schemas: dict[str, type[Schema]] = {}


def page_of(item_schema: type[Schema]) -> type[Schema]:
    """A ``{"items": [...], "next": cursor|null}`` envelope named after its item schema."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    if name not in _page_schemas:
        _page_schemas[name] = type(name, (Schema,), {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "next": fields.String(allow_none=True, required=True),
        })
    return _page_schemas[name]
