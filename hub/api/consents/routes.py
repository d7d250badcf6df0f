"""/api/v1/consents, /api/v1/begeleide-woningen, /api/v1/decisions: the consent registry."""

from __future__ import annotations

from dataclasses import fields
from types import SimpleNamespace
from typing import Any

from flask_smorest import Blueprint

from hub.api.auth import current_principal, requires
from hub.api.common import ErrorSchema, PageArgsSchema
from hub.api.consents.schemas import (
    ConsentCreateSchema,
    ConsentListArgsSchema,
    ConsentPageSchema,
    ConsentSchema,
    ConsentWithVersionsSchema,
    DecisionArgsSchema,
    DecisionPageSchema,
    WithdrawSchema,
    WoningCreateSchema,
    WoningPageSchema,
    WoningPatchSchema,
    WoningSchema,
)
from hub.api.context import container
from tenants.model import Scope

blp = Blueprint("consents", __name__, url_prefix="/api/v1",
                description="Toestemmingen, begeleide woningen en elke deelbeslissing.")


#: What a reader sees of a consent now (``EffectiveStatus``), and of a version as recorded.
STATUS_NL = {"active": "actief", "expired": "verlopen", "withdrawn": "ingetrokken"}


def _shown(consent: Any, **extra: Any) -> SimpleNamespace:
    """The consent with ``status`` as of now: actief, verlopen or ingetrokken."""
    now = container().clock()
    shown = {f.name: getattr(consent, f.name) for f in fields(consent)} | extra
    return SimpleNamespace(**shown | {"status": STATUS_NL[consent.effective_status(now).value]})


def _recorded(version: Any) -> SimpleNamespace:
    shown = {f.name: getattr(version, f.name) for f in fields(version)}
    return SimpleNamespace(**shown | {"status": STATUS_NL[version.status.value]})


@blp.route("/consents", methods=["POST"])
@requires(Scope.CONSENT_WRITE)
@blp.arguments(ConsentCreateSchema)
@blp.response(201, ConsentSchema)
def register(body: dict) -> Any:
    """Register a written consent: named recipients, purpose, necessity, a fixed term.
    The identity fields only compute the pseudonymous client_ref; they are not stored."""
    return _shown(container().consents.register(current_principal(), body))


@blp.route("/consents", methods=["GET"])
@requires(Scope.CONSENT_READ)
@blp.arguments(ConsentListArgsSchema, location="query")
@blp.response(200, ConsentPageSchema)
def list_consents(args: dict) -> Any:
    """Consents your tenant controls or receives under; ``status`` filters on the status now."""
    if args.get("status") in STATUS_NL.values():
        args["status"] = {nl: en for en, nl in STATUS_NL.items()}[args["status"]]
    page = container().consents.list(current_principal(), **args)
    return SimpleNamespace(items=[_shown(c) for c in page.items], next=page.next)


@blp.route("/consents/<consent_id>", methods=["GET"])
@requires(Scope.CONSENT_READ)
@blp.response(200, ConsentWithVersionsSchema)
def get(consent_id: str) -> Any:
    """One consent with every version."""
    latest, versions = container().consents.get(current_principal(), consent_id)
    return _shown(latest, versions=[_recorded(v) for v in versions])


@blp.route("/consents/<consent_id>/withdraw", methods=["POST"])
@requires(Scope.CONSENT_WRITE)
@blp.arguments(WithdrawSchema)
@blp.response(200, ConsentSchema)
def withdraw(body: dict, consent_id: str) -> Any:
    """Withdraw at once: also deliveries still queued or retrying are stopped."""
    return _shown(container().consents.withdraw(current_principal(), consent_id,
                                                body.get("reason")))


@blp.route("/begeleide-woningen", methods=["POST"])
@requires(Scope.CONSENT_WRITE)
@blp.arguments(WoningCreateSchema)
@blp.response(201, WoningSchema)
def register_woning(body: dict) -> Any:
    """Register a begeleide woning: signalen about it go to you too, on the client's consent."""
    return container().woningen.register(current_principal(), body)


@blp.route("/begeleide-woningen", methods=["GET"])
@requires(Scope.CONSENT_READ)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, WoningPageSchema)
def list_woningen(args: dict) -> Any:
    """Your tenant's begeleide woningen."""
    return container().woningen.list(current_principal(), **args)


@blp.route("/begeleide-woningen/<woning_id>", methods=["GET"])
@requires(Scope.CONSENT_READ)
@blp.response(200, WoningSchema)
def get_woning(woning_id: str) -> Any:
    """One begeleide woning."""
    return container().woningen.get(current_principal(), woning_id)


@blp.route("/decisions", methods=["GET"])
@requires(Scope.CONSENT_READ)
@blp.arguments(DecisionArgsSchema, location="query")
@blp.response(200, DecisionPageSchema)
def decisions(args: dict) -> Any:
    """Every sharing decision with its basis, for messages your tenant sent or was asked to
    receive."""
    return container().decisions.list(current_principal(), **args)


@blp.route("/begeleide-woningen/<woning_id>", methods=["PATCH"])
@requires(Scope.CONSENT_WRITE)
@blp.arguments(WoningPatchSchema)
@blp.response(200, WoningSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such woning, or not yours")
@blp.alt_response(422, schema=ErrorSchema, description="An omklap that does not fit")
def change_woning(body: dict, woning_id: str) -> Any:
    """Record the omklap (contractvorm eigen_naam with omklap_datum: 2 years of waakvlam
    follow) or the end of the arrangement (einde_datum)."""
    return container().woningen.change(current_principal(), woning_id, body)
