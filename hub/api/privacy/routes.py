"""/api/v1/privacy/check: the verdict intake would give, for partner developers. Stores nothing."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from hub.api.auth import requires
from hub.api.context import container
from hub.api.privacy.schemas import PrivacyCheckRequestSchema, PrivacyVerdictSchema

blp = Blueprint("privacy", __name__, url_prefix="/api/v1/privacy",
                description="Test a payload against the BSN and medical-data rules.")


@blp.route("/check", methods=["POST"])
@requires()
@blp.arguments(PrivacyCheckRequestSchema)
@blp.response(200, PrivacyVerdictSchema)
def check(body: dict) -> Any:
    """Scan any JSON value for BSNs and medical data; the answer names fields and spans only."""
    return container().privacy_guard.scan(body["input"]).to_dict()
