"""The background side of the hub: outbox relay, delivery consumers, reconciler. Run by
``ketenhub worker``, and inside ``ketenhub serve`` on the embedded default."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from hub.bootstrap import Container
from hub.bus.ports import QUEUES
from hub.errors import DatabaseUnavailable
from hub.outbox.listener import listen_for_outbox
from hub.tracing import new_request_id, request_id_bound

log = logging.getLogger("ketenhub.runtime")


class Runtime:
    def __init__(self, container: Container) -> None:
        self.c = container
        self.stop_event = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        c = self.c
        # The broker may be down while a worker (re)starts: wait for it instead of exiting.
        self._spawn("relay", lambda: self._declare() and c.relay.run(c.waker, self.stop_event))
        if c.engine.dialect.name == "postgresql":
            self._spawn("outbox-listener", lambda: listen_for_outbox(
                c.config.effective_database_url, c.waker, self.stop_event))
        self._periodic("reconciler", c.config.reconcile_interval_s, c.reconciler.run_once)
        self._periodic("regiecheck", c.config.regiecheck_interval_s, c.regiecheck_schedule.run_once)
        self._periodic("consent-expiry", c.config.consent_expiry_interval_s,
                       c.consent_expiry.run_once)
        self._periodic("alert-notifier", c.config.alert_interval_s, c.alerts.notify_pending)
        self._periodic("audit-anchor", c.config.audit_anchor_interval_s, c.audit.anchor)
        self._periodic("termijnen", c.config.termijn_interval_s, c.watcher.run_until_idle)
        self._periodic("stats", c.config.stats_interval_s, c.stats_rollup.run_until_idle)
        self._periodic("retention", c.config.retention_interval_s, c.retention.run_daily)
        self._spawn("consumer-urgent", lambda: c.bus.consume(["urgent"], self._handle,
                                                             self.stop_event))
        for i in range(max(1, c.config.worker_concurrency)):
            self._spawn(f"consumer-{i}", lambda: c.bus.consume(list(QUEUES), self._handle,
                                                               self.stop_event))
        log.info("runtime started", extra={"consumers": c.config.worker_concurrency})

    def _declare(self) -> bool:
        """Declare exchanges and queues, waiting for the broker if it is not reachable yet."""
        while not self.stop_event.is_set():
            try:
                self.c.bus.declare()
                return True
            except Exception as exc:  # noqa: BLE001 - any broker failure: wait and try again
                log.warning("bus not reachable, declaring again",
                            extra={"error_type": type(exc).__name__})
                self.stop_event.wait(1.0)
        return False

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=f"ketenhub-{name}", daemon=True)
        thread.start()
        self._threads.append(thread)

    def _handle(self, delivery_ids: list[str]) -> None:
        try:
            self.c.processor.process_many(delivery_ids)
        except DatabaseUnavailable:
            # Left open in the database; the reconciler dispatches them again when due.
            log.warning("deliveries deferred: database unavailable",
                        extra={"count": len(delivery_ids)})
        except Exception:
            log.exception("delivery processing failed", extra={"count": len(delivery_ids)})

    def _periodic(self, name: str, interval_s: float, task: Callable[[], object]) -> None:
        """Run ``task`` every ``interval_s`` seconds on its own thread until stopped, each run
        under a request id of its own. Work that must happen once across several workers claims
        its rows in the database itself."""

        def loop() -> None:
            while not self.stop_event.wait(interval_s):
                try:
                    # A request id per run: what the run writes (a reminder, an expiry notice)
                    # and the worker's lines about its deliveries carry it, as for a request.
                    with request_id_bound(new_request_id()):
                        task()
                except DatabaseUnavailable:
                    log.warning("periodic task waiting: database unavailable",
                                extra={"task": name})
                except Exception:
                    log.exception("periodic task failed", extra={"task": name})

        self._spawn(name, loop)

    def healthy(self) -> bool:
        """True while started, not stopping, and every background thread is alive."""
        return (bool(self._threads) and not self.stop_event.is_set()
                and all(thread.is_alive() for thread in self._threads))

    def stop(self, timeout: float = 30.0) -> None:
        """Graceful: consumers finish the delivery in hand, then everything stops."""
        self.stop_event.set()
        self.c.waker.notify()
        for thread in self._threads:
            thread.join(timeout)
        log.info("runtime stopped")
