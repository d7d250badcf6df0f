"""The rollup: counts what the hub processed into the aggregate store, past a stored cursor.

It reads the audit trail, not the message path: every accepted message, term event and
regiecheck answer is an audit entry, chained with a gapless ``seq`` in commit order (the chain
head is locked until commit), so "entries past the cursor" misses nothing and counts nothing
twice. For those entries it reads the rows they name (the message's routing facts, the term,
the regiecheck) in one query per table, adds the counts and moves the cursor — one
transaction, with the cursor row locked, so two workers never count the same entry and a crash
leaves the cursor where the counts are. The intake pays nothing for it.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime

from hub.flows.calendar import local_date
from hub.flows.termijnen.model import calendar_of
from hub.intake.catalogue import SIGNAAL as SIGNAAL_TYPE
from hub.ports import HubUnitOfWork
from hub.stats.model import (
    BERICHT,
    EPISODE,
    MELDING,
    RECIDIVE,
    REGIECHECK_ANTWOORD,
    SIGNAAL,
    TERMIJN_GEHAALD,
    TERMIJN_GESTART,
    TERMIJN_VERLOPEN,
    UNKNOWN,
    CountKey,
    Cursor,
    Episode,
    FeedEntry,
    MessageFacts,
    projected,
    source_kind,
)
from tenants.directory import Directory, Snapshot
from tenants.model import Network, TenantKind

log = logging.getLogger("ketenhub.stats")

ACCEPTED = "message.accepted"
TERM_ACTIONS = {"termijn.gestart": TERMIJN_GESTART, "termijn.gehaald": TERMIJN_GEHAALD,
                "termijn.verlopen": TERMIJN_VERLOPEN}
ANSWERED = "regiecheck.antwoord"
ACTIONS = (ACCEPTED, *TERM_ACTIONS, ANSWERED)

#: Seed 002: recidive is a second registration of the same kind within three years.
RECIDIVE_YEARS = 3
#: Answer times above this many werkdagen are counted in this last bucket.
MAX_BUCKET = 30


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class StatsRollup:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], directory: Directory,
                 clock: Callable[[], datetime], batch: int = 2000) -> None:
        self._uow = uow
        self._directory = directory
        self._clock = clock
        self._batch = batch

    def run_once(self, *, wait: bool = True) -> int | None:
        """Count one batch of entries past the cursor. Returns how many entries were counted,
        or ``None`` when another rollup holds the cursor and ``wait`` is false."""
        view = self._directory.snapshot()
        with self._uow() as uow:
            cursor = uow.stats.claim_cursor(wait=wait)
            if cursor is None:
                return None
            now = self._clock()
            head = uow.audit.head()
            upto = head[0] if head else 0
            entries = uow.stats.feed(cursor.seq, upto, ACTIONS, self._batch)
            counts: Counter[CountKey] = Counter()
            self._count(uow, view, entries, counts)
            if counts:
                uow.stats.add_counts(counts)
            full = len(entries) >= self._batch
            uow.stats.save_cursor(Cursor(
                seq=entries[-1].seq if full else max(upto, cursor.seq),
                bijgewerkt_tot=entries[-1].at if full else now))
            uow.commit()
        if entries:
            log.info("stats rolled up", extra={"entries": len(entries), "cells": len(counts)})
        return len(entries)

    def run_once_if_free(self) -> None:
        """Before a query: one batch, unless a rollup is running (then the query says how
        fresh it is) or the batch is 0."""
        if self._batch > 0:
            self.run_once(wait=False)

    def run_until_idle(self, *, wait: bool = True) -> int:
        """Batches until the cursor reaches the end of the trail (the worker's periodic task)."""
        total = 0
        while True:
            done = self.run_once(wait=wait)
            if done is None:
                return total
            total += done
            if done < self._batch:
                return total

    # --- counting ------------------------------------------------------------------------

    def _count(self, uow: HubUnitOfWork, view: Snapshot, entries: Sequence[FeedEntry],
               counts: Counter[CountKey]) -> None:
        stats = uow.stats
        accepted = [e for e in entries if e.action == ACCEPTED and e.subject_id]
        terms = [e for e in entries if e.action in TERM_ACTIONS and e.subject_id]
        answers = [e for e in entries if e.action == ANSWERED and e.subject_id
                   and not e.facts.get("replaces_earlier")]
        messages = stats.messages([e.subject_id for e in accepted]) if accepted else {}
        situations: list[tuple[str, str, str, date, dict]] = []
        for entry in accepted:
            message = messages.get(entry.subject_id or "")
            if message is not None:
                situations += self._count_message(view, message, counts)
        if situations:
            self._count_recidive(uow, situations, counts)
        found = stats.termijnen([e.subject_id for e in terms]) if terms else {}
        for entry in terms:
            termijn = found.get(entry.subject_id or "")
            if termijn is not None and termijn.network_id:
                counts[CountKey(termijn.network_id, local_date(entry.at),
                                TERM_ACTIONS[entry.action], area=termijn.meldpunt or UNKNOWN,
                                partner=termijn.owed_by, flow=termijn.flow)] += 1
        checks = stats.regiechecks([e.subject_id for e in answers]) if answers else {}
        for entry in answers:
            check = checks.get(entry.subject_id or "")
            if check is None or not entry.tenant_id:
                continue
            network = _network(view, check.network_id)
            werkdagen = max(0, calendar_of(network).werkdagen_left(check.created_at, entry.at))
            counts[CountKey(check.network_id, local_date(entry.at), REGIECHECK_ANTWOORD,
                            partner=entry.tenant_id, bucket=min(werkdagen, MAX_BUCKET))] += 1

    def _count_message(self, view: Snapshot, message: MessageFacts,
                       counts: Counter[CountKey]) -> list[tuple[str, str, str, date, dict]]:
        """Count one message in each of its networks; the recidive situations it names."""
        routing, day = message.routing, local_date(message.received_at)
        sender = view.tenant(message.sender)
        kind = source_kind(sender.kind if sender else None, routing.get("melder_type"))
        pc4 = str(routing.get("pc4") or "")
        situations = []
        for network_id in message.networks:
            network = _network(view, network_id)
            area = _area(network, pc4)
            dims = {"area": area, "pc4": pc4, "source_kind": kind, "partner": message.sender}
            counts[CountKey(network_id, day, BERICHT, message_type=message.type, area=area,
                            source_kind=kind)] += 1
            if message.type != SIGNAAL_TYPE:
                continue
            categorieen = [str(c) for c in routing.get("categorieen") or ()]
            metrics = [SIGNAAL, MELDING] if _is_melding(view, message) else [SIGNAAL]
            for metric in metrics:
                for key in _projections(network_id, day, metric, dims, categorieen):
                    counts[key] += 1
            ref = routing.get("address_ref")
            if ref:
                situations += [(network_id, str(ref), c, day, dims) for c in categorieen]
        return situations

    def _count_recidive(self, uow: HubUnitOfWork,
                        situations: list[tuple[str, str, str, date, dict]],
                        counts: Counter[CountKey]) -> None:
        """Seed 002: a situation (address pseudonym × categorie) registered on a later day within
        three years of its first registration counts once as recidive, on the day and under
        the dimensions of that first registration."""
        by_network: dict[str, list[tuple[str, str, str, date, dict]]] = {}
        for s in situations:
            by_network.setdefault(s[0], []).append(s)
        latest = max(s[3] for s in situations)
        for network_id, items in by_network.items():
            known = {(e.address_ref, e.categorie): e for e in uow.stats.episodes(
                network_id, sorted({s[1] for s in items}))}
            changed: dict[tuple[str, str], Episode] = {}
            for _, ref, categorie, day, dims in items:
                episode = known.get((ref, categorie))
                if episode is None or day >= years_after(episode.started_on, RECIDIVE_YEARS):
                    episode = Episode(network_id, ref, categorie, started_on=day, last_seen=day,
                                      repeated=False, **dims)
                    for key in _episode_keys(EPISODE, episode):
                        counts[key] += 1
                elif day > episode.started_on and not episode.repeated:
                    episode = replace(episode, repeated=True, last_seen=max(day, episode.last_seen))
                    for key in _episode_keys(RECIDIVE, episode):
                        counts[key] += 1
                else:
                    episode = replace(episode, last_seen=max(day, episode.last_seen))
                known[(ref, categorie)] = changed[(ref, categorie)] = episode
            uow.stats.save_episodes(list(changed.values()))
        uow.stats.forget_episodes(years_after(latest, -RECIDIVE_YEARS))


def _projections(network_id: str, day: date, metric: str, dims: dict,
                 categorieen: Sequence[str]) -> list[CountKey]:
    """The cells one signaal (or situation) adds to: one per projection, by source kind."""
    kind = dims["source_kind"]
    keys = [CountKey(network_id, day, projected(metric, d), source_kind=kind, **{d: dims[d]})
            for d in ("area", "pc4", "partner")]
    return keys + [CountKey(network_id, day, projected(metric, "categorie"), source_kind=kind,
                            categorie=c) for c in categorieen]


def _episode_keys(metric: str, episode: Episode) -> list[CountKey]:
    return _projections(episode.network_id, episode.started_on, metric, {
        "area": episode.area, "pc4": episode.pc4, "partner": episode.partner,
        "source_kind": episode.source_kind}, [episode.categorie])


def _network(view: Snapshot, network_id: str) -> Network | None:
    return next((n for n in view.networks if n.id == network_id), None)


def _area(network: Network | None, pc4: str) -> str:
    """The meldpunt whose area in the network holds the PC4 (the stadsdeel), or ``onbekend``."""
    if network is None or not pc4.isdigit():
        return UNKNOWN
    return next((a.tenant_id for a in network.areas if a.contains(int(pc4))), UNKNOWN)


def _is_melding(view: Snapshot, message: MessageFacts) -> bool:
    """A signaal registered at a meldpunt: sent by one, or permitted to one."""
    def is_meldpunt(tenant_id: str) -> bool:
        tenant = view.tenant(tenant_id)
        return tenant is not None and tenant.kind is TenantKind.MELDPUNT

    return is_meldpunt(message.sender) or any(is_meldpunt(r) for r in message.recipients)
