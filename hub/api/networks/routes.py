"""/api/v1/admin/networks: convenanten with parties, areas, regiecheck list and flows."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from hub.api.auth import current_principal, requires
from hub.api.common import PageArgsSchema, page_of
from hub.api.context import container
from hub.api.networks.schemas import (
    NetworkReplaceSchema,
    NetworkSchema,
    NetworkWriteSchema,
    VerwerkingsregisterSchema,
)
from tenants.errors import InvalidInput
from tenants.model import Scope
from tenants.services import NetworkSpec

blp = Blueprint("networks", __name__, url_prefix="/api/v1/admin/networks",
                description="Netwerken (convenanten): partijen, gebieden, regiecheck-lijst, stromen.")


@blp.route("")
class Networks(MethodView):
    @requires(Scope.ADMIN)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(NetworkSchema))
    def get(self, args: dict) -> Any:
        """List networks (a tenant admin sees the networks its tenant is party of)."""
        return container().networks.list(current_principal(), **args)

    @requires(Scope.ADMIN)
    @blp.arguments(NetworkWriteSchema)
    @blp.response(201, NetworkSchema)
    def post(self, spec: NetworkSpec) -> Any:
        """Create a network (hub admin)."""
        return container().networks.create(current_principal(), spec)


def _may_replace(view: Callable[..., Any]) -> Callable[..., Any]:
    """Authorise a replacement before its body is parsed and validated."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        container().networks.check_may_replace(current_principal(), kwargs["network_id"])
        return view(*args, **kwargs)

    return wrapper


@blp.route("/<network_id>")
class NetworkById(MethodView):
    @requires(Scope.ADMIN)
    @blp.response(200, NetworkSchema)
    def get(self, network_id: str) -> Any:
        """Get one network."""
        return container().networks.get(current_principal(), network_id)

    @requires(Scope.ADMIN)
    @_may_replace
    @blp.arguments(NetworkReplaceSchema)
    @blp.response(200, NetworkSchema)
    def put(self, spec: NetworkSpec, network_id: str) -> Any:
        """Replace a network's definition as a whole (hub admin)."""
        if spec.id and spec.id != network_id:
            raise InvalidInput(details=[{"field": "/id", "rule": "validation.id_mismatch"}])
        return container().networks.replace(current_principal(), replace(spec, id=network_id))


@blp.route("/<network_id>/verwerkingsregister", methods=["GET"])
@requires(Scope.AUDIT_READ)
@blp.response(200, VerwerkingsregisterSchema)
def verwerkingsregister(network_id: str) -> Any:
    """The network's verwerkingsregister (AVG art. 30): each processing activity with its
    purpose, legal basis, categories of data and retention — the network's own, or the hub's
    defaults. For the privacy officers of its parties and the hub admin."""
    network = container().networks.get(current_principal(), network_id)
    return {"network_id": network.id, "eigen": bool(network.verwerkingsregister),
            "verwerkingen": network.register}
