"""/api/v1/termijnen: the terms a tenant owes, is owed, or watches as the area's meldpunt."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from hub.api.auth import current_principal, requires
from hub.api.context import container
from hub.api.termijnen.schemas import TermijnArgsSchema, TermijnPageSchema
from tenants.model import Scope

blp = Blueprint("termijnen", __name__, url_prefix="/api/v1",
                description="Termijnen in werkdagen: wat loopt, wat gehaald is en wat verliep.")


@blp.route("/termijnen", methods=["GET"])
@requires(Scope.MESSAGES_RECEIVE)
@blp.arguments(TermijnArgsSchema, location="query")
@blp.response(200, TermijnPageSchema)
def termijnen(args: dict) -> Any:
    """Terms by deadline: those you owe (recipient), those owed to you (sender), and for a
    meldpunt those of its area. Filter on `status`."""
    return container().termijnen.list(current_principal(), status=args.get("status"),
                                      after=args.get("after"), limit=args.get("limit"))
