"""TOTP codes for tests that log in more than once: the hub takes a code once (a step at or
before the last one used is refused), so a second login within the same 30 s uses the next
step's code, which the hub accepts as well."""

from __future__ import annotations

import time

import pyotp

_LAST_STEP: dict[str, int] = {}


def fresh_code(secret: str) -> str:
    """A code of a time step these tests have not used for ``secret`` (waits if need be)."""
    totp = pyotp.TOTP(secret)
    while True:
        now_step = int(time.time() // totp.interval)
        step = max(now_step, _LAST_STEP.get(secret, -1) + 1)
        if step <= now_step + 1:
            _LAST_STEP[secret] = step
            return totp.generate_otp(step)
        time.sleep(1)
