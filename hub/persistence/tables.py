"""The schema as SQLAlchemy Core tables. Alembic migrations create it; this is their mirror,
checked against them by a test."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from hub.persistence.types import UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

tenants = Table(
    "tenants",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("oin", String(20), nullable=True),
    Column("kvk", String(8), nullable=True),
    Column("status", String(16), nullable=False),
    Column("is_operator", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("tenant_id", String(64), ForeignKey("tenants.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("scopes", Text, nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("last_used_at", UtcDateTime, nullable=True),
)

users = Table(
    "users",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("tenant_id", String(64), ForeignKey("tenants.id"), nullable=False, index=True),
    Column("email", String(254), nullable=False),
    Column("name", String(200), nullable=False),
    Column("roles", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("tenant_id", "email", name="uq_users_tenant_email"),
)

networks = Table(
    "networks",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_until", Date, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

network_parties = Table(
    "network_parties",
    metadata,
    Column("network_id", String(64), ForeignKey("networks.id", ondelete="CASCADE"),
           primary_key=True),
    Column("tenant_id", String(64), ForeignKey("tenants.id"), primary_key=True, index=True),
    Column("role", String(64), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_until", Date, nullable=True),
)

network_areas = Table(
    "network_areas",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("network_id", String(64), ForeignKey("networks.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("tenant_id", String(64), ForeignKey("tenants.id"), nullable=False),
    Column("pc4_from", Integer, nullable=False),
    Column("pc4_to", Integer, nullable=False),
    Index("ix_network_areas_pc4", "pc4_from", "pc4_to"),
)

network_regiecheck_partners = Table(
    "network_regiecheck_partners",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("network_id", String(64), ForeignKey("networks.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("tenant_id", String(64), ForeignKey("tenants.id"), nullable=True),
    Column("tenant_kind", String(32), nullable=True),
    Column("standaard", Boolean, nullable=False),
)

network_flows = Table(
    "network_flows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("network_id", String(64), ForeignKey("networks.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("message_type", String(128), nullable=False),
    Column("from_kind", String(32), nullable=False),
    Column("to_kind", String(32), nullable=False),
    Column("basis", String(32), nullable=False),
)
