"""The composition root: the only place that picks concrete adapters and wires services."""

from __future__ import annotations

import base64
import dataclasses
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DBAPIError

from connectors.base import Connector
from connectors.netguard import NetGuard
from connectors.registry import CONNECTORS, connector_class
from consent.policy import PolicyDecisionPoint
from consent.privacy import PrivacyGuard
from consent.pseudonym import TenantRefs, address_ref, client_ref, network_secret, person_ref
from consent.services import BegeleideWoningService, ConsentService
from hub.alerts.service import AlertEmail, AlertService
from hub.audit.anchors import AnchorSigner, FileAnchorSink
from hub.audit.service import AuditLog
from hub.bus.kombu_bus import KombuBus
from hub.bus.memory_bus import InProcessBus
from hub.bus.ports import Bus
from hub.config import Config
from hub.crypto.keyring import MasterKey, MasterKeyring, load_keyring
from hub.crypto.rotation import DERIVE_BASE, KeyRotation, stable_derivation
from hub.crypto.vault import PayloadVault
from hub.delivery.decisions import DecisionService
from hub.delivery.isolation import IsolationSettings
from hub.delivery.processor import DeliveryProcessor
from hub.delivery.reconciler import Reconciler
from hub.delivery.retry import RetryPolicy
from hub.delivery.service import DeliveryService
from hub.delivery.withdrawal import ConsentExpiry, ConsentWithdrawal
from hub.endpoints.service import EndpointService
from hub.errors import DatabaseUnavailable
from hub.flows.notices import HubNotices
from hub.flows.regiecheck.answers import AnswerRecorder, AntwoordToAsker
from hub.flows.regiecheck.contacts import contact_aad
from hub.flows.regiecheck.schedule import RegiecheckScheduler
from hub.flows.regiecheck.service import RegiecheckService
from hub.flows.samenloop.hook import SamenloopHook
from hub.flows.termijnen import Termijnen, TermijnFlows, TermijnWatcher, calendar_of
from hub.flows.termijnen.service import network_in
from hub.flows.termijnen.standard import standard_flows
from hub.flows.urgent.melding import UrgentMeldingHook
from hub.flows.zaken.advies import advies_for
from hub.flows.zaken.joining import ZaakJoiner
from hub.flows.zaken.service import ZaakService
from hub.health import Readiness, check_readiness
from hub.intake.service import IntakeService
from hub.inzage.hook import SubjectHook
from hub.inzage.service import InzageService
from hub.metrics import Metrics
from hub.monitoring import MonitoringSnapshot
from hub.outbox.relay import OutboxRelay, Waker
from hub.persistence.database import build_engine
from hub.persistence.migrate import upgrade
from hub.persistence.monitoring_repository import SqlMonitoringRepository
from hub.persistence.unit_of_work import SqlUnitOfWork
from hub.retention.service import RetentionService
from hub.routing.rules import Router
from hub.stats.rollup import StatsRollup
from hub.stats.service import StatsService
from tenants.clock import Clock, utcnow
from tenants.directory import Directory, Snapshot
from tenants.model import Principal, TenantKind
from tenants.pagination import Page
from tenants.services import KeyService, NetworkService, TenantService, UserService
from tenants.services.accounts import AccountService
from tenants.verwerkingen import DEFAULT_VERWERKINGSREGISTER, Verwerking, for_message

log = logging.getLogger("ketenhub.bootstrap")


@dataclass
class Container:
    """Everything a process of the hub needs, built once per app or CLI invocation."""

    config: Config
    engine: Engine
    bus: Bus
    clock: Clock
    tenants: TenantService
    keys: KeyService
    networks: NetworkService
    users: UserService
    privacy_guard: PrivacyGuard
    directory: Directory
    pdp: PolicyDecisionPoint
    router: Router
    vault: PayloadVault
    waker: Waker
    intake: IntakeService
    deliveries: DeliveryService
    processor: DeliveryProcessor
    relay: OutboxRelay
    reconciler: Reconciler
    connectors: dict[str, Connector]
    endpoints: EndpointService
    consents: ConsentService
    woningen: BegeleideWoningService
    decisions: DecisionService
    zaken: ZaakService
    regiechecks: RegiecheckService
    regiecheck_schedule: RegiecheckScheduler
    consent_expiry: ConsentExpiry
    #: Counts for the metrics endpoints (deliveries, outbox, alerts), read at scrape time.
    monitoring: Callable[[], MonitoringSnapshot]
    alerts: AlertService
    audit: AuditLog
    termijn_flows: TermijnFlows
    termijnen: Termijnen
    watcher: TermijnWatcher
    accounts: AccountService
    inzage: InzageService
    #: The client refs tenants see: a per-tenant permutation of the hub's internal refs.
    tenant_refs: TenantRefs
    stats: StatsService
    stats_rollup: StatsRollup
    retention: RetentionService
    key_rotation: KeyRotation
    #: Signs the web's session cookie and CSRF tokens (derived from the master key).
    web_secret: bytes = b""
    extras: dict[str, object] = field(default_factory=dict)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    def migrate(self) -> None:
        """Bring the database to the newest schema (Alembic)."""
        upgrade(self.engine)

    def readiness(self) -> Readiness:
        return check_readiness(self.engine, self.bus, self.config.readiness_timeout_s)

    def close(self) -> None:
        self.processor.close()
        for connector in self.connectors.values():
            connector.close()
        self.bus.close()
        self.engine.dispose()


def _everything(list_page: Callable[..., Page]) -> list:
    """Every item of a cursor-paginated service list, as the operator sees it."""
    items, cursor = [], None
    while True:
        page = list_page(Principal.system(), after=cursor, limit=500)
        items += page.items
        if page.next is None:
            return items
        cursor = page.next


def _snapshot_loader(tenants: TenantService, networks: NetworkService) -> Snapshot:
    return Snapshot.build(_everything(tenants.list), _everything(networks.list))


def bootstrap(config: Config, *, clock: Clock = utcnow) -> Container:
    engine = build_engine(config.effective_database_url)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine)

    guard = PrivacyGuard.default()
    read_engine = (build_engine(config.effective_database_url, for_writes=False)
                   if engine.dialect.name == "sqlite" else engine)

    def read_uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(read_engine)

    def lookup_uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(read_engine, read_only=True)

    directory = Directory(lambda: _snapshot_loader(TenantService(read_uow, clock),
                                                   NetworkService(read_uow, clock)),
                          ttl=config.directory_ttl_s)
    keys = KeyService(uow, clock, screen=guard.enforce, read_uow=lookup_uow,
                      last_used_resolution=timedelta(seconds=config.key_last_used_resolution_s),
                      cache_ttl_s=config.auth_cache_ttl_s)

    def tenants_changed() -> None:
        directory.invalidate()
        keys.invalidate()

    tenants = TenantService(uow, clock, screen=guard.enforce, on_change=tenants_changed)
    networks = NetworkService(uow, clock, screen=guard.enforce, on_change=directory.invalidate)
    pdp = PolicyDecisionPoint(directory)
    master = _stable_master(engine, load_keyring(
        config.master_key, config.master_key_file, config.master_key_previous,
        config.master_key_previous_file, config.data_dir,
        embedded=config.effective_database_url.startswith("sqlite")))
    vault = PayloadVault(master, clock, current_ttl_s=config.data_key_refresh_s)
    waker = Waker()
    bus = build_bus(config.broker_url, config.bus_prefix)
    router = Router()
    router.add(AntwoordToAsker())
    connectors = _connectors(config)
    endpoints = EndpointService(uow=uow, vault=vault, clock=clock, connectors=connectors,
                                read_uow=read_uow, cache_ttl_s=config.endpoint_cache_ttl_s,
                                guard=_netguard(config))
    pseudonym_master = master.derive("client-ref")
    termijn_flows = TermijnFlows(standard_flows())
    termijnen = Termijnen(flows=termijn_flows, directory=directory, clock=clock,
                          read_uow=lookup_uow)
    notices = HubNotices(vault=vault, pdp=pdp, max_attempts=config.max_attempts,
                         active_endpoints=endpoints.active_for)
    watcher = TermijnWatcher(
        uow=uow, flows=termijn_flows, directory=directory, clock=clock,
        batch=config.termijn_batch, on_sent=waker.notify, notices=notices)

    def today_networks(tenant_id: str) -> list[str]:
        return directory.snapshot().networks_of(tenant_id, clock().date())

    def tenant_kind(tenant_id: str) -> TenantKind | None:
        tenant = directory.snapshot().tenant(tenant_id)
        return tenant.kind if tenant else None

    address_secret = master.derive("address-ref")

    def is_meldpunt(tenant_id: str) -> bool:
        return tenant_kind(tenant_id) is TenantKind.MELDPUNT

    def adres_ref(adres: dict) -> str | None:
        return address_ref(address_secret, adres["postcode"], adres["huisnummer"],
                           adres.get("huisletter"), adres.get("toevoeging"))

    subject_secret = master.derive("subject-ref")
    tenant_refs = TenantRefs(master.derive("tenant-client-ref"))

    def persoon_ref(persoon: dict) -> str:
        return person_ref(subject_secret, persoon)

    def client_refs(persoon: dict) -> list[str]:
        """The person's client ref in every network (consents are per network)."""
        return [client_ref(network_secret(pseudonym_master, n.id),
                           achternaam=persoon.get("achternaam") or "",
                           voorvoegsel=persoon.get("voorvoegsel"),
                           voornamen=persoon.get("voornamen"),
                           voorletters=persoon.get("voorletters"),
                           geboortedatum=persoon.get("geboortedatum"))
                for n in directory.snapshot().networks]

    def register_of(network_id: str | None) -> tuple[Verwerking, ...]:
        found = next((n for n in directory.snapshot().networks if n.id == network_id), None)
        return found.register if found else DEFAULT_VERWERKINGSREGISTER

    def purpose_of(network_id: str | None, message_type: str, basis: str | None) -> str | None:
        found = for_message(register_of(network_id), message_type, basis)
        return found.id if found else None

    joiner = ZaakJoiner(is_meldpunt=is_meldpunt, address_ref=adres_ref)
    consents = ConsentService(uow, clock,
                              secret_for_network=lambda nid: network_secret(pseudonym_master, nid),
                              networks_of=today_networks, tenant_kind=tenant_kind,
                              screen=guard.enforce, max_term=config.consent_max_term_years,
                              on_withdrawn=ConsentWithdrawal().take_back, refs=tenant_refs)
    intake = IntakeService(uow=uow, guard=guard, router=router, pdp=pdp,
                           directory=directory, vault=vault, clock=clock,
                           max_attempts=config.max_attempts,
                           active_endpoints=endpoints.active_for, on_committed=waker.notify,
                           hooks=(joiner, AnswerRecorder(vault, contact_aad),
                                  SamenloopHook(is_meldpunt=is_meldpunt, address_ref=adres_ref),
                                  SubjectHook(person_ref=persoon_ref, address_ref=adres_ref),
                                  UrgentMeldingHook(notices=notices, directory=directory)),
                           purpose_of=purpose_of,
                           termijnen=termijnen)

    def alert_address(tenant_id: str) -> str | None:
        tenant = directory.snapshot().tenant(tenant_id)
        return tenant.alert_email if tenant else None

    def send_alert_email(email: AlertEmail) -> None:
        connectors["smtp"].send_notice(to=email.to, subject=email.subject, body=email.body,
                                       reference=email.reference)

    def monitoring() -> MonitoringSnapshot:
        with read_engine.connect() as conn:
            snapshot = SqlMonitoringRepository(conn).snapshot(clock())
        try:
            depths = bus.depths()
        except Exception as exc:  # noqa: BLE001 - the scrape answers without the bus's figures
            log.warning("bus queue depths unavailable", extra={"error_type": type(exc).__name__})
            depths = {}
        return replace(snapshot, queue_depth=depths)

    #: This process's metrics: the processor reports its attempts to them; serve's app and the
    #: worker's HTTP face render them.
    metrics = Metrics(monitoring)

    return Container(
        config=config,
        engine=engine,
        bus=bus,
        clock=clock,
        tenants=tenants,
        keys=keys,
        networks=networks,
        users=UserService(uow, clock, screen=guard.enforce),
        privacy_guard=guard,
        directory=directory,
        pdp=pdp,
        router=router,
        vault=vault,
        waker=waker,
        intake=intake,
        deliveries=DeliveryService(uow=uow, vault=vault, clock=clock, on_redrive=waker.notify,
                                   pdp=pdp, directory=directory, read_uow=lookup_uow),
        processor=DeliveryProcessor(uow=uow, vault=vault, pdp=pdp, directory=directory,
                                    endpoints=endpoints, connectors=connectors,
                                    retry=RetryPolicy(config.retry_base_s, config.retry_max_s),
                                    clock=clock, lease=timedelta(seconds=config.lease_s),
                                    isolation=IsolationSettings(
                                        per_endpoint=config.endpoint_concurrency,
                                        breaker_failures=config.breaker_failures,
                                        breaker_open_s=config.breaker_open_s),
                                    push_concurrency=config.push_concurrency,
                                    observer=metrics,
                                    disable_after=timedelta(
                                        seconds=config.endpoint_disable_after_s)),
        relay=OutboxRelay(uow=uow, bus=bus),
        reconciler=Reconciler(uow=uow, clock=clock,
                              redispatch_after=timedelta(seconds=config.redispatch_after_s),
                              on_dispatched=waker.notify),
        connectors=connectors,
        endpoints=endpoints,
        consents=consents,
        woningen=BegeleideWoningService(uow, clock, consents=consents, refs=tenant_refs),
        decisions=DecisionService(uow, refs=tenant_refs),
        zaken=ZaakService(uow=uow, clock=clock, joiner=joiner, is_meldpunt=is_meldpunt,
                          advies=lambda meldpunt, categorieen: advies_for(
                              directory.snapshot(), meldpunt, categorieen, clock().date()),
                          calendar=lambda network_id: calendar_of(
                              network_in(directory.snapshot(), network_id)),
                          screen=guard.enforce),
        regiechecks=RegiecheckService(uow=uow, intake=intake, pdp=pdp, directory=directory,
                                      vault=vault, guard=guard, clock=clock, read_uow=read_uow,
                                      calendar_for=calendar_of),
        consent_expiry=ConsentExpiry(uow=uow, clock=clock),
        regiecheck_schedule=RegiecheckScheduler(uow=uow, intake=intake, pdp=pdp,
                                                directory=directory, clock=clock),
        monitoring=monitoring,
        alerts=AlertService(uow=uow, clock=clock, alert_address=alert_address,
                            send_email=send_alert_email, public_url=config.public_url),
        audit=AuditLog(read_uow=lookup_uow, signer=AnchorSigner(master),
                       sink=FileAnchorSink(config.effective_audit_anchor_file), clock=clock,
                       shown=tenant_refs.shown),
        termijn_flows=termijn_flows,
        termijnen=termijnen,
        watcher=watcher,
        accounts=_accounts(uow, clock, master.derive("web-totp"), config),
        stats=StatsService(read_uow=read_uow, directory=directory, clock=clock,
                           refresh=StatsRollup(uow=uow, directory=directory, clock=clock,
                                               batch=config.stats_query_batch).run_once_if_free),
        stats_rollup=StatsRollup(uow=uow, directory=directory, clock=clock,
                                 batch=config.stats_batch),
        retention=RetentionService(uow=uow, clock=clock, directory=directory,
                                   batch=config.retention_batch),
        key_rotation=KeyRotation(uow=uow, vault=vault, clock=clock),
        web_secret=master.derive("web-session"),
        inzage=InzageService(uow=uow, clock=clock, person_ref=persoon_ref, address_ref=adres_ref,
                             client_refs=client_refs, shown=tenant_refs.shown,
                             register_of=register_of),
        tenant_refs=tenant_refs,
        extras={"metrics": metrics},
    )


def _stable_master(engine: Engine, keyring: MasterKeyring) -> MasterKey:
    """The keyring with the derivation root a master-key rotation stored (pseudonyms and
    signing keys stay the same across rotations); before any rotation, or while the table
    does not exist yet, the oldest configured key's."""
    try:
        if not inspect(engine).has_table("hub_secrets"):  # not migrated: never rotated
            return stable_derivation(keyring, None)
        with SqlUnitOfWork(engine) as uow:
            stored = uow.data_keys.get_secret(DERIVE_BASE)
    except (DatabaseUnavailable, DBAPIError):
        log.warning("derivation root not read: database unavailable; using the configured keys")
        stored = None
    return stable_derivation(keyring, stored)


def build_bus(broker_url: str, prefix: str = "ketenhub") -> Bus:
    """kombu on a broker, or the in-process default."""
    if broker_url:
        return KombuBus(broker_url, prefix)
    return InProcessBus()


def _accounts(uow: Callable[[], SqlUnitOfWork], clock: Clock, totp_key: bytes,
              config: Config) -> AccountService:
    """Web login; TOTP secrets are stored sealed with AES-GCM under a key from the master key."""
    aead = AESGCM(totp_key)

    def seal(secret: str) -> str:
        nonce = os.urandom(12)
        return base64.b64encode(nonce + aead.encrypt(nonce, secret.encode(), b"totp")).decode()

    def unseal(sealed: str) -> str:
        raw = base64.b64decode(sealed)
        return aead.decrypt(raw[:12], raw[12:], b"totp").decode()

    return AccountService(uow, clock, seal=seal, unseal=unseal,
                          idle_timeout=timedelta(minutes=config.web_idle_timeout_min))


def _netguard(config: Config) -> NetGuard:
    return NetGuard(allow_loopback=config.allow_loopback_endpoints)


def _connectors(config: Config) -> dict[str, Connector]:
    """One instance per alias, each built from the hub's settings it needs."""
    settings = dataclasses.asdict(config)
    return {alias: connector_class(alias).from_settings(settings) for alias in CONNECTORS}
