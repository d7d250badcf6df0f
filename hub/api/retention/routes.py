"""/api/v1/admin/retention: the last retention run and what is due."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from hub.api.auth import current_principal, requires
from hub.api.context import container
from hub.api.retention.schemas import RetentionOverviewSchema
from tenants.model import Scope

blp = Blueprint("retention", __name__, url_prefix="/api/v1/admin/retention",
                description="Bewaartermijnen: de laatste vernietigingsrun en wat verloopt.")


@blp.route("", methods=["GET"])
@requires(Scope.ADMIN)
@blp.response(200, RetentionOverviewSchema)
def overview() -> Any:
    """The last retention run (hub-wide counts) and how many of the caller's messages are due
    now and within 30 days (a hub admin: of every tenant)."""
    return container().retention.overview(current_principal())
