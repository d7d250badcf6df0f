"""/api/v1/zaken: the meldpunt's view of a case; a partner sees only its own items."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask_smorest import Blueprint

from hub.api.auth import current_principal, requires
from hub.api.common import ErrorSchema
from hub.api.context import container
from hub.api.zaken.schemas import (
    LinkSignaalSchema,
    ZaakListArgsSchema,
    ZaakPageSchema,
    ZaakViewSchema,
)
from hub.flows.zaken.model import ZaakView
from tenants.model import Scope

blp = Blueprint("zaken", __name__, url_prefix="/api/v1",
                description="Zaken: het zicht van het meldpunt op het geheel van een casus.")


def _flat(view: ZaakView) -> SimpleNamespace:
    z = view.zaak
    return SimpleNamespace(kenmerk=z.kenmerk, meldpunt=z.meldpunt, status=z.status,
                           opened_at=z.opened_at, closed_at=z.closed_at,
                           reden_afsluiting=z.reden_afsluiting, shredded_at=z.shredded_at,
                           categorieen=list(view.categorieen),
                           advies=list(view.advies), items=list(view.items))


@blp.route("/zaken", methods=["GET"])
@requires(Scope.MESSAGES_RECEIVE)
@blp.arguments(ZaakListArgsSchema, location="query")
@blp.response(200, ZaakPageSchema)
def list_zaken(args: dict) -> Any:
    """A meldpunt's own zaken; for a partner, the zaken it sent or received an item of."""
    return container().zaken.list(current_principal(), **args)


@blp.route("/zaken/<kenmerk>", methods=["GET"])
@requires(Scope.MESSAGES_RECEIVE)
@blp.response(200, ZaakViewSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such zaak, or not yours to see")
def get_zaak(kenmerk: str) -> Any:
    """The timeline: every item, who received it, when, its status and term."""
    return _flat(container().zaken.view(current_principal(), kenmerk))


@blp.route("/zaken/<kenmerk>/signalen", methods=["POST"])
@requires(Scope.MESSAGES_SEND)
@blp.arguments(LinkSignaalSchema)
@blp.response(201, ZaakViewSchema)
@blp.alt_response(403, schema=ErrorSchema, description="Only a meldpunt holds zaken")
@blp.alt_response(422, schema=ErrorSchema,
                  description="validation.unknown_reference: not a signaal you received")
def link_signaal(body: dict, kenmerk: str) -> Any:
    """Register a received signaal under the zaak (opened, or reopened within 3 months)."""
    return _flat(container().zaken.link_signaal(current_principal(), kenmerk, body["signaal_id"]))
