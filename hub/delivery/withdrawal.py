"""Taking inbox items back when the consent they rest on ends (withdrawn, or expired): what the
recipient has not acknowledged yet becomes ``ingetrokken`` — listed in its inbox without the
payload — and a decision record says so (phase ``withdrawal``). Deliveries still queued or
retrying are blocked by the delivery-time re-check, as before."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from consent.model import Consent, EffectiveStatus
from consent.policy import Decision
from hub.ports import HubUnitOfWork
from tenants.model import LegalBasis

WITHDRAWAL_PHASE = "withdrawal"
CONSENT_WITHDRAWN = "consent withdrawn"
CONSENT_EXPIRED = "consent expired"


class ConsentExpiry:
    """The worker's pass: inbox items resting on a consent whose term is over are taken back
    as on a withdrawal (reason ``consent expired``). Safe to run in several workers at once:
    an item changes from delivered to ingetrokken once."""

    def __init__(self, *, uow: Callable[[], HubUnitOfWork], clock: Callable[[], datetime],
                 batch: int = 100) -> None:
        self._uow = uow
        self._clock = clock
        self._batch = batch

    def run_once(self) -> int:
        now = self._clock()
        taken = 0
        with self._uow() as uow:
            for consent_id in uow.deliveries.consents_of_open_items(self._batch):
                consent = uow.consents.latest(consent_id)
                if consent is not None and consent.effective_status(now) is EffectiveStatus.EXPIRED:
                    taken += ConsentWithdrawal().take_back(uow, consent, now, CONSENT_EXPIRED)
            uow.commit()
        return taken


class ConsentWithdrawal:
    def take_back(self, uow: HubUnitOfWork, consent: Consent, now: datetime,
                  reason: str = CONSENT_WITHDRAWN) -> int:
        """Withdraw the consent's unacknowledged deliveries inside ``uow``'s transaction (the
        caller commits); returns how many deliveries were taken back."""
        taken = uow.deliveries.withdraw_on_consent(consent.id, now, reason)
        pairs = sorted({(d.message_id, d.recipient) for d in taken})
        uow.decisions.add_once_many([
            (message_id, WITHDRAWAL_PHASE, Decision(
                recipient, False, LegalBasis.CONSENT.value, reason, network_id=consent.network_id,
                consent_id=consent.id, consent_version=consent.version,
                client_ref=consent.client_ref))
            for message_id, recipient in pairs], now)
        if taken:
            uow.audit.record(action="deliveries.withdrawn", tenant_id=consent.controller,
                             actor=None, subject_id=consent.id, at=now, facts={
                                 "reason": reason, "delivery_ids": sorted(d.id for d in taken),
                                 "message_ids": sorted({m for m, _ in pairs})})
        return len(taken)
