"""Terms (termijnen) as values: one per flow, subject and owing party, in werkdagen."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from hub.flows.calendar import Werkdagen
from tenants.model import Network

#: A term expires the moment its last werkdag ends (23:59:59 + 1 s = local midnight).
GRACE = timedelta(seconds=1)


class TermijnStatus(StrEnum):
    LOPEND = "lopend"
    GEHAALD = "gehaald"
    VERLOPEN = "verlopen"


def calendar_of(network: Network | None) -> Werkdagen:
    """The werkdagen calendar a network works by (its closing days, its Bevrijdingsdag)."""
    if network is None:
        return Werkdagen()
    return Werkdagen(closing_days=frozenset(network.closing_days),
                     bevrijdingsdag=network.bevrijdingsdag)  # type: ignore[arg-type]


def short_type(message_type: str) -> str:
    """``nl.ketenhub.signaal.reactie.v1`` → ``signaal.reactie`` (the form ``gehaald_door`` uses)."""
    name = message_type.removeprefix("nl.ketenhub.")
    head, _, version = name.rpartition(".")
    return head if head and version.startswith("v") and version[1:].isdigit() else name


@dataclass(frozen=True)
class Termijn:
    """A party owes another an answer on ``subject_id`` within ``werkdagen``."""

    id: str
    flow: str
    subject_id: str
    owed_by: str
    owed_to: str
    werkdagen: int
    gehaald_door: tuple[str, ...]
    started_at: datetime
    deadline: datetime
    status: TermijnStatus = TermijnStatus.LOPEND
    network_id: str | None = None
    delivery_id: str | None = None
    meldpunt: str | None = None
    remind_at: datetime | None = None
    due_at: datetime | None = None
    reminded_at: datetime | None = None
    settled_at: datetime | None = None
    met_by: str | None = None

    @classmethod
    def start(cls, *, flow: str, subject_id: str, owed_by: str, owed_to: str, werkdagen: int,
              gehaald_door: tuple[str, ...], calendar: Werkdagen, started_at: datetime,
              network_id: str | None = None, delivery_id: str | None = None,
              meldpunt: str | None = None, termijn_id: str | None = None) -> Termijn:
        """A running term: its deadline on the network's calendar, its reminder on the morning
        of the last werkdag, and the watcher's first look at the earlier of the two."""
        deadline = calendar.deadline(started_at, werkdagen)
        remind_at = calendar.remind_at(deadline)
        due = remind_at if remind_at > started_at else deadline + GRACE
        return cls(id=termijn_id or str(uuid.uuid4()), flow=flow, subject_id=subject_id,
                   owed_by=owed_by, owed_to=owed_to, werkdagen=werkdagen,
                   gehaald_door=tuple(gehaald_door), started_at=started_at, deadline=deadline,
                   network_id=network_id, delivery_id=delivery_id,
                   meldpunt=meldpunt if meldpunt not in (owed_by,) else None,
                   remind_at=remind_at, due_at=due)

    @property
    def expires_at(self) -> datetime:
        return self.deadline + GRACE

    def is_met_by(self, token: str) -> bool:
        """Whether an answer ``"<type>:<status>"`` (or ``"<type>"``) meets this term."""
        return token in self.gehaald_door or token.partition(":")[0] in self.gehaald_door

    def needs_reminder(self, now: datetime) -> bool:
        return (self.status is TermijnStatus.LOPEND and self.reminded_at is None
                and self.remind_at is not None and self.remind_at <= now < self.expires_at)

    def is_expired(self, now: datetime) -> bool:
        return self.status is TermijnStatus.LOPEND and now >= self.expires_at

    def unwatched(self) -> Termijn:
        """The term of a flow with its own schedule: the watcher never claims it."""
        return replace(self, remind_at=None, due_at=None)

    def reminded(self, at: datetime) -> Termijn:
        return replace(self, reminded_at=at, due_at=self.expires_at)

    def rescheduled(self) -> Termijn:
        """Next look at expiry (or never, once settled)."""
        return replace(self, due_at=self.expires_at if self.status is TermijnStatus.LOPEND else None)

    def expired(self, at: datetime) -> Termijn:
        return replace(self, status=TermijnStatus.VERLOPEN, settled_at=at, due_at=None)

    def met(self, at: datetime, by: str) -> Termijn:
        return replace(self, status=TermijnStatus.GEHAALD, settled_at=at, due_at=None, met_by=by)

    def notify_on_expiry(self) -> list[str]:
        """Who hears of an expiry: the party it was owed to and the area's meldpunt, once each."""
        return list(dict.fromkeys(p for p in (self.owed_to, self.meldpunt)
                                  if p and p != self.owed_by))

    def view(self) -> dict:
        """Ids, the flow and times only: no personal data."""
        return {"termijn": {"flow": self.flow, "werkdagen": self.werkdagen},
                "deadline": self.deadline, "termijn_status": self.status.value}
