"""The in-memory twin of the retention repository (for ``hub.memory``'s unit of work)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from hub.errors import DuplicateKey
from hub.retention.ports import DueMessage, RetentionRepository, RetentionRun


class MemoryRetentionRepository(RetentionRepository):
    """Works on the staged tables: ``messages``, ``zaken``, ``zaak_items``, ``retention_runs``."""

    def __init__(self, tables: Any) -> None:
        self._t = tables

    def _kept(self, message_id: str, zaak_cutoff: datetime) -> bool:
        return any(i.message_id == message_id and (
            self._t.zaken[i.zaak_id].closed_at is None
            or self._t.zaken[i.zaak_id].closed_at > zaak_cutoff) for i in self._t.zaak_items)

    def _due(self, now: datetime, zaak_cutoff: datetime) -> list[Any]:
        return sorted((m for m in self._t.messages.values()
                       if m.shredded_at is None and m.retain_until is not None
                       and m.retain_until <= now and not self._kept(m.id, zaak_cutoff)),
                      key=lambda m: (m.retain_until, m.id))

    def due(self, now: datetime, zaak_cutoff: datetime, limit: int) -> list[DueMessage]:
        return [DueMessage(m.id, m.sender, m.retain_until)
                for m in self._due(now, zaak_cutoff)[:limit]]

    def postpone(self, until: dict[str, datetime]) -> None:
        for message_id, at in until.items():
            self._t.messages[message_id] = replace(self._t.messages[message_id], retain_until=at)

    def shred(self, message_ids: Sequence[str], at: datetime) -> int:
        done = 0
        for message_id in message_ids:
            m = self._t.messages.get(message_id)
            if m is not None and m.shredded_at is None:
                self._t.messages[message_id] = replace(m, shredded_at=at, payload=b"",
                                                       wrapped_key=None)
                done += 1
        return done

    def close_zaken(self, message_ids: Sequence[str], at: datetime) -> int:
        touched = {i.zaak_id for i in self._t.zaak_items if i.message_id in set(message_ids)}
        done = 0
        for zaak_id in touched:
            zaak = self._t.zaken[zaak_id]
            items = [i.message_id for i in self._t.zaak_items if i.zaak_id == zaak_id]
            if zaak.shredded_at is None and zaak.closed_at is not None and all(
                    self._t.messages[m].shredded_at is not None for m in items):
                self._t.zaken[zaak_id] = replace(zaak, shredded_at=at)
                done += 1
        return done

    def forget_regiechecks(self, message_ids: Sequence[str]) -> int:
        wanted = set(message_ids)
        done = 0
        for check_id, check in list(self._t.regiechecks.items()):
            questions = [p.message_id for p in check.partners]
            if not wanted.intersection(questions) or any(
                    self._t.messages[m].shredded_at is None for m in questions
                    if m in self._t.messages):
                continue
            self._t.regiechecks[check_id] = replace(check, payload=b"", partners=tuple(
                replace(p, contact=None, contact_key_version=None) for p in check.partners))
            done += 1
        return done

    def count_due(self, now: datetime, zaak_cutoff: datetime, sender: str | None) -> int:
        return sum(1 for m in self._due(now, zaak_cutoff) if sender in (None, m.sender))

    def start_run(self, run: RetentionRun) -> None:
        if run.scheduled_day is not None and any(
                r.scheduled_day == run.scheduled_day for r in self._t.retention_runs.values()):
            raise DuplicateKey()
        self._t.retention_runs[run.id] = run

    def finish_run(self, run: RetentionRun) -> None:
        self._t.retention_runs[run.id] = run

    def last_run(self) -> RetentionRun | None:
        runs = sorted(self._t.retention_runs.values(), key=lambda r: (r.started_at, r.id))
        return runs[-1] if runs else None
