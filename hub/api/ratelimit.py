"""Rate limits on the API (Flask-Limiter): per API key and per tenant once a request is
authenticated, and per client address on failed authentication (a guessed or stolen key id
with wrong secrets). A breach is ``429 rate_limited`` in the one error shape, with
``Retry-After``.

The counters live in ``Config.ratelimit_storage_url``: in memory for one process (the
embedded default), Redis for the production shape, where every ``serve`` process shares them.
When that storage is unreachable the limits fall back to this process's memory: a limit is a
protection, never a reason to refuse service.

Three hooks run before each request, in this order: the address check (before
authentication, so a blocked address costs no key lookup), authentication (``hub.app``), then
the key and tenant checks (counted only for a key that authenticated, so nobody can spend
another partner's budget with its key id).

A failed authentication is a ``401`` from the API, or a wrong password or second factor on the
web's login pages (which answer ``200`` with the form again and call
``count_failed_authentication``): password spraying over many accounts, each below its own
lock, meets the same per-address limit as guessing key secrets.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from flask import Flask, Response, g, request
from flask_limiter import ApplicationLimit, Limiter, RequestLimit
from limits.storage import MemoryStorage

from hub.config import Config

AUTH_FAILURE_STATUSES = frozenset({401})


def _client_address() -> str:
    return request.remote_addr or "unknown"


def _key_id() -> str:
    principal = g.get("principal")
    return principal.key_id if principal is not None else ""


def _tenant_id() -> str:
    principal = g.get("principal")
    return principal.tenant_id if principal is not None else ""


def tenant_limits(spec: str) -> dict[str, str]:
    """``"ymere:5000/minute,ggd-amsterdam:100/minute"`` → ``{"ymere": "5000/minute", …}``."""
    found: dict[str, str] = {}
    for item in spec.split(","):
        tenant, _, limit = item.strip().partition(":")
        if tenant.strip() and limit.strip():
            found[tenant.strip()] = limit.strip()
    return found


def _on_breach(limit: RequestLimit) -> None:
    """Remember when the breached window frees up, for the ``Retry-After`` of the 429."""
    g.retry_after_s = max(1, math.ceil(limit.reset_at - time.time()))


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


def _limiter(app: Flask, config: Config, limits: list[ApplicationLimit]) -> Limiter:
    return Limiter(key_func=_client_address, app=app, application_limits=limits,
                   storage_uri=_storage_uri(config.ratelimit_storage_url), strategy="fixed-window",
                   key_prefix=config.ratelimit_prefix, in_memory_fallback_enabled=True,
                   on_breach=_on_breach, headers_enabled=False)


def count_failed_authentication() -> None:
    """Count this request against its address's failed-authentication limit, whatever its
    status (a login page that shows its form again after a wrong password)."""
    g.authentication_failed = True


def _failed_authentication(response: Response) -> bool:
    return response.status_code in AUTH_FAILURE_STATUSES or g.get("authentication_failed", False)


def install_address_limit(app: Flask, config: Config) -> Limiter:
    """Before authentication: per client address, counting only requests that failed it."""
    return _limiter(app, config, [ApplicationLimit(
        limit_provider=config.ratelimit_failed_auth, key_function=_client_address,
        scope="auth-failures", deduct_when=_failed_authentication)])


def install_key_and_tenant_limits(app: Flask, config: Config) -> Limiter:
    """After authentication: per API key and per tenant (a tenant may have its own limit)."""
    per_tenant = tenant_limits(config.ratelimit_tenants)

    def tenant_limit() -> str:
        return per_tenant.get(_tenant_id(), config.ratelimit_per_tenant)

    provider: Callable[[], str] = tenant_limit
    limiter = _limiter(app, config, [
        ApplicationLimit(limit_provider=config.ratelimit_per_key, key_function=_key_id,
                         scope="key"),
        ApplicationLimit(limit_provider=provider, key_function=_tenant_id, scope="tenant"),
    ])
    # Only requests that authenticated with a key count here (web pages and probes carry no
    # key: without this filter the limiter logs an error for each and skips it anyway).
    limiter.request_filter(lambda: g.get("principal") is None)
    return limiter


def retry_after_s(default: int) -> int:
    """Seconds until the breached limit frees up (set by the breach), else ``default``."""
    return int(g.get("retry_after_s", default))

