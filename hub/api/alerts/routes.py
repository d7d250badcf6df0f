"""/api/v1/admin/alerts: what the tenant's people must act on, newest first."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from hub.api.alerts.schemas import AlertArgsSchema, AlertPageSchema
from hub.api.auth import current_principal, requires
from hub.api.context import container
from tenants.model import Scope

blp = Blueprint("alerts", __name__, url_prefix="/api/v1/admin/alerts",
                description="Meldingen: uitgeschakelde koppelingen, niet afgeleverde berichten, "
                            "verlopen termijnen; met wat te doen.")


@blp.route("", methods=["GET"])
@requires(Scope.ADMIN)
@blp.arguments(AlertArgsSchema, location="query")
@blp.response(200, AlertPageSchema)
def list_alerts(args: dict) -> Any:
    """Alerts of the caller's tenant, newest first (a hub admin: of every tenant)."""
    return container().alerts.list(current_principal(), after=args.get("after"),
                                   limit=args.get("limit"), tenant_id=args.get("tenant"))
