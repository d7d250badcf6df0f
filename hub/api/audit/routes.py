"""/api/v1/audit: the hash-chained processing log and its verification."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from hub.api.audit.schemas import AuditArgsSchema, AuditPageSchema, VerificationSchema
from hub.api.auth import current_principal, requires
from hub.api.context import container
from tenants.model import Scope

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit",
                description="Het verwerkingslogboek: elke verwerking, in een hashketen.")


@blp.route("", methods=["GET"])
@requires(Scope.AUDIT_READ)
@blp.arguments(AuditArgsSchema, location="query")
@blp.response(200, AuditPageSchema)
def list_entries(args: dict) -> Any:
    """Entries in chain order; a tenant sees the entries about its own processing, a hub
    admin all of them. Entries hold ids, hashes and pseudonyms, never payload text."""
    return container().audit.list(current_principal(), after=args.get("after"),
                                  limit=args.get("limit"), activity=args.get("activity"))


@blp.route("/verify", methods=["GET"])
@requires(Scope.AUDIT_READ)
@blp.response(200, VerificationSchema)
def verify() -> Any:
    """Check the whole chain: every hash, no gap, the head and every signed anchor. Any
    changed, removed, reordered or cut-off entry makes `ok` false."""
    return container().audit.verify()
