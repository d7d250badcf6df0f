"""Storage the statistics need: the rollup's cursor, what it reads past it, the aggregate store
and the recidive situations (address pseudonyms, kept three years at most)."""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from datetime import date

from hub.stats.model import (
    CountKey,
    Cursor,
    Episode,
    FeedEntry,
    MessageFacts,
    RegiecheckFacts,
    TermijnFacts,
)


class StatsRepository(abc.ABC):
    # --- the rollup's cursor -------------------------------------------------------------

    @abc.abstractmethod
    def cursor(self) -> Cursor:
        """Where the rollup stands (no lock): for the freshness a query reports."""

    @abc.abstractmethod
    def claim_cursor(self, *, wait: bool) -> Cursor | None:
        """Lock the cursor for this transaction; ``None`` when another rollup holds it and
        ``wait`` is false. Two workers never count the same entries."""

    @abc.abstractmethod
    def save_cursor(self, cursor: Cursor) -> None: ...

    # --- what the rollup reads -----------------------------------------------------------

    @abc.abstractmethod
    def feed(self, after: int, upto: int, actions: Sequence[str], limit: int,
             ) -> list[FeedEntry]:
        """Audit entries with seq in (after, upto] of these activities, in chain order."""

    @abc.abstractmethod
    def messages(self, ids: Sequence[str]) -> dict[str, MessageFacts]: ...

    @abc.abstractmethod
    def termijnen(self, ids: Sequence[str]) -> dict[str, TermijnFacts]: ...

    @abc.abstractmethod
    def regiechecks(self, ids: Sequence[str]) -> dict[str, RegiecheckFacts]: ...

    # --- recidive situations -------------------------------------------------------------

    @abc.abstractmethod
    def episodes(self, network_id: str, address_refs: Sequence[str]) -> list[Episode]: ...

    @abc.abstractmethod
    def save_episodes(self, episodes: Sequence[Episode]) -> None:
        """Insert or replace, keyed by (network, address_ref, categorie)."""

    @abc.abstractmethod
    def forget_episodes(self, started_before: date) -> int:
        """Drop situations that started before ``started_before``: three years on, they can no
        longer recur, and their address pseudonyms are kept no longer than needed."""

    # --- the aggregate store -------------------------------------------------------------

    @abc.abstractmethod
    def add_counts(self, counts: Mapping[CountKey, int]) -> None:
        """Add to the stored counts (one statement)."""

    @abc.abstractmethod
    def sums(self, network_id: str, metrics: Sequence[str], first: date, last: date,
             dims: Sequence[str]) -> list[tuple[tuple, str, int]]:
        """Summed counts of ``metrics`` with ``day`` in [first, last], grouped by ``dims``
        (names of ``CountKey`` fields, or ``month``): ``(dim values, metric, n)``."""
