"""Password hashes (argon2id, ``argon2-cffi``) and TOTP second factors (RFC 6238, ``pyotp``)."""

from __future__ import annotations

import hashlib
import secrets

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOTP_ISSUER = "Ketenhub"


class Passwords:
    """argon2id hashing with argon2-cffi's recommended parameters (RFC 9106 low-memory);
    tests may pass cheaper ones."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        #: Verified against when the username is unknown, so both cases cost the same.
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def matches(self, stored_hash: str | None, password: str) -> bool:
        """True when ``password`` matches; an absent hash is checked against a dummy."""
        if stored_hash is None:
            if self._dummy is None:
                self._dummy = self._hasher.hash(secrets.token_urlsafe(16))
            stored_hash, password = self._dummy, password + "\x00never"
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_step(secret: str, code: str, last_step: int | None, at_timestamp: float) -> int | None:
    """The time step ``code`` is valid for (the current one or one either side), or None.
    A step at or before ``last_step`` was used already: refused, so a code works once."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    step_now = int(at_timestamp // totp.interval)
    for step in (step_now, step_now - 1, step_now + 1):
        if last_step is not None and step <= last_step:
            continue
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=TOTP_ISSUER)


def session_id(token: str) -> str:
    """What is stored of a session token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_session_token() -> str:
    return secrets.token_urlsafe(32)
