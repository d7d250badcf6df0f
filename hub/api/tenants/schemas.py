"""Request and response shapes of /api/v1/admin/tenants (with its keys and users)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tenants.model import Role, Scope, TenantKind


class TenantCreateSchema(Schema):
    id = fields.String(required=True, validate=validate.Length(min=1, max=64),
                       metadata={"description": "Slug, e.g. `mzwo-centrum`", "example": "stadgenoot"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.Enum(TenantKind, by_value=True, required=True)
    oin = fields.String(validate=validate.Length(equal=20), allow_none=True)
    kvk = fields.String(validate=validate.Length(equal=8), allow_none=True)
    alert_email = fields.String(allow_none=True, validate=validate.Length(max=254), metadata={
        "description": "Where alerts (endpoint disabled, delivery dead, …) are e-mailed"})


class TenantUpdateSchema(Schema):
    alert_email = fields.String(required=True, allow_none=True, validate=validate.Length(max=254),
                                metadata={"description": "Alert e-mail address; null: none"})


class TenantSchema(Schema):
    id = fields.String()
    name = fields.String()
    kind = fields.Enum(TenantKind, by_value=True)
    oin = fields.String(allow_none=True)
    kvk = fields.String(allow_none=True)
    status = fields.Function(lambda t: t.status.value, metadata={"enum": ["active", "suspended"]})
    is_operator = fields.Boolean()
    alert_email = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class KeyIssueSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    scopes = fields.List(fields.Enum(Scope, by_value=True), required=True,
                         validate=validate.Length(min=1))
    expires_at = fields.AwareDateTime(allow_none=True)


class KeySchema(Schema):
    id = fields.String()
    tenant_id = fields.String()
    name = fields.String()
    scopes = fields.Function(lambda k: sorted(s.value for s in k.scopes),
                             metadata={"type": "array", "items": {"type": "string"}})
    status = fields.String(metadata={"enum": ["active", "revoked"]})
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    last_used_at = fields.DateTime(allow_none=True)


class IssuedKeySchema(KeySchema):
    key = fields.String(metadata={"description": "The key itself. Shown once, never again."})


class UserCreateSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    roles = fields.List(fields.Enum(Role, by_value=True), required=True)


class UserSchema(Schema):
    id = fields.String()
    tenant_id = fields.String()
    email = fields.String()
    name = fields.String()
    roles = fields.Function(lambda u: sorted(r.value for r in u.roles),
                            metadata={"type": "array", "items": {"type": "string"}})
    created_at = fields.DateTime()
