"""/api/v1/regiechecks: a meldpunt asks its network's partners whether they know a person;
the partners answer with dat-informatie only."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_smorest import Blueprint

from hub.api.auth import current_principal, requires
from hub.api.common import ErrorSchema
from hub.api.context import container
from hub.api.regiechecks.schemas import (
    AntwoordResultSchema,
    GevraagdArgsSchema,
    GevraagdPageSchema,
    ListArgsSchema,
    RegiecheckPageSchema,
    RegiecheckSchema,
)
from tenants.model import Scope

blp = Blueprint("regiechecks", __name__, url_prefix="/api/v1",
                description="Regiecheck (netwerkonderzoek): partners vragen of zij een persoon "
                            "of huishouden kennen; antwoorden zijn alleen dat-informatie.")

_VERZOEK_BODY = {"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/RegiecheckVerzoek"}}}}
_ANTWOORD_BODY = {"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/AntwoordBody"}}}}


@blp.route("/regiechecks", methods=["POST"])
@requires(Scope.REGIECHECK)
@blp.doc(requestBody=_VERZOEK_BODY)
@blp.response(201, RegiecheckSchema, description="Asked: every partner `gevraagd`")
@blp.alt_response(200, schema=RegiecheckSchema,
                  description="A repeat of an earlier `kenmerk_afzender`: the existing check, "
                              "header `Idempotent-Replayed: true`")
@blp.alt_response(403, schema=ErrorSchema, description="Only a meldpunt asks")
@blp.alt_response(422, schema=ErrorSchema,
                  description="Schema or privacy rule broken; `regiecheck.melder_zonder_reden`; "
                              "`regiecheck.partner_niet_in_netwerk` naming the partner")
def create() -> Any:
    """Ask the network's standard list (or `partners`), plus `extra_partners`."""
    created = container().regiechecks.create(current_principal(), request.get_json())
    response = jsonify(RegiecheckSchema().dump(created.view))
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
        response.status_code = 200
    else:
        response.status_code = 201
    return response


@blp.route("/regiechecks", methods=["GET"])
@requires(Scope.REGIECHECK)
@blp.arguments(ListArgsSchema, location="query")
@blp.response(200, RegiecheckPageSchema)
def list_asked(args: dict) -> Any:
    """Your own checks, oldest first."""
    return container().regiechecks.list_asked(current_principal(), status=args.get("status"),
                                              after=args.get("after"), limit=args.get("limit"))


@blp.route("/regiechecks/gevraagd", methods=["GET"])
@requires(Scope.REGIECHECK)
@blp.arguments(GevraagdArgsSchema, location="query")
@blp.response(200, GevraagdPageSchema)
def list_gevraagd(args: dict) -> Any:
    """The checks you were asked, each with your own row only."""
    return container().regiechecks.list_gevraagd(
        current_principal(), status=args.get("status"), after=args.get("after"),
        limit=args.get("limit"))


@blp.route("/regiechecks/<regiecheck_id>", methods=["GET"])
@requires(Scope.REGIECHECK)
@blp.response(200, RegiecheckSchema)
@blp.alt_response(404, schema=ErrorSchema, description="Unknown, or not your check")
def get(regiecheck_id: str) -> Any:
    """Per partner `gevraagd|bekend|onbekend|verlopen`, when answered, and the contact where
    `bekend`. Only the asking meldpunt sees it; anyone else gets 404."""
    return container().regiechecks.get(current_principal(), regiecheck_id)


@blp.route("/regiechecks/<regiecheck_id>/antwoord", methods=["POST"])
@requires(Scope.REGIECHECK)
@blp.doc(requestBody=_ANTWOORD_BODY)
@blp.response(200, AntwoordResultSchema)
@blp.alt_response(404, schema=ErrorSchema, description="Unknown, or you were not asked")
@blp.alt_response(422, schema=ErrorSchema,
                  description="`privacy.dat_informatie` for any field beyond dat-informatie; "
                              "`privacy.bsn` / `privacy.medical` in a contact field")
def answer(regiecheck_id: str) -> Any:
    """Answer a check you were asked: `{"bekend": true, "contact": {...}}` or
    `{"bekend": false}`. A second answer replaces the first."""
    return container().regiechecks.answer(current_principal(), regiecheck_id,
                                          request.get_json())
