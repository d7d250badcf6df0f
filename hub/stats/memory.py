"""The in-memory twin of the statistics repository, on a memory unit of work's staged tables
(``stats_counts``, ``stats_episodes``, ``stats_cursor`` beside the pipeline's own)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from hub.stats.model import (
    CountKey,
    Cursor,
    Episode,
    FeedEntry,
    MessageFacts,
    RegiecheckFacts,
    TermijnFacts,
)
from hub.stats.ports import StatsRepository


class MemoryStatsRepository(StatsRepository):
    def __init__(self, tables: Any) -> None:
        self._t = tables

    def cursor(self) -> Cursor:
        return Cursor(self._t.stats_cursor.get("seq", 0), self._t.stats_cursor.get("at"))

    def claim_cursor(self, *, wait: bool) -> Cursor | None:
        return self.cursor()  # a memory unit of work is one at a time

    def save_cursor(self, cursor: Cursor) -> None:
        self._t.stats_cursor = {"seq": cursor.seq, "at": cursor.bijgewerkt_tot}

    def feed(self, after: int, upto: int, actions: Sequence[str], limit: int,
             ) -> list[FeedEntry]:
        wanted = set(actions)
        return [FeedEntry(a["seq"], a["action"], a["tenant_id"], a["subject_id"], a["at"],
                          dict(a["facts"])) for a in self._t.audit
                if after < a["seq"] <= upto and a["action"] in wanted][:limit]

    def messages(self, ids: Sequence[str]) -> dict[str, MessageFacts]:
        found = {}
        for message_id in ids:
            m = self._t.messages.get(message_id)
            if m is None:
                continue
            permits = [d for d in self._t.decisions if d["message_id"] == message_id
                       and d["decision"] == "permit" and d["phase"] == "intake"]
            found[message_id] = MessageFacts(
                m.id, m.sender, m.type, m.received_at, dict(m.routing),
                tuple(sorted({d["network_id"] for d in permits if d["network_id"]})),
                tuple(sorted({d["recipient_tenant_id"] for d in permits})))
        return found

    def termijnen(self, ids: Sequence[str]) -> dict[str, TermijnFacts]:
        return {x.id: TermijnFacts(x.id, x.flow, x.network_id, x.owed_by, x.meldpunt)
                for i in ids if (x := self._t.termijnen.get(i)) is not None}

    def regiechecks(self, ids: Sequence[str]) -> dict[str, RegiecheckFacts]:
        return {r.id: RegiecheckFacts(r.id, r.network_id, r.created_at)
                for i in ids if (r := self._t.regiechecks.get(i)) is not None}

    def episodes(self, network_id: str, address_refs: Sequence[str]) -> list[Episode]:
        refs = set(address_refs)
        return [e for (n, ref, _), e in self._t.stats_episodes.items()
                if n == network_id and ref in refs]

    def save_episodes(self, episodes: Sequence[Episode]) -> None:
        for e in episodes:
            self._t.stats_episodes[(e.network_id, e.address_ref, e.categorie)] = e

    def forget_episodes(self, started_before: date) -> int:
        old = [k for k, e in self._t.stats_episodes.items() if e.started_on < started_before]
        for k in old:
            del self._t.stats_episodes[k]
        return len(old)

    def add_counts(self, counts: Mapping[CountKey, int]) -> None:
        for key, n in counts.items():
            self._t.stats_counts[key] = self._t.stats_counts.get(key, 0) + n

    def sums(self, network_id: str, metrics: Sequence[str], first: date, last: date,
             dims: Sequence[str]) -> list[tuple[tuple, str, int]]:
        wanted = set(metrics)
        summed: dict[tuple[tuple, str], int] = {}
        for key, n in self._t.stats_counts.items():
            if key.network_id != network_id or key.metric not in wanted \
                    or not first <= key.day <= last:
                continue
            values = {**asdict(key), "month": key.month}
            group = (tuple(values[d] for d in dims), key.metric)
            summed[group] = summed.get(group, 0) + n
        return [(g, metric, n) for (g, metric), n in sorted(summed.items())]
