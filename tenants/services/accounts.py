"""Web login: usernames and passwords (argon2), the TOTP second factor, sessions with an idle
timeout, and the lock after repeated failures. Every login, failure and change is audited
(ids and hashes only)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from tenants.accounts import (
    MAX_FAILED_LOGINS,
    MIN_PASSWORD_LENGTH,
    Credentials,
    LoginResult,
    SessionUser,
    Stage,
    WebSession,
    needs_second_factor,
)
from tenants.clock import Clock, utcnow
from tenants.errors import (
    AccountLocked,
    Conflict,
    InvalidInput,
    LoginFailed,
    NotFound,
    WrongSecondFactor,
)
from tenants.model import Principal, Role, User
from tenants.passwords import (
    Passwords,
    new_session_token,
    new_totp_secret,
    session_id,
    totp_step,
)
from tenants.ports import TenantsUnitOfWork
from tenants.services._common import UowFactory, require_hub_admin, visible_tenant

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,62}[a-z0-9]$")
#: How often a session's last-seen time is written (keeps page views cheap).
_TOUCH_EVERY = timedelta(seconds=30)


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class AccountService:
    def __init__(self, uow: UowFactory, clock: Clock = utcnow, *,
                 seal: Callable[[str], str] = lambda s: s,
                 unseal: Callable[[str], str] = lambda s: s,
                 idle_timeout: timedelta = timedelta(minutes=30),
                 lock_for: timedelta = timedelta(minutes=15),
                 passwords: Passwords | None = None) -> None:
        self._uow = uow
        self._passwords = passwords or Passwords()
        self._clock = clock
        #: Encrypt and decrypt a TOTP secret at rest (wired to a key derived from the master key).
        self._seal = seal
        self._unseal = unseal
        self.idle_timeout = idle_timeout
        self._lock_for = lock_for

    # -- administration (CLI, later the Gebruikers page) ---------------------------------------

    def user_by_username(self, principal: Principal, username: str) -> User:
        with self._uow() as uow:
            user = uow.users.by_username(username.strip().lower())
            if user is None or not principal.can_see_tenant(user.tenant_id):
                raise NotFound()
            return user

    def check_new_login(self, username: str, password: str) -> None:
        """Raise as ``set_login`` would for a username and password (format, taken, length),
        before a new user is created: so an invite stores all of it or nothing."""
        username = username.strip().lower()
        if not USERNAME.match(username):
            raise InvalidInput(details=[{"field": "/username", "rule": "validation.format"}])
        _check_password(password)
        with self._uow() as uow:
            if uow.users.by_username(username) is not None:
                raise Conflict(details=[{"field": "/username", "rule": "conflict"}])

    def set_login(self, principal: Principal, user_id: str, *, username: str,
                  password: str) -> None:
        """Give a user a username and password (ends the user's sessions)."""
        username = username.strip().lower()
        if not USERNAME.match(username):
            raise InvalidInput(details=[{"field": "/username", "rule": "validation.format"}])
        _check_password(password)
        with self._uow() as uow:
            user, creds = self._visible_user(uow, principal, user_id)
            taken = uow.users.by_username(username)
            if taken is not None and taken.id != user_id:
                raise Conflict(details=[{"field": "/username", "rule": "conflict"}])
            self._save(uow, replace(creds, username=username, password_hash=self._passwords.hash(password),
                                    failed_logins=0, locked_until=None))
            self._changed(uow, principal, user, "web.password_set")
            uow.commit()

    def set_password(self, principal: Principal, user_id: str, password: str) -> None:
        _check_password(password)
        with self._uow() as uow:
            user, creds = self._visible_user(uow, principal, user_id)
            if creds.username is None:
                raise InvalidInput(details=[{"field": "/username", "rule": "validation.required"}])
            self._save(uow, replace(creds, password_hash=self._passwords.hash(password), failed_logins=0,
                                    locked_until=None))
            self._changed(uow, principal, user, "web.password_set")
            uow.commit()

    def new_second_factor(self, principal: Principal, user_id: str) -> str:
        """A fresh TOTP secret for the user (base32), replacing any earlier one."""
        secret = new_totp_secret()
        with self._uow() as uow:
            user, creds = self._visible_user(uow, principal, user_id)
            self._save(uow, replace(creds, totp_secret=secret, totp_last_step=None))
            self._changed(uow, principal, user, "web.second_factor_set")
            uow.commit()
        return secret

    def reset_second_factor(self, principal: Principal, user_id: str) -> None:
        """Remove the second factor: the user sets up a new one at the next login."""
        with self._uow() as uow:
            user, creds = self._visible_user(uow, principal, user_id)
            self._save(uow, replace(creds, totp_secret=None, totp_last_step=None))
            self._changed(uow, principal, user, "web.second_factor_reset")
            uow.commit()

    def with_second_factor(self, principal: Principal, tenant_id: str) -> frozenset[str]:
        """The ids of the tenant's users who have a second factor set up (never the secret)."""
        with self._uow() as uow:
            visible_tenant(uow, principal, tenant_id)
            users = uow.users.list_for_tenant(tenant_id, after=None, limit=100_000)
            return frozenset(u.id for u in users
                             if (c := uow.users.credentials(u.id)) and c.totp_secret is not None)

    # -- logging in ------------------------------------------------------------------------------

    def login(self, username: str, password: str) -> LoginResult:
        """Check a password. Raises LoginFailed (never saying whether the user exists) or
        AccountLocked; either way the attempt is audited."""
        username = username.strip().lower()
        now = self._clock()
        with self._uow() as uow:
            user = uow.users.by_username(username) if username else None
            creds = self._credentials(uow, user.id) if user else None
            tenant = uow.tenants.get(user.tenant_id) if user else None
            if creds is not None and creds.locked_at(now):
                self._passwords.matches(None, password)  # the same cost as any other attempt
                self._audit(uow, "web.login.failed", user, {"reason": "locked"})
                uow.commit()
                raise AccountLocked()
            ok = self._passwords.matches(creds.password_hash if creds else None, password)
            if not ok or user is None or creds is None or tenant is None or not tenant.is_active:
                if user is not None and creds is not None:
                    failures = creds.failed_logins + 1
                    locked = now + self._lock_for if failures >= MAX_FAILED_LOGINS else None
                    self._save(uow, replace(creds, failed_logins=0 if locked else failures,
                                            locked_until=locked or creds.locked_until))
                    if locked:
                        self._audit(uow, "web.login.locked", user, {})
                self._audit(uow, "web.login.failed", user, {
                    "reason": "password" if user else "unknown_user",
                    **({} if user else {"username_sha256": _sha(username)})})
                uow.commit()
                raise LoginFailed()
            if creds.failed_logins:
                self._save(uow, replace(creds, failed_logins=0, locked_until=None))
            second = needs_second_factor(user.roles) or creds.totp_secret is not None
            stage = Stage.PASSWORD if second else Stage.COMPLETE
            token = new_session_token()
            uow.web_sessions.add(WebSession(id=session_id(token), user_id=user.id,
                                            tenant_id=user.tenant_id, stage=stage,
                                            created_at=now, last_seen_at=now))
            self._audit(uow, "web.login.password_ok" if second else "web.login.succeeded", user,
                        {})
            uow.commit()
        return LoginResult(token=token, stage=stage, enrol=second and creds.totp_secret is None)

    def second_factor(self, token: str, code: str) -> None:
        """Complete a login with a TOTP code; a code is accepted once."""
        now = self._clock()
        with self._uow() as uow:
            session, user, creds = self._pending(uow, token)
            step = totp_step(creds.totp_secret, code, creds.totp_last_step, now.timestamp()) \
                if creds.totp_secret else None
            if step is None:
                self._second_factor_failed(uow, user, creds)
                uow.commit()
                raise WrongSecondFactor()
            self._save(uow, replace(creds, totp_last_step=step, failed_logins=0))
            uow.web_sessions.save(replace(session, stage=Stage.COMPLETE, last_seen_at=now))
            self._audit(uow, "web.login.succeeded", user, {"second_factor": True})
            uow.commit()

    def enrol_second_factor(self, token: str, secret: str, code: str) -> None:
        """Set up the first TOTP secret of a half-logged-in user, proven by a code from it."""
        now = self._clock()
        with self._uow() as uow:
            session, user, creds = self._pending(uow, token, enrolling=True)
            step = totp_step(secret, code, None, now.timestamp())
            if step is None:
                self._second_factor_failed(uow, user, creds)
                uow.commit()
                raise WrongSecondFactor()
            self._save(uow, replace(creds, totp_secret=secret, totp_last_step=step,
                                    failed_logins=0))
            uow.web_sessions.save(replace(session, stage=Stage.COMPLETE, last_seen_at=now))
            self._audit(uow, "web.second_factor_set", user, {})
            self._audit(uow, "web.login.succeeded", user, {"second_factor": True})
            uow.commit()

    def pending(self, token: str) -> tuple[User, bool] | None:
        """The user of a session still waiting for its second factor, and whether they must
        set one up first; None when there is no such session."""
        with self._uow() as uow:
            try:
                _, user, creds = self._pending(uow, token, enrolling=None)
            except LoginFailed:
                return None
            return user, creds.totp_secret is None

    def resolve(self, token: str) -> SessionUser | None:
        """The user behind a complete, live session; an idle one is ended."""
        now = self._clock()
        with self._uow() as uow:
            session = uow.web_sessions.get(session_id(token))
            if session is None or session.stage is not Stage.COMPLETE:
                return None
            user = uow.users.get(session.user_id)
            tenant = uow.tenants.get(session.tenant_id)
            if user is None or tenant is None or not tenant.is_active or \
                    now - session.last_seen_at > self.idle_timeout:
                uow.web_sessions.delete(session.id)
                uow.commit()
                return None
            if now - session.last_seen_at >= _TOUCH_EVERY:
                session = replace(session, last_seen_at=now)
                uow.web_sessions.save(session)
                uow.commit()
            return SessionUser(user=user, session=session,
                               is_hub_admin=Role.HUB_ADMIN in user.roles and tenant.is_operator)

    def logout(self, token: str) -> None:
        with self._uow() as uow:
            session = uow.web_sessions.get(session_id(token))
            if session is None:
                return
            uow.web_sessions.delete(session.id)
            user = uow.users.get(session.user_id)
            if user is not None:
                self._audit(uow, "web.logout", user, {})
            uow.commit()

    # -- helpers ---------------------------------------------------------------------------------

    def _pending(self, uow: TenantsUnitOfWork, token: str,
                 enrolling: bool | None = False) -> tuple[WebSession, User, Credentials]:
        now = self._clock()
        session = uow.web_sessions.get(session_id(token))
        if session is None or session.stage is not Stage.PASSWORD or \
                now - session.last_seen_at > self.idle_timeout:
            raise LoginFailed()
        user = uow.users.get(session.user_id)
        creds = self._credentials(uow, session.user_id) if user else None
        if user is None or creds is None:
            raise LoginFailed()
        if creds.locked_at(now):
            raise AccountLocked()
        if enrolling is not None and enrolling != (creds.totp_secret is None):
            raise LoginFailed()
        return session, user, creds

    def _second_factor_failed(self, uow: TenantsUnitOfWork, user: User, creds: Credentials) -> None:
        failures = creds.failed_logins + 1
        if failures >= MAX_FAILED_LOGINS:
            self._save(uow, replace(creds, failed_logins=0,
                                    locked_until=self._clock() + self._lock_for))
            uow.web_sessions.delete_for_user(user.id)
            self._audit(uow, "web.login.locked", user, {})
        else:
            self._save(uow, replace(creds, failed_logins=failures))
        self._audit(uow, "web.login.failed", user, {"reason": "second_factor"})

    def _visible_user(self, uow: TenantsUnitOfWork, principal: Principal,
                      user_id: str) -> tuple[User, Credentials]:
        user = uow.users.get(user_id)
        if user is None:
            raise NotFound()
        visible_tenant(uow, principal, user.tenant_id)
        if Role.HUB_ADMIN in user.roles:
            require_hub_admin(principal)
        creds = self._credentials(uow, user_id)
        assert creds is not None
        return user, creds

    def _credentials(self, uow: TenantsUnitOfWork, user_id: str) -> Credentials | None:
        creds = uow.users.credentials(user_id)
        if creds is not None and creds.totp_secret is not None:
            creds = replace(creds, totp_secret=self._unseal(creds.totp_secret))
        return creds

    def _save(self, uow: TenantsUnitOfWork, creds: Credentials) -> None:
        if creds.totp_secret is not None:
            creds = replace(creds, totp_secret=self._seal(creds.totp_secret))
        uow.users.save_credentials(creds)

    def _changed(self, uow: TenantsUnitOfWork, principal: Principal, user: User,
                 action: str) -> None:
        uow.web_sessions.delete_for_user(user.id)
        uow.audit.record(action=action, tenant_id=user.tenant_id, actor=principal.key_id,
                         subject_id=user.id, facts={}, at=self._clock())

    def _audit(self, uow: TenantsUnitOfWork, action: str, user: User | None, facts: dict) -> None:
        uow.audit.record(action=action, tenant_id=user.tenant_id if user else None,
                         actor=f"user:{user.id}" if user else None,
                         subject_id=user.id if user else None, facts=facts, at=self._clock())


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("Het wachtwoord moet minstens 12 tekens lang zijn.",
                           details=[{"field": "/password", "rule": "validation.too_short"}])
