"""What retention needs from storage (part of ``hub.ports.HubUnitOfWork``)."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class DueMessage:
    id: str
    sender: str
    retain_until: datetime


@dataclass(frozen=True)
class RetentionRun:
    id: str
    started_at: datetime
    status: str
    messages: int
    zaken: int
    finished_at: datetime | None = None
    scheduled_day: date | None = None
    error: str | None = None


class RetentionRepository(abc.ABC):
    @abc.abstractmethod
    def due(self, now: datetime, zaak_cutoff: datetime, limit: int) -> list[DueMessage]:
        """Messages not yet shredded whose ``retain_until`` passed and that are in no zaak still
        kept (open, or closed after ``zaak_cutoff``), oldest first; locked for this transaction
        (on PostgreSQL skipping rows another run holds, so each is shredded once)."""

    @abc.abstractmethod
    def postpone(self, until: dict[str, datetime]) -> None:
        """Move ``retain_until`` of these messages (a zaak keeps them longer)."""

    @abc.abstractmethod
    def shred(self, message_ids: Sequence[str], at: datetime) -> int:
        """Destroy the messages' own data keys and blank their ciphertext; returns how many
        were shredded now (a message shredded before is not counted again)."""

    @abc.abstractmethod
    def close_zaken(self, message_ids: Sequence[str], at: datetime) -> int:
        """Mark shredded each zaak of these messages whose every message is shredded now."""

    @abc.abstractmethod
    def forget_regiechecks(self, message_ids: Sequence[str]) -> int:
        """Blank the persons and contacts of each regiecheck whose every question (a message
        among these or shredded before) is shredded now; returns how many."""

    @abc.abstractmethod
    def count_due(self, now: datetime, zaak_cutoff: datetime, sender: str | None) -> int:
        """How many messages (of ``sender``, or all) are due at ``now``."""

    @abc.abstractmethod
    def start_run(self, run: RetentionRun) -> None:
        """Raises ``DuplicateKey`` when a run already claimed ``run.scheduled_day``."""

    @abc.abstractmethod
    def finish_run(self, run: RetentionRun) -> None: ...

    @abc.abstractmethod
    def last_run(self) -> RetentionRun | None:
        """The most recently started run."""
