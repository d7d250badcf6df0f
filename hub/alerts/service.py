"""Alerts that reach people: the tenant admin's list (newest first) and the notifier that
e-mails each new alert once to the tenant's alert address (the worker runs it)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from connectors.errors import PermanentDeliveryError, RetryableDeliveryError
from hub.alerts.model import Alert
from hub.ports import HubUnitOfWork
from tenants.model import Principal
from tenants.pagination import Page, clamp_limit, decode_cursor, encode_cursor

log = logging.getLogger("ketenhub.alerts")


@dataclass(frozen=True)
class AlertEmail:
    """A notification about one alert: what happened and what to do, ids only."""

    to: str
    subject: str
    body: str
    reference: str


class AlertService:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork],
                 clock: Callable[[], datetime], alert_address: Callable[[str], str | None],
                 send_email: Callable[[AlertEmail], None], public_url: str) -> None:
        self._uow = uow
        self._clock = clock
        self._alert_address = alert_address
        self._send_email = send_email
        self._public_url = public_url.rstrip("/")

    def list(self, principal: Principal, *, after: str | None = None, limit: int | None = None,
             tenant_id: str | None = None) -> Page[Alert]:
        """Newest first. A hub admin sees every tenant's (or one tenant's) alerts; a tenant
        admin only its own tenant's."""
        only = tenant_id if principal.is_hub_admin else principal.tenant_id
        size = clamp_limit(limit)
        raw = decode_cursor(after)
        after_id = int(raw) if raw and raw.isdigit() else None
        with self._uow() as uow:
            rows = list(uow.alerts.page(tenant_id=only, after_id=after_id, limit=size + 1))
        more = len(rows) > size
        rows = rows[:size]
        return Page(items=rows, next=encode_cursor(str(rows[-1].id)) if more else None)

    def notify_pending(self, limit: int = 50) -> int:
        """E-mail up to ``limit`` new alerts, one transaction each, so an alert is sent once
        across several workers (the claim locks it) and a failed send is tried again on the
        next pass. Alerts of a tenant without an alert address are marked handled. Returns the
        number of alerts handled."""
        handled = 0
        while handled < limit:
            with self._uow() as uow:
                claimed = list(uow.alerts.claim_unnotified(1))
                if not claimed:
                    return handled
                alert = claimed[0]
                address = self._alert_address(alert.tenant_id) if alert.tenant_id else None
                if address:
                    try:
                        self._send_email(self._email(alert, address))
                    except RetryableDeliveryError as exc:
                        log.warning("alert e-mail deferred",
                                    extra={"alert_id": alert.id, "error_code": exc.code})
                        return handled
                    except PermanentDeliveryError as exc:
                        log.warning("alert e-mail refused",
                                    extra={"alert_id": alert.id, "error_code": exc.code})
                uow.alerts.mark_notified([alert.id], self._clock())
                uow.commit()
                handled += 1
        return handled

    def _email(self, alert: Alert, address: str) -> AlertEmail:
        lines = [f"Melding in Ketenhub: {alert.title}", "", alert.what_to_do, "",
                 f"Soort: {alert.kind}"]
        if alert.subject_id:
            lines.append(f"Kenmerk: {alert.subject_id}")
        lines += [f"Tijdstip: {alert.raised_at.isoformat(timespec='seconds')}", "",
                  f"Alle meldingen: {self._public_url}/api/v1/admin/alerts", "",
                  "Deze e-mail bevat bewust geen persoonsgegevens."]
        return AlertEmail(to=address, subject=f"[Ketenhub] {alert.title}",
                          body="\n".join(lines) + "\n", reference=f"alert-{alert.id}")
