"""/api/v1/admin/tenants: onboarding tenants, their API keys and their users."""

from __future__ import annotations

from dataclasses import asdict
from types import SimpleNamespace
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from hub.api.auth import current_principal, requires
from hub.api.common import PageArgsSchema, page_of
from hub.api.context import container
from hub.api.tenants.schemas import (
    IssuedKeySchema,
    KeyIssueSchema,
    KeySchema,
    TenantCreateSchema,
    TenantSchema,
    TenantUpdateSchema,
    UserCreateSchema,
    UserSchema,
)
from tenants.model import Scope

blp = Blueprint("tenants", __name__, url_prefix="/api/v1/admin/tenants",
                description="Organisaties (tenants) aansluiten, schorsen; sleutels en gebruikers.")


@blp.route("")
class Tenants(MethodView):
    @requires(Scope.ADMIN)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(TenantSchema))
    def get(self, args: dict) -> Any:
        """List tenants (a tenant admin sees only its own)."""
        return container().tenants.list(current_principal(), **args)

    @requires(Scope.ADMIN)
    @blp.arguments(TenantCreateSchema)
    @blp.response(201, TenantSchema)
    def post(self, body: dict) -> Any:
        """Create a tenant (hub admin)."""
        return container().tenants.create(
            current_principal(), tenant_id=body["id"], name=body["name"], kind=body["kind"],
            oin=body.get("oin"), kvk=body.get("kvk"), alert_email=body.get("alert_email"))


@blp.route("/<tenant_id>")
class TenantById(MethodView):
    @requires(Scope.ADMIN)
    @blp.response(200, TenantSchema)
    def get(self, tenant_id: str) -> Any:
        """Get one tenant."""
        return container().tenants.get(current_principal(), tenant_id)

    @requires(Scope.ADMIN)
    @blp.arguments(TenantUpdateSchema)
    @blp.response(200, TenantSchema)
    def patch(self, body: dict, tenant_id: str) -> Any:
        """Change a tenant's settings: its alert e-mail address (the tenant's own admin or a
        hub admin)."""
        return container().tenants.set_alert_email(current_principal(), tenant_id,
                                                   body["alert_email"])


@blp.route("/<tenant_id>/suspend", methods=["POST"])
@requires(Scope.ADMIN)
@blp.response(200, TenantSchema)
def suspend(tenant_id: str) -> Any:
    """Suspend a tenant: its keys stop working, nothing is delivered to it (hub admin)."""
    return container().tenants.suspend(current_principal(), tenant_id)


@blp.route("/<tenant_id>/activate", methods=["POST"])
@requires(Scope.ADMIN)
@blp.response(200, TenantSchema)
def activate(tenant_id: str) -> Any:
    """Lift a suspension (hub admin)."""
    return container().tenants.activate(current_principal(), tenant_id)


@blp.route("/<tenant_id>/keys")
class Keys(MethodView):
    @requires(Scope.ADMIN)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(KeySchema))
    def get(self, args: dict, tenant_id: str) -> Any:
        """List a tenant's API keys (never the keys themselves)."""
        return container().keys.list(current_principal(), tenant_id, **args)

    @requires(Scope.ADMIN)
    @blp.arguments(KeyIssueSchema)
    @blp.response(201, IssuedKeySchema)
    def post(self, body: dict, tenant_id: str) -> Any:
        """Issue an API key. The answer holds the key once; store it, it is not shown again."""
        key, plaintext = container().keys.issue(
            current_principal(), tenant_id, name=body["name"], scopes=body["scopes"],
            expires_at=body.get("expires_at"))
        return SimpleNamespace(**asdict(key), status=key.status, key=plaintext)


@blp.route("/<tenant_id>/keys/<key_id>/revoke", methods=["POST"])
@requires(Scope.ADMIN)
@blp.response(200, KeySchema)
def revoke_key(tenant_id: str, key_id: str) -> Any:
    """Revoke an API key at once. Repeating is harmless."""
    return container().keys.revoke(current_principal(), tenant_id, key_id)


@blp.route("/<tenant_id>/users")
class Users(MethodView):
    @requires(Scope.ADMIN)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(UserSchema))
    def get(self, args: dict, tenant_id: str) -> Any:
        """List a tenant's users and their roles."""
        return container().users.list(current_principal(), tenant_id, **args)

    @requires(Scope.ADMIN)
    @blp.arguments(UserCreateSchema)
    @blp.response(201, UserSchema)
    def post(self, body: dict, tenant_id: str) -> Any:
        """Register a user with roles (hub admin, tenant admin, privacy officer, inbox user)."""
        return container().users.create(current_principal(), tenant_id, email=body["email"],
                                        name=body["name"], roles=body["roles"])
