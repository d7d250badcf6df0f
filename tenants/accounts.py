"""People logging in to the web: their credentials, their sessions, and what their roles let
them do. No Flask, SQLAlchemy or crypto library here; hashing and TOTP are injected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tenants.model import Principal, Role, Scope, User

#: Roles that must log in with a second factor (TOTP).
SECOND_FACTOR_ROLES = frozenset({Role.PRIVACY_OFFICER, Role.TENANT_ADMIN, Role.HUB_ADMIN})

#: What each role may do through the services, expressed as the API's scopes.
_SCOPES_BY_ROLE: dict[Role, frozenset[Scope]] = {
    Role.MEDEWERKER: frozenset({Scope.MESSAGES_SEND, Scope.MESSAGES_RECEIVE, Scope.REGIECHECK}),
    Role.INBOX_USER: frozenset({Scope.MESSAGES_SEND, Scope.MESSAGES_RECEIVE, Scope.REGIECHECK}),
    Role.PRIVACY_OFFICER: frozenset({Scope.CONSENT_READ, Scope.CONSENT_WRITE, Scope.AUDIT_READ}),
    Role.TENANT_ADMIN: frozenset({Scope.ADMIN}),
    Role.HUB_ADMIN: frozenset(Scope),
}

#: Shortest password accepted (NCSC: length beats composition rules).
MIN_PASSWORD_LENGTH = 12
#: Failed logins in a row after which an account is locked for a while.
MAX_FAILED_LOGINS = 5


class Stage(StrEnum):
    """How far a login has come: the password is right, or the second factor is done too."""

    PASSWORD = "password"
    COMPLETE = "complete"


def needs_second_factor(roles: frozenset[Role]) -> bool:
    return bool(roles & SECOND_FACTOR_ROLES)


def is_medewerker(roles: frozenset[Role]) -> bool:
    return bool(roles & {Role.MEDEWERKER, Role.INBOX_USER})


@dataclass(frozen=True)
class Credentials:
    """A user's login data. ``totp_secret`` is the base32 secret, opened from its stored form."""

    user_id: str
    username: str | None
    password_hash: str | None
    totp_secret: str | None = None
    totp_last_step: int | None = None
    failed_logins: int = 0
    locked_until: datetime | None = None

    def locked_at(self, at: datetime) -> bool:
        return self.locked_until is not None and at < self.locked_until


@dataclass(frozen=True)
class WebSession:
    """A browser's login. Only the hash of its token is stored; the token lives in the cookie."""

    id: str
    user_id: str
    tenant_id: str
    stage: Stage
    created_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class SessionUser:
    """Who is behind a web request: the user, its session, and the principal the services see."""

    user: User
    session: WebSession
    is_hub_admin: bool

    @property
    def roles(self) -> frozenset[Role]:
        return self.user.roles

    @property
    def principal(self) -> Principal:
        scopes: frozenset[Scope] = frozenset()
        for role in self.user.roles:
            scopes |= _SCOPES_BY_ROLE.get(role, frozenset())
        return Principal(tenant_id=self.user.tenant_id, key_id=f"user:{self.user.id}",
                         scopes=scopes, is_hub_admin=self.is_hub_admin)


@dataclass(frozen=True)
class LoginResult:
    """A password accepted: the new session's token and whether a second factor follows
    (``enrol``: the user has none yet and must set one up first)."""

    token: str
    stage: Stage
    enrol: bool = False
