"""Rate limits on the API (the ``limits`` library, fixed windows): per API key and per tenant
once a request is authenticated, and per client address on failed authentication (a guessed
or stolen key id with wrong secrets). A breach is ``429 rate_limited`` in the one error shape,
with ``Retry-After``.

The counters live in ``Config.ratelimit_storage_url``: in memory for one process (the
embedded default), Redis for the production shape, where every ``serve`` process shares them.
When that storage is unreachable the limits fall back to this process's memory (and try the
storage again after ``RETRY_STORAGE_S``): a limit is a protection, never a reason to refuse
service.

Three hooks run before each request, in this order: the address check (before
authentication, so a blocked address costs no key lookup), authentication (``hub.app``), then
the key and tenant checks (counted only for a key that authenticated, so nobody can spend
another partner's budget with its key id).

A failed authentication is a ``401`` from the API, or a wrong password or second factor on the
web's login pages (which answer ``200`` with the form again and call
``count_failed_authentication``): password spraying over many accounts, each below its own
lock, meets the same per-address limit as guessing key secrets.

``limits`` is used directly rather than through Flask-Limiter: the hub needs three fixed
windows, and Flask-Limiter's per-request resolution of its limits cost about 10 % of the
intake's CPU per message.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from functools import lru_cache

from flask import Flask, Response, g, request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from hub.config import Config

log = logging.getLogger("ketenhub.ratelimit")

AUTH_FAILURE_STATUSES = frozenset({401})
#: How long the limits count in this process's memory after the shared storage failed.
RETRY_STORAGE_S = 30.0


def _client_address() -> str:
    return request.remote_addr or "unknown"


def tenant_limits(spec: str) -> dict[str, str]:
    """``"ymere:5000/minute,ggd-amsterdam:100/minute"`` → ``{"ymere": "5000/minute", …}``."""
    found: dict[str, str] = {}
    for item in spec.split(","):
        tenant, _, limit = item.strip().partition(":")
        if tenant.strip() and limit.strip():
            found[tenant.strip()] = limit.strip()
    return found


#: How often the in-process counters drop the windows that ended.
SWEEP_S = 1.0
MEMORY_SCHEME = "memory"


class _SweptMemoryStorage(MemoryStorage):
    """limits' in-process counters, without the timer thread that storage starts anew on a
    request whenever its previous one ended (10 ms): on a busy ``serve`` that is a thread per
    request. A fixed window's counter already expires when it is read; the windows nobody
    reads again are dropped here at most once per ``SWEEP_S``, on the request path."""

    STORAGE_SCHEME = ["ketenhub-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **options: str) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - replaces the private hook
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_S
            self._MemoryStorage__expire_events()


def _storage_uri(configured: str) -> str:
    """The configured storage; this process's memory as the swept variant."""
    scheme, sep, rest = configured.partition("://")
    return f"{_SweptMemoryStorage.STORAGE_SCHEME[0]}://{rest}" if sep and scheme == MEMORY_SCHEME \
        else configured


@lru_cache(maxsize=256)
def _item(spec: str) -> RateLimitItem:
    return parse(spec)


class Windows:
    """Fixed-window counters in the configured storage, with this process's memory standing
    in while that storage fails."""

    def __init__(self, storage_uri: str, prefix: str) -> None:
        self._prefix = prefix
        self._shared = FixedWindowRateLimiter(storage_from_string(_storage_uri(storage_uri)))
        self._memory = FixedWindowRateLimiter(_SweptMemoryStorage())
        self._shared_again_at = 0.0

    def _call(self, act: Callable[[FixedWindowRateLimiter], bool]) -> bool:
        if time.monotonic() >= self._shared_again_at:
            try:
                return act(self._shared)
            except Exception:  # noqa: BLE001 - any storage failure: count in memory instead
                log.warning("rate-limit storage unreachable; counting in memory for now")
                self._shared_again_at = time.monotonic() + RETRY_STORAGE_S
        return act(self._memory)

    def hit(self, spec: str, scope: str, key: str) -> bool:
        """Count one request; False when it is beyond the limit."""
        return self._call(lambda lim: lim.hit(_item(spec), self._prefix, scope, key))

    def test(self, spec: str, scope: str, key: str) -> bool:
        """Whether one more request would be within the limit (counts nothing)."""
        return self._call(lambda lim: lim.test(_item(spec), self._prefix, scope, key))

    def refuse(self, spec: str, scope: str, key: str) -> None:
        """Raise the 429, remembering when the breached window frees up (``Retry-After``)."""
        try:
            reset_at = self._call(lambda lim: lim.get_window_stats(  # type: ignore[arg-type,return-value]
                _item(spec), self._prefix, scope, key).reset_time)
        except Exception:  # noqa: BLE001 - a missing figure only costs the exact Retry-After
            reset_at = time.time() + _item(spec).get_expiry()
        g.retry_after_s = max(1, math.ceil(float(reset_at) - time.time()))
        raise TooManyRequests()


def _windows(app: Flask, config: Config) -> Windows:
    found = app.extensions.get("ketenhub_ratelimit")
    if found is None:
        found = app.extensions["ketenhub_ratelimit"] = Windows(config.ratelimit_storage_url,
                                                               config.ratelimit_prefix)
    return found


def count_failed_authentication() -> None:
    """Count this request against its address's failed-authentication limit, whatever its
    status (a login page that shows its form again after a wrong password)."""
    g.authentication_failed = True


def _failed_authentication(response: Response) -> bool:
    return response.status_code in AUTH_FAILURE_STATUSES or g.get("authentication_failed", False)


def install_address_limit(app: Flask, config: Config) -> None:
    """Before authentication: per client address, counting only requests that failed it."""
    windows, spec, scope = _windows(app, config), config.ratelimit_failed_auth, "auth-failures"

    @app.before_request
    def _address_limit() -> None:
        if not windows.test(spec, scope, _client_address()):
            windows.refuse(spec, scope, _client_address())

    @app.after_request
    def _count_failure(response: Response) -> Response:
        if _failed_authentication(response):
            windows.hit(spec, scope, _client_address())
        return response


def install_key_and_tenant_limits(app: Flask, config: Config) -> None:
    """After authentication: per API key and per tenant (a tenant may have its own limit).
    Only requests that authenticated with a key count (web pages and probes carry none)."""
    windows, per_tenant = _windows(app, config), tenant_limits(config.ratelimit_tenants)

    @app.before_request
    def _key_and_tenant_limits() -> None:
        principal = g.get("principal")
        if principal is None:
            return
        tenant_spec = per_tenant.get(principal.tenant_id, config.ratelimit_per_tenant)
        for spec, scope, key in ((config.ratelimit_per_key, "key", principal.key_id),
                                 (tenant_spec, "tenant", principal.tenant_id)):
            if not windows.hit(spec, scope, key):
                windows.refuse(spec, scope, key)


def retry_after_s(default: int) -> int:
    """Seconds until the breached limit frees up (set by the breach), else ``default``."""
    return int(g.get("retry_after_s", default))
