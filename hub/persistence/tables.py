"""The schema as SQLAlchemy Core tables. Alembic migrations create it; this is their mirror,
checked against them by a test."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
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
    Column("alert_email", String(254), nullable=True),
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
    #: Web login (migration 0011): a hub-wide username, the argon2 hash, the sealed TOTP secret.
    Column("username", String(64), nullable=True, unique=True),
    Column("password_hash", String(255), nullable=True),
    Column("totp_secret", Text, nullable=True),
    Column("totp_last_step", Integer, nullable=True),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", UtcDateTime, nullable=True),
    UniqueConstraint("tenant_id", "email", name="uq_users_tenant_email"),
)

#: Browser logins; only the SHA-256 of the cookie's token is stored.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", String(32), ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("tenant_id", String(64), nullable=False),
    Column("stage", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
)

networks = Table(
    "networks",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_until", Date, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("regiecheck_termijn_werkdagen", Integer, nullable=False, server_default="3"),
    #: Bevrijdingsdag a day off "jaarlijks" or only in "lustrum" years (werkdagen calendar).
    Column("bevrijdingsdag", String(16), nullable=False, server_default="lustrum"),
    #: The network's verwerkingsregister (JSON list); NULL means the hub's defaults.
    Column("verwerkingsregister", Text, nullable=True),
    #: Retention periods per legal basis (JSON); NULL: the documented defaults.
    Column("bewaartermijnen", Text, nullable=True),
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
    #: The stadsdeel's veiligheidscoördinator for this area (a tenant), if the network names one.
    Column("veiligheidscoordinator", String(64), ForeignKey("tenants.id"), nullable=True),
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

#: Seed 000 step 10: which partners suit a zaak with signalen of a categorie.
network_toewijzingsadvies = Table(
    "network_toewijzingsadvies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("network_id", String(64), ForeignKey("networks.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("categorie", String(32), nullable=False),
    Column("tenant_id", String(64), ForeignKey("tenants.id"), nullable=True),
    Column("tenant_kind", String(32), nullable=True),
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

network_termijnen = Table(
    "network_termijnen",
    metadata,
    Column("network_id", String(64), ForeignKey("networks.id", ondelete="CASCADE"),
           primary_key=True),
    Column("flow", String(64), primary_key=True),
    Column("werkdagen", Integer, nullable=False),
    #: JSON list of "<reply type>[:<status>]" that meet the term.
    Column("gehaald_door", Text, nullable=False),
)

network_closing_days = Table(
    "network_closing_days",
    metadata,
    Column("network_id", String(64), ForeignKey("networks.id", ondelete="CASCADE"),
           primary_key=True),
    Column("day", Date, primary_key=True),
)

# --- the message pipeline -------------------------------------------------------------------

tenant_data_keys = Table(
    "tenant_data_keys",
    metadata,
    Column("tenant_id", String(64), ForeignKey("tenants.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("master_key_id", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("retired_at", UtcDateTime, nullable=True),
)

#: One data key per message, wrapped by the sender's tenant data key (``key_version``).
#: Crypto-shredding deletes the row: the payload can then be decrypted by no process.
message_keys = Table(
    "message_keys",
    metadata,
    Column("message_id", String(36), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("key_version", Integer, nullable=False),
    Column("wrapped_key", LargeBinary, nullable=False),
)

#: Retention runs: the last one and its counts are shown to admins; a scheduled (daily) run
#: claims its day, so several workers run it once.
retention_runs = Table(
    "retention_runs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("scheduled_day", Date, nullable=True, unique=True),
    Column("started_at", UtcDateTime, nullable=False, index=True),
    Column("finished_at", UtcDateTime, nullable=True),
    #: running | ok | failed
    Column("status", String(16), nullable=False),
    Column("messages", Integer, nullable=False),
    Column("zaken", Integer, nullable=False),
    Column("error", String(200), nullable=True),
)

#: Hub-wide secrets wrapped by the master key (the derivation root of pseudonyms, so that
#: they survive a master-key rotation).
hub_secrets = Table(
    "hub_secrets",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("wrapped", LargeBinary, nullable=False),
    Column("master_key_id", String(16), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

messages = Table(
    "messages",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("sender_tenant_id", String(64), ForeignKey("tenants.id"), nullable=False),
    Column("source", String(512), nullable=False),
    Column("event_id", String(256), nullable=False),
    Column("type", String(128), nullable=False),
    Column("urgent", Boolean, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("key_version", Integer, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("payload_sha256", String(64), nullable=False),
    #: Routing facts without personal data (pc4, referenced ids).
    Column("routing", Text, nullable=False),
    #: Hash of the case reference (zaak_kenmerk), to route replies back to the asker.
    Column("correlation", String(64), nullable=True, index=True),
    #: The 202 answer, replayed for a repeated (source, id).
    Column("answer", Text, nullable=False),
    #: When the payload may be crypto-shredded (its legal bases' retention); a zaak it belongs
    #: to may hold it longer. NULL: messages stored before retention existed (kept).
    Column("retain_until", UtcDateTime, nullable=True, index=True),
    #: When its data key was destroyed (the payload is unreadable, the skeleton stays).
    Column("shredded_at", UtcDateTime, nullable=True),
    UniqueConstraint("sender_tenant_id", "source", "event_id", name="uq_messages_idempotency"),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("message_id", String(36), ForeignKey("messages.id"), nullable=False, index=True),
    Column("recipient_tenant_id", String(64), ForeignKey("tenants.id"), nullable=False),
    Column("connector", String(32), nullable=False),
    Column("endpoint_id", String(36), nullable=True),
    Column("basis", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("urgent", Boolean, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("max_attempts", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Column("dispatched_at", UtcDateTime, nullable=True),
    Column("lease_until", UtcDateTime, nullable=True),
    Column("delivered_at", UtcDateTime, nullable=True),
    Column("acknowledged_at", UtcDateTime, nullable=True),
    Column("deadline", UtcDateTime, nullable=True),
    Column("last_error", String(200), nullable=True),
    Column("status_reason", String(200), nullable=True),
    Column("redrives", Integer, nullable=False),
    #: The HTTP request that created it (its X-Request-ID), for the worker's log lines.
    Column("request_id", String(64), nullable=True),
    Index("ix_deliveries_due", "status", "next_attempt_at"),
    Index("ix_deliveries_inbox", "recipient_tenant_id", "status", "delivered_at"),
)

delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delivery_id", String(36), ForeignKey("deliveries.id"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("duration_ms", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("error_code", String(64), nullable=True),
    Column("response_status", Integer, nullable=True),
)

DELIVERY_PERMIT = text("decision = 'permit' AND phase = 'delivery'")

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(36), ForeignKey("messages.id"), nullable=False),
    #: No foreign key: a message may name a recipient that is no tenant; that is decided too.
    Column("recipient_tenant_id", String(64), nullable=False),
    Column("phase", String(16), nullable=False),
    Column("decision", String(8), nullable=False),
    Column("basis", String(32), nullable=True),
    Column("reason", String(200), nullable=False),
    Column("network_id", String(64), nullable=True),
    Column("consent_id", String(36), nullable=True),
    Column("consent_version", Integer, nullable=True),
    #: The client (pseudonym) a consent-based decision was about, for inzage.
    Column("client_ref", String(64), nullable=True, index=True),
    Column("review_required", Boolean, nullable=False, default=False, server_default=false()),
    Column("decided_at", UtcDateTime, nullable=False),
    Index("ix_decisions_message_id", "message_id"),
    #: Every decision is a record (a redrive's fresh check, a deny after it, a withdrawal);
    #: only the delivery-phase permit is kept once per recipient: its inbox and endpoint
    #: deliveries, and their retries, share it.
    Index("uq_decisions_delivery_permit", "message_id", "recipient_tenant_id", "phase",
          unique=True, postgresql_where=DELIVERY_PERMIT, sqlite_where=DELIVERY_PERMIT),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delivery_id", String(36), nullable=False),
    Column("queue", String(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant_id", String(64), nullable=True, index=True),
    Column("kind", String(64), nullable=False),
    Column("subject_id", String(64), nullable=True),
    Column("detail", String(200), nullable=True),
    Column("raised_at", UtcDateTime, nullable=False),
    #: When the alert was e-mailed to the tenant's alert address (or found to have none).
    Column("notified_at", UtcDateTime, nullable=True, index=True),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    #: Position in the hash chain: 1, 2, 3 … without gaps, in the order entries were chained.
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("tenant_id", String(64), nullable=True, index=True),
    Column("actor", String(64), nullable=True),
    #: The processing activity (Logboek Dataverwerkingen), e.g. ``message.accepted``.
    Column("action", String(64), nullable=False),
    #: The object processed: a message, delivery, consent, key, tenant … id.
    Column("subject_id", String(64), nullable=True),
    Column("trace_id", String(64), nullable=True),
    #: Processing purpose (a code of the verwerkingsregister) and legal basis.
    Column("purpose", String(64), nullable=True),
    Column("basis", String(32), nullable=True),
    #: Pseudonym of the data subject (betrokkene), never a name or number.
    Column("subject_ref", String(64), nullable=True, index=True),
    #: ids, rule codes, field pointers and hashes only; never payload text.
    Column("facts", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

#: One row: where the chain ends. Appenders lock it, so entries are chained one after another
#: across processes; a cut-off tail leaves it pointing past the last entry.
audit_chain_head = Table(
    "audit_chain_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# --- termijnen (deadlines in werkdagen), one row per term of any flow ----------------------

termijnen = Table(
    "termijnen",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("flow", String(64), nullable=False),
    Column("network_id", String(64), nullable=True),
    #: What the term is about: the message that started it, or the flow's own resource id.
    Column("subject_id", String(64), nullable=False),
    #: The recipient's inbox delivery of that message, if the term rides on a delivery.
    Column("delivery_id", String(36), nullable=True),
    #: The party that owes the answer, the party it is owed to, the area's meldpunt.
    Column("owed_by", String(64), nullable=False),
    Column("owed_to", String(64), nullable=False),
    Column("meldpunt", String(64), nullable=True),
    Column("werkdagen", Integer, nullable=False),
    #: JSON list of "<reply type>[:<status>]" that meet it.
    Column("gehaald_door", Text, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("deadline", UtcDateTime, nullable=False),
    Column("remind_at", UtcDateTime, nullable=True),
    #: lopend | gehaald | verlopen
    Column("status", String(16), nullable=False),
    #: When the watcher must look at it next (the reminder, then the expiry); NULL once
    #: settled. The watcher's one query reads this index up to now.
    Column("due_at", UtcDateTime, nullable=True),
    Column("reminded_at", UtcDateTime, nullable=True),
    Column("settled_at", UtcDateTime, nullable=True),
    #: The hub message id that met it.
    Column("met_by", String(36), nullable=True),
    UniqueConstraint("flow", "subject_id", "owed_by", name="uq_termijnen_once"),
    Index("ix_termijnen_due", "due_at"),
    Index("ix_termijnen_owed_by", "owed_by", "status"),
    Index("ix_termijnen_owed_to", "owed_to", "status"),
    Index("ix_termijnen_meldpunt", "meldpunt", "status"),
    Index("ix_termijnen_subject", "subject_id"),
)

# --- push endpoints -------------------------------------------------------------------------

endpoints = Table(
    "endpoints",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("tenant_id", String(64), ForeignKey("tenants.id"), nullable=False, index=True),
    Column("connector", String(32), nullable=False),
    #: The public part of the configuration (JSON); secrets live only in ``secrets``.
    Column("config", Text, nullable=False),
    #: Secrets (signing secrets, broker URL with password, client key), sealed with the
    #: tenant's data key.
    Column("secrets", LargeBinary, nullable=False),
    Column("key_version", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("disabled_reason", String(64), nullable=True),
    Column("max_attempts", Integer, nullable=True),
    #: JSON list of the event types pushed here; NULL: every type.
    Column("types", Text, nullable=True),
    #: Since when every attempt failed; NULL while healthy.
    Column("failing_since", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# --- consent registry (pseudonymous: no names, no birth dates) ------------------------------

consent_versions = Table(
    "consent_versions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("is_latest", Boolean, nullable=False),
    Column("client_ref", String(64), nullable=False),
    Column("network_id", String(64), nullable=False),
    Column("controller", String(64), ForeignKey("tenants.id"), nullable=False, index=True),
    Column("categories", Text, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("necessity", Text, nullable=False),
    Column("valid_from", UtcDateTime, nullable=False),
    Column("valid_until", UtcDateTime, nullable=False),
    Column("evidence_sha256", String(64), nullable=False),
    Column("evidence_signed_on", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("version_at", UtcDateTime, nullable=True),
    Column("withdrawn_at", UtcDateTime, nullable=True),
    Column("withdrawal_reason", Text, nullable=True),
    Index("ix_consent_versions_client", "client_ref", "network_id", "is_latest"),
)

consent_provisions = Table(
    "consent_provisions",
    metadata,
    Column("consent_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("effect", String(8), nullable=False),
    Column("tenant_id", String(64), nullable=True, index=True),
    Column("tenant_kind", String(32), nullable=True, index=True),
)

begeleide_woningen = Table(
    "begeleide_woningen",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("network_id", String(64), nullable=False),
    Column("postcode", String(6), nullable=False),
    Column("huisnummer", Integer, nullable=False),
    Column("huisletter", String(1), nullable=True),
    Column("toevoeging", String(8), nullable=True),
    Column("address_key", String(32), nullable=False, index=True),
    Column("zorgaanbieder", String(64), ForeignKey("tenants.id"), nullable=False, index=True),
    Column("client_ref", String(64), nullable=False),
    Column("consent_id", String(36), nullable=False),
    Column("contractvorm", String(16), nullable=False),
    Column("omklap_datum", Date, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("einde_datum", Date, nullable=True),
)

# --- zaken (the meldpunt's view of a case) --------------------------------------------------

zaken = Table(
    "zaken",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("meldpunt", String(64), ForeignKey("tenants.id"), nullable=False),
    #: The meldpunt's own case number (no personal data).
    Column("kenmerk", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("reden_afsluiting", String(32), nullable=True),
    #: Pseudonym of the zaak's address (HMAC), for samenloop; never the address.
    Column("address_key", String(64), nullable=True, index=True),
    #: When retention crypto-shredded every message of the zaak (it shows as vernietigd).
    Column("shredded_at", UtcDateTime, nullable=True),
    Index("ix_zaken_meldpunt_kenmerk", "meldpunt", "kenmerk"),
)

zaak_items = Table(
    "zaak_items",
    metadata,
    #: The order in which items joined (a timeline's order, also within one second).
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("zaak_id", String(36), ForeignKey("zaken.id"), nullable=False),
    Column("message_id", String(36), ForeignKey("messages.id"), nullable=False, index=True),
    Column("added_at", UtcDateTime, nullable=False),
    Column("via", String(16), nullable=False),
    #: Codes and ids only (categorieen, aan, geaccepteerd, reden): never payload text.
    Column("facts", Text, nullable=False),
    UniqueConstraint("zaak_id", "message_id", name="uq_zaak_items_zaak_message"),
)

# --- regiecheck (netwerkonderzoek) ----------------------------------------------------------

regiechecks = Table(
    "regiechecks",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("asker_tenant_id", String(64), ForeignKey("tenants.id"), nullable=False),
    Column("network_id", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("soort", String(32), nullable=False),
    #: JSON list of overlast categories (no personal data).
    Column("overlastsoorten", Text, nullable=False),
    #: The meldpunt's own reference; a repeat from the same meldpunt returns this check.
    Column("kenmerk_afzender", String(100), nullable=True),
    Column("zaak_kenmerk", String(100), nullable=True),
    #: The persons and the melder reason, sealed with the asker's data key.
    Column("key_version", Integer, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("deadline", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expired_at", UtcDateTime, nullable=True),
    Column("completed_at", UtcDateTime, nullable=True),
    UniqueConstraint("asker_tenant_id", "kenmerk_afzender", name="uq_regiechecks_kenmerk"),
    Index("ix_regiechecks_asker", "asker_tenant_id", "created_at"),
    Index("ix_regiechecks_due", "status", "deadline"),
)

regiecheck_partners = Table(
    "regiecheck_partners",
    metadata,
    Column("regiecheck_id", String(36), ForeignKey("regiechecks.id", ondelete="CASCADE"),
           primary_key=True),
    Column("tenant_id", String(64), ForeignKey("tenants.id"), primary_key=True, index=True),
    Column("position", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    #: The question delivered to this partner (a message of its own).
    Column("message_id", String(36), nullable=False),
    Column("deadline", UtcDateTime, nullable=False),
    Column("remind_at", UtcDateTime, nullable=False),
    Column("reminded_at", UtcDateTime, nullable=True),
    Column("answered_at", UtcDateTime, nullable=True),
    Column("late", Boolean, nullable=False, default=False),
    #: The contact of a ``bekend`` answer, sealed with the asker's data key.
    Column("contact_key_version", Integer, nullable=True),
    Column("contact", LargeBinary, nullable=True),
    Index("ix_regiecheck_partners_reminders", "status", "reminded_at", "remind_at"),
)

#: Signalen each meldpunt received, per address pseudonym (samenloop); no address, no text.
samenloop_signalen = Table(
    "samenloop_signalen",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("address_ref", String(64), nullable=False),
    Column("meldpunt", String(64), nullable=False),
    Column("message_id", String(36), ForeignKey("messages.id"), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Index("ix_samenloop_signalen_lookup", "address_ref", "meldpunt", "received_at"),
)

#: The same signalen counted per address pseudonym, meldpunt and month (the first day, UTC):
#: the samenloop's three-year count sums at most 37 of these and counts the signalen of the
#: first month only, however many an address has.
samenloop_maanden = Table(
    "samenloop_maanden",
    metadata,
    Column("address_ref", String(64), primary_key=True),
    Column("meldpunt", String(64), primary_key=True),
    Column("maand", Date, primary_key=True),
    Column("n", Integer, nullable=False),
)

#: The subjects each message is about (inzage): a person or an address, as a pseudonym (HMAC
#: under a hub secret) — never a name, birth date or address. Written with the message.
message_subjects = Table(
    "message_subjects",
    metadata,
    Column("message_id", String(36), ForeignKey("messages.id"), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("subject_ref", String(64), primary_key=True),
    Column("received_at", UtcDateTime, nullable=False),
    Index("ix_message_subjects_ref", "subject_ref", "kind"),
)

# --- statistics (an aggregate store without personal data; hub/stats) -----------------------

#: Counts per network, day and metric and the dimensions that apply ('' where none does):
#: stadsdeel (the area's meldpunt), PC4, categorie, source kind, message type, partner, flow,
#: answer-time bucket. No ids of messages, no addresses: it outlives retention shredding.
stats_counts = Table(
    "stats_counts",
    metadata,
    Column("network_id", String(64), primary_key=True),
    Column("metric", String(24), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("area", String(64), primary_key=True),
    Column("pc4", String(4), primary_key=True),
    Column("categorie", String(32), primary_key=True),
    Column("source_kind", String(32), primary_key=True),
    Column("message_type", String(128), primary_key=True),
    Column("partner", String(64), primary_key=True),
    Column("flow", String(64), primary_key=True),
    Column("bucket", Integer, primary_key=True),
    #: ``YYYY-MM`` of ``day``, so that months group in SQL on every dialect.
    Column("month", String(7), nullable=False),
    Column("n", BigInteger, nullable=False),
)

#: Recidive situations: an address pseudonym (HMAC, as the samenloop's) and a categorie per
#: network since its first registration; dropped three years after it started.
stats_episodes = Table(
    "stats_episodes",
    metadata,
    Column("network_id", String(64), primary_key=True),
    Column("address_ref", String(64), primary_key=True),
    Column("categorie", String(32), primary_key=True),
    Column("started_on", Date, nullable=False, index=True),
    Column("last_seen", Date, nullable=False),
    Column("repeated", Boolean, nullable=False),
    Column("area", String(64), nullable=False),
    Column("pc4", String(4), nullable=False),
    Column("source_kind", String(32), nullable=False),
    Column("partner", String(64), nullable=False),
)

#: One row: the last audit ``seq`` the rollup counted, and up to when its counts are complete.
stats_cursor = Table(
    "stats_cursor",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("bijgewerkt_tot", UtcDateTime, nullable=True),
)
