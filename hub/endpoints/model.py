"""Endpoints as the hub sees them. Secrets are kept apart and never leave after creation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class SigningSecret:
    secret: str
    #: None while current; set when rotated out (valid until then, for the overlap).
    expires_at: datetime | None = None

    def valid_at(self, at: datetime) -> bool:
        return self.expires_at is None or at < self.expires_at


@dataclass(frozen=True)
class EndpointSecrets:
    """Everything secret of an endpoint: signing secrets (newest first) and secret config."""

    signing: tuple[SigningSecret, ...] = ()
    config: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"signing": [{"secret": s.secret, "expires_at": s.expires_at.isoformat()
                             if s.expires_at else None} for s in self.signing],
                "config": self.config}

    @classmethod
    def from_dict(cls, raw: dict) -> EndpointSecrets:
        return cls(signing=tuple(SigningSecret(s["secret"], datetime.fromisoformat(s["expires_at"])
                                               if s["expires_at"] else None)
                                 for s in raw.get("signing", [])),
                   config=raw.get("config", {}))

    def valid_signing(self, at: datetime) -> tuple[str, ...]:
        return tuple(s.secret for s in self.signing if s.valid_at(at))


@dataclass(frozen=True)
class Endpoint:
    id: str
    tenant_id: str
    connector: str
    config: dict
    active: bool
    created_at: datetime
    updated_at: datetime
    disabled_reason: str | None = None
    max_attempts: int | None = None
    #: The event types pushed here (a subscription); None: every type.
    types: tuple[str, ...] | None = None
    #: Since when every attempt failed (None while healthy); long enough disables it.
    failing_since: datetime | None = None

    def wants(self, event_type: str) -> bool:
        return self.types is None or event_type in self.types


@dataclass(frozen=True)
class EndpointChange:
    """A ``PATCH`` of an endpoint: config fields to set (``None`` drops an optional one), and
    the subscription and max attempts when ``set_types`` / ``set_max_attempts`` say so (their
    ``None`` means every type / the hub's default)."""

    config: dict = field(default_factory=dict)
    types: tuple[str, ...] | None = None
    set_types: bool = False
    max_attempts: int | None = None
    set_max_attempts: bool = False


@dataclass(frozen=True)
class ResolvedEndpoint:
    """What a delivery worker pushes through: the endpoint, its decrypted secret config and its
    signing secrets valid now (newest first)."""

    endpoint: Endpoint
    secret_config: dict = field(default_factory=dict, repr=False)
    signing: tuple[str, ...] = field(default=(), repr=False)
