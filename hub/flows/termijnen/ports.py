"""What the termijnen flow needs from storage. SQL adapter: ``hub.persistence.termijn_repository``;
in-memory twin: ``hub.flows.termijnen.memory``."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from datetime import datetime

from hub.flows.termijnen.model import Termijn, TermijnStatus


class TermijnRepository(abc.ABC):
    @abc.abstractmethod
    def add_many(self, termijnen: Sequence[Termijn]) -> None:
        """Store new terms; a term for the same (flow, subject, owing party) is kept once."""

    @abc.abstractmethod
    def get(self, termijn_id: str) -> Termijn | None: ...

    @abc.abstractmethod
    def open_for(self, flow: str, subject_ids: Sequence[str], owed_by: str) -> list[Termijn]:
        """The running terms of ``flow`` on these subjects that ``owed_by`` owes."""

    @abc.abstractmethod
    def for_subjects(self, subject_ids: Sequence[str]) -> list[Termijn]:
        """Every term on these subjects (messages, regiechecks, …), any status."""

    @abc.abstractmethod
    def claim_due(self, now: datetime, limit: int) -> list[Termijn]:
        """Running terms due by ``now``, earliest first, locked for this transaction: another
        watcher skips them (``FOR UPDATE SKIP LOCKED``), so each is handled once."""

    @abc.abstractmethod
    def save(self, termijn: Termijn) -> None:
        """Write back the state of a term this transaction claimed or met."""

    def save_many(self, termijnen: Sequence[Termijn]) -> None:
        """``save`` for several; an adapter may write them in one statement."""
        for termijn in termijnen:
            self.save(termijn)

    @abc.abstractmethod
    def settle(self, termijn: Termijn) -> bool:
        """Write a term as met, only if it is still running; False when it was not."""

    @abc.abstractmethod
    def list_for(self, tenant_id: str, *, status: TermijnStatus | None,
                 after: tuple[datetime, str] | None, limit: int) -> list[Termijn]:
        """Terms ``tenant_id`` owes, is owed, or watches as the area's meldpunt, by deadline."""
