"""/api/v1/inzage: a data subject's access request (AVG art. 15), answered by a privacy officer.
POST, so that no identity lands in a URL or an access log."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from hub.api.auth import current_principal, requires
from hub.api.context import container
from hub.api.inzage.schemas import InzageReportSchema, InzageRequestSchema
from hub.inzage.service import AdresPeriode
from tenants.model import Scope

blp = Blueprint("inzage", __name__, url_prefix="/api/v1/inzage",
                description="Inzage: elk bericht over een persoon dat de hub doorgaf.")


@blp.route("", methods=["POST"])
@requires(Scope.AUDIT_READ)
@blp.arguments(InzageRequestSchema)
@blp.response(200, InzageReportSchema)
def inzage(body: dict) -> Any:
    """Every message about this person the caller's tenant sent or received (a hub admin: every
    message), of every type and basis: naming the person, shared on the person's consent, or
    about the person's address while registered there. The identity is not stored; the
    inzage itself is audited with the person's pseudonym."""
    return container().inzage.report(current_principal(), as_persoon(body["persoon"]),
                                     [AdresPeriode(p["adres"], p.get("van"), p.get("tot"))
                                      for p in body.get("adressen") or ()])


def as_persoon(raw: dict) -> dict:
    """The identity fields as the pseudonym wants them (the birth date as ISO text)."""
    return {**raw, "geboortedatum": raw["geboortedatum"].isoformat()}
