"""What the regiecheck flow needs from storage. The SQL adapter is
``hub.persistence.regiecheck_repository``; ``hub.flows.regiecheck.memory`` is its in-memory twin."""

from __future__ import annotations

import abc
from datetime import datetime

from hub.flows.regiecheck.model import (
    AskedPartner,
    CheckStatus,
    Due,
    Expired,
    PartnerStatus,
    Regiecheck,
)


class RegiecheckRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, check: Regiecheck) -> None:
        """Store a new check with its partners. Raises the adapter's duplicate-key error when
        the asker used the ``kenmerk_afzender`` before."""

    @abc.abstractmethod
    def get(self, regiecheck_id: str, *, for_update: bool = False) -> Regiecheck | None:
        """The check with all its partners; ``for_update`` holds it until the transaction
        ends (answers and the expiry of one check are then applied one after the other)."""

    @abc.abstractmethod
    def find_by_kenmerk(self, asker: str, kenmerk_afzender: str) -> Regiecheck | None: ...

    @abc.abstractmethod
    def for_zaak(self, asker: str, zaak_kenmerk: str, since: datetime) -> list[Regiecheck]:
        """The asker's checks about its zaak ``zaak_kenmerk`` created at or after ``since``
        (the zaak's opening), by (created_at, id)."""

    @abc.abstractmethod
    def list_for_asker(self, asker: str, *, status: CheckStatus | None,
                       after: tuple[datetime, str] | None, limit: int) -> list[Regiecheck]:
        """The asker's checks by (created_at, id)."""

    @abc.abstractmethod
    def list_for_partner(self, partner: str, *, status: PartnerStatus | None,
                         after: tuple[datetime, str] | None,
                         limit: int) -> list[tuple[Regiecheck, AskedPartner]]:
        """The checks the partner was asked, each with its own row only, by (created_at, id)."""

    @abc.abstractmethod
    def record_answer(self, regiecheck_id: str, partner: AskedPartner) -> None:
        """Replace the partner's row with its answered state."""

    @abc.abstractmethod
    def set_status(self, check: Regiecheck) -> None:
        """Write the check's ``status`` and ``completed_at``."""

    @abc.abstractmethod
    def claim_reminders(self, now: datetime, limit: int) -> list[Due]:
        """Mark unanswered partner rows whose reminder time has come (and whose deadline has
        not passed) as reminded, and return them: each row once, even with several workers
        claiming at the same time."""

    @abc.abstractmethod
    def claim_expired(self, now: datetime, limit: int) -> list[Expired]:
        """Set open checks whose deadline passed to ``verlopen`` (their silent partners too)
        and return them: each check once, even with several workers claiming at once."""
