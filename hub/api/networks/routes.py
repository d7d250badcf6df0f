"""/api/v1/admin/networks: convenanten with parties, areas, regiecheck list and flows."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from hub.api.auth import current_principal, requires
from hub.api.common import PageArgsSchema, page_of
from hub.api.context import container
from hub.api.networks.schemas import (
    NetworkReplaceSchema,
    NetworkSchema,
    NetworkWriteSchema,
    PartyAddSchema,
    VerwerkingsregisterSchema,
)
from tenants.errors import InvalidInput
from tenants.model import Network, Party, Scope
from tenants.services import NetworkSpec
from tenants.services.networks import version_of

blp = Blueprint("networks", __name__, url_prefix="/api/v1/admin/networks",
                description="Netwerken (convenanten): partijen, gebieden, regiecheck-lijst, stromen.")

_ETAG_HEADER = {"ETag": {"description": "The network's version (quoted)",
                         "schema": {"type": "string"}}}
_IF_MATCH = {"in": "header", "name": "If-Match", "required": False,
             "schema": {"type": "string"},
             "description": "The version (`ETag`) the change is based on; a network changed "
                            "since answers 412 and nothing is stored. Optional."}
_STALE = {"description": "If-Match names an older version: someone changed the network since"}


def _if_match() -> str | None:
    """The version of ``If-Match`` (quotes and a weak prefix dropped); None when absent."""
    raw = request.headers.get("If-Match")
    if raw is None or raw.strip() == "*":
        return None
    return raw.strip().removeprefix("W/").strip('"')


def _tagged(network: Network, status: int = 200) -> tuple[Network, int, dict]:
    return network, status, {"ETag": f'"{version_of(network)}"'}


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
        return _tagged(container().networks.create(current_principal(), spec), 201)


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
    @blp.response(200, NetworkSchema, headers=_ETAG_HEADER)
    def get(self, network_id: str) -> Any:
        """Get one network, with its version as `ETag`."""
        return _tagged(container().networks.get(current_principal(), network_id))

    @requires(Scope.ADMIN)
    @_may_replace
    @blp.arguments(NetworkReplaceSchema)
    @blp.response(200, NetworkSchema, headers=_ETAG_HEADER)
    @blp.alt_response(412, description=_STALE["description"])
    @blp.doc(parameters=[_IF_MATCH])
    def put(self, spec: NetworkSpec, network_id: str) -> Any:
        """Replace a network's definition as a whole (hub admin). Send the `ETag` you read as
        `If-Match` to have the change refused (412) when someone changed the network since."""
        if spec.id and spec.id != network_id:
            raise InvalidInput(details=[{"field": "/id", "rule": "validation.id_mismatch"}])
        body = request.get_json(silent=True)
        sent = body.get("version") if isinstance(body, dict) else None
        return _tagged(container().networks.replace(
            current_principal(), replace(spec, id=network_id),
            if_version=_if_match() or (sent if isinstance(sent, str) else None)))


@blp.route("/<network_id>/parties", methods=["POST"])
@requires(Scope.ADMIN)
@_may_replace
@blp.arguments(PartyAddSchema)
@blp.response(200, NetworkSchema, headers=_ETAG_HEADER)
@blp.alt_response(412, description=_STALE["description"])
@blp.doc(parameters=[_IF_MATCH])
def add_party(party: Party, network_id: str) -> Any:
    """Onboard one party to a network (hub admin) without resending the whole convenant;
    audited as `network.party_added`. Answers the network as it is now."""
    return _tagged(container().networks.add_party(current_principal(), network_id, party,
                                                  if_version=_if_match()))


@blp.route("/<network_id>/parties/<tenant_id>", methods=["DELETE"])
@requires(Scope.ADMIN)
@_may_replace
@blp.response(200, NetworkSchema, headers=_ETAG_HEADER)
@blp.alt_response(412, description=_STALE["description"])
@blp.doc(parameters=[_IF_MATCH])
def remove_party(network_id: str, tenant_id: str) -> Any:
    """Take one party out of a network (hub admin), with its places on the regiecheck list and
    in the toewijzingsadvies; refused (409) while it still holds an area. Audited as
    `network.party_removed`."""
    return _tagged(container().networks.remove_party(current_principal(), network_id,
                                                     tenant_id, if_version=_if_match()))


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
