"""Configuration: documented defaults, overridden by ``KETENHUB_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

ENV_PREFIX = "KETENHUB_"


@dataclass(frozen=True)
class Config:
    """Everything the hub can be told. Each field maps to ``KETENHUB_<FIELD NAME IN CAPS>``."""

    #: Directory for the embedded database, generated keys and demo keys.
    data_dir: Path = field(default=Path("var"))
    #: SQLAlchemy URL. Empty means the embedded SQLite database ``<data_dir>/ketenhub.db``.
    database_url: str = ""
    #: kombu broker URL. Empty means the in-process bus (embedded mode).
    broker_url: str = ""
    #: Address ``ketenhub serve`` listens on.
    host: str = "127.0.0.1"
    #: Port ``ketenhub serve`` listens on.
    port: int = 8000
    #: Largest accepted request body in bytes (the CloudEvents NL limit).
    max_body_bytes: int = 64 * 1024
    #: Log level of the ``ketenhub`` loggers.
    log_level: str = "INFO"
    #: Most request headers accepted; more is 431.
    max_headers: int = 100
    #: Largest total size of the request headers in bytes; larger is 431.
    max_header_bytes: int = 16 * 1024
    #: Seconds between two writes of an API key's last-used time (keeps reads cheap).
    key_last_used_resolution_s: int = 60
    #: Also apply migrations to a non-embedded database when ``ketenhub serve`` starts
    #: (the embedded SQLite database is always migrated on start).
    auto_migrate: bool = False
    #: Seconds a readiness probe waits for the broker before answering "down".
    readiness_timeout_s: float = 2.0
    #: Base64 of 32 random bytes: the master key wrapping the tenants' data keys.
    master_key: str = ""
    #: File holding the master key (base64). The embedded default generates
    #: ``<data_dir>/master.key`` when neither this nor ``master_key`` is set.
    master_key_file: str = ""
    #: During a master-key rotation: the previous master key (base64), still accepted for
    #: unwrapping data keys that ``ketenhub keys rotate-master`` has not re-wrapped yet.
    master_key_previous: str = ""
    #: File holding the previous master key (base64), instead of ``master_key_previous``.
    master_key_previous_file: str = ""
    #: Seconds a process uses a tenant's current data key before reading again which version is
    #: current (so ``ketenhub keys rotate-data`` reaches running processes without a restart).
    data_key_refresh_s: float = 60.0
    #: Seconds between two checks of the worker whether today's retention run is due; the
    #: run itself happens once a day (the first worker to claim the day does it).
    retention_interval_s: float = 3600.0
    #: Messages one retention transaction shreds.
    retention_batch: int = 500
    #: Delivery attempts before a delivery is ``dead`` (an endpoint may set its own).
    max_attempts: int = 8
    #: First retry delay in seconds; doubles per attempt, with full jitter, up to the maximum.
    retry_base_s: float = 2.0
    #: Longest retry delay in seconds.
    retry_max_s: float = 3600.0
    #: Seconds a worker may hold a claimed delivery before another may take it over.
    lease_s: float = 60.0
    #: Seconds after which a dispatched but unfinished delivery is dispatched again
    #: (its bus message was lost: crash, broker loss, embedded restart).
    redispatch_after_s: float = 30.0
    #: Seconds between two reconciler passes.
    reconcile_interval_s: float = 1.0
    #: Address of the worker's health and metrics server (``/healthz``, ``/readyz``, ``/metrics``).
    worker_host: str = "127.0.0.1"
    #: Port of the worker's health and metrics server; 0 (the default) turns it off, so several
    #: workers can share a machine. The production shape (docker-compose.yml) sets 9100.
    worker_port: int = 0
    #: Seconds between two passes of the worker that e-mails new alerts to the tenants'
    #: alert addresses.
    alert_interval_s: float = 10.0
    #: Push attempts (webhook, AMQP, e-mail) one worker process runs side by side.
    push_concurrency: int = 16
    #: Push attempts one endpoint may have in flight per worker process; more wait in the
    #: database, so a slow endpoint delays only itself.
    endpoint_concurrency: int = 2
    #: Failed attempts in a row after which an endpoint's circuit breaker opens.
    breaker_failures: int = 5
    #: Seconds an open breaker holds an endpoint's deliveries before it lets one probe through.
    breaker_open_s: float = 30.0
    #: Seconds an endpoint may fail every attempt before it is disabled, with an alert.
    endpoint_disable_after_s: float = 259200.0
    #: Delivery consumers per worker process.
    worker_concurrency: int = 4
    #: Longest term of a consent, in years.
    consent_max_term_years: int = 2
    #: SMTP server for e-mail notifications (the smtp connector).
    smtp_host: str = "localhost"
    #: SMTP port; default 587 for STARTTLS, 465 for SSL, 25 for none.
    smtp_port: int = 0
    #: "starttls", "ssl", or "none" (plain only to a loopback host).
    smtp_tls: str = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    #: Sender address of notification e-mails.
    smtp_from: str = "ketenhub@localhost"
    #: Public base URL of this hub, for links in notifications.
    public_url: str = "http://127.0.0.1:8000"
    #: Name prefix of the exchange and queues on the broker.
    bus_prefix: str = "ketenhub"
    #: Seconds a cached view of networks and tenants is used for routing decisions.
    directory_ttl_s: float = 2.0
    #: Seconds a checked API key (with its tenant) is cached; 0 reads it on every request.
    auth_cache_ttl_s: float = 2.0
    #: Seconds a cached list of the tenants' active push endpoints is used at intake.
    endpoint_cache_ttl_s: float = 2.0
    #: Seconds between two passes of the regiecheck schedule (reminders and expiries).
    regiecheck_interval_s: float = 30.0
    #: File the signed anchors of the audit chain are appended to (best on other storage than
    #: the database). Empty: ``<data_dir>/audit-anchors.jsonl``.
    audit_anchor_file: str = ""
    #: Seconds between two anchors of the audit chain head, written by each worker.
    audit_anchor_interval_s: float = 60.0
    #: Seconds between two passes of the deadline watcher (reminders and expired termijnen).
    termijn_interval_s: float = 30.0
    #: Seconds between two passes of the statistics rollup in each worker.
    stats_interval_s: float = 60.0
    #: Audit entries one rollup pass counts in one transaction.
    stats_batch: int = 2000
    #: Audit entries a statistics query rolls up first if no rollup is running (0: none; the
    #: answer's ``bijgewerkt_tot`` says how fresh it is).
    stats_query_batch: int = 500
    #: Terms one watcher pass handles in one transaction.
    termijn_batch: int = 500
    #: Minutes without a request after which a web session ends.
    web_idle_timeout_min: int = 30
    #: Send the web's session cookie only over HTTPS (browsers treat localhost as secure).
    web_secure_cookies: bool = True
    #: Directory holding the npm packages the web serves (NL Design System CSS); empty means
    #: ``node_modules`` of the source checkout (``make install`` fills it with ``npm ci``).
    web_assets_dir: str = ""
    #: Seconds between two passes taking back inbox items whose consent expired.
    consent_expiry_interval_s: float = 60.0
    #: Let webhook and AMQP endpoints point at loopback (127.0.0.0/8, ::1, localhost): only for
    #: a hub whose partners run on the same machine (tests, ``make run``). Private, link-local
    #: and other non-public addresses are refused always.
    allow_loopback_endpoints: bool = False
    #: Where the rate-limit counters live: ``memory://`` (this process only) or a Redis URL
    #: (``redis://127.0.0.1:6379``) shared by every ``serve`` process.
    ratelimit_storage_url: str = "memory://"
    #: Name prefix of the rate-limit counters in that storage.
    ratelimit_prefix: str = "ketenhub"
    #: Requests per API key (``limits`` notation; several with ``;``).
    ratelimit_per_key: str = "1000/minute"
    #: Requests per tenant, all its keys together.
    ratelimit_per_tenant: str = "2000/minute"
    #: Per-tenant exceptions to ``ratelimit_per_tenant``: ``tenant-id:limit,…``.
    ratelimit_tenants: str = ""
    #: Failed authentications per client address; beyond it the address gets 429.
    ratelimit_failed_auth: str = "20/minute"

    @property
    def effective_database_url(self) -> str:
        """The configured database URL, or the embedded SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'ketenhub.db').resolve()}"

    @property
    def effective_audit_anchor_file(self) -> Path:
        """Where the audit anchors go: the configured file, or one in the data directory."""
        return Path(self.audit_anchor_file) if self.audit_anchor_file else (
            self.data_dir / "audit-anchors.jsonl")

    @property
    def is_embedded(self) -> bool:
        """True when running on SQLite and the in-process bus."""
        return not self.database_url and not self.broker_url

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Config:
        """Build a config from defaults, then ``KETENHUB_*`` variables, then ``overrides``."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _coerce(f.name, raw, f.default)
        return replace(cls(), **{**values, **overrides})


def _coerce(name: str, raw: str, default: object) -> object:
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise ValueError(f"{ENV_PREFIX}{name.upper()} must be true or false")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, Path):
        return Path(raw)
    return raw
