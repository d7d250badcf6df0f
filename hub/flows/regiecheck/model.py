"""The regiecheck as the domain sees it: a meldpunt's question to the partners of its network
whether they know a person or household, and per partner the dat-informatie answer.

No Flask, SQLAlchemy or kombu here."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

from hub.flows.calendar import Werkdagen


class CheckStatus(StrEnum):
    OPEN = "open"
    COMPLEET = "compleet"
    VERLOPEN = "verlopen"


class PartnerStatus(StrEnum):
    GEVRAAGD = "gevraagd"
    BEKEND = "bekend"
    ONBEKEND = "onbekend"
    VERLOPEN = "verlopen"


ANSWERED = (PartnerStatus.BEKEND, PartnerStatus.ONBEKEND)


@dataclass(frozen=True)
class Contact:
    """Whom to contact at a partner that knows the person: dat-informatie only."""

    naam: str
    functie: str | None = None
    telefoon: str | None = None
    email: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in (("naam", self.naam), ("functie", self.functie),
                                  ("telefoon", self.telefoon), ("email", self.email))
                if v is not None}

    @classmethod
    def from_dict(cls, data: dict) -> Contact:
        return cls(naam=data["naam"], functie=data.get("functie"),
                   telefoon=data.get("telefoon"), email=data.get("email"))


@dataclass(frozen=True)
class AskedPartner:
    """One asked partner's row of a check: its own question, deadline and answer."""

    tenant_id: str
    position: int
    status: PartnerStatus
    message_id: str
    deadline: datetime
    remind_at: datetime
    reminded_at: datetime | None = None
    answered_at: datetime | None = None
    late: bool = False
    #: Sealed contact (``bekend`` answers only) with the asker's data key version.
    contact: bytes | None = None
    contact_key_version: int | None = None

    @property
    def answered(self) -> bool:
        return self.status in ANSWERED


@dataclass(frozen=True)
class Regiecheck:
    id: str
    asker: str
    network_id: str
    status: CheckStatus
    soort: str
    overlastsoorten: tuple[str, ...]
    deadline: datetime
    created_at: datetime
    key_version: int
    #: The persons and the melder reason, sealed with the asker's data key.
    payload: bytes
    kenmerk_afzender: str | None = None
    zaak_kenmerk: str | None = None
    expired_at: datetime | None = None
    completed_at: datetime | None = None
    partners: tuple[AskedPartner, ...] = ()

    def partner(self, tenant_id: str) -> AskedPartner | None:
        return next((p for p in self.partners if p.tenant_id == tenant_id), None)

    def settled(self, now: datetime) -> Regiecheck:
        """The check's status from its partners: ``compleet`` once every partner answered
        (late answers count), else ``verlopen`` once expired, else ``open``."""
        if all(p.answered for p in self.partners):
            return replace(self, status=CheckStatus.COMPLEET,
                           completed_at=self.completed_at or now)
        if self.expired_at is not None:
            return replace(self, status=CheckStatus.VERLOPEN)
        return replace(self, status=CheckStatus.OPEN)


@dataclass(frozen=True)
class Answer:
    """A partner's answer as the flow records it (from the endpoint or a CloudEvent)."""

    regiecheck_id: str
    partner: str
    bekend: bool
    contact: Contact | None
    message_id: str


@dataclass(frozen=True)
class Due:
    """A partner row the scheduler claimed for a reminder."""

    regiecheck_id: str
    asker: str
    partner: str
    deadline: datetime


@dataclass(frozen=True)
class Expired:
    """A check the scheduler claimed at its deadline, with the partners that never answered."""

    regiecheck_id: str
    asker: str
    deadline: datetime
    silent: tuple[str, ...]


def termijn(calendar: Werkdagen, asked_at: datetime, werkdagen: int) -> tuple[datetime, datetime]:
    """(deadline, reminder time) in UTC of a question asked at ``asked_at``: the end of the
    ``werkdagen``-th werkdag after the day it was asked, and the morning of that last werkdag."""
    deadline = calendar.deadline(asked_at, werkdagen)
    return deadline.astimezone(UTC), calendar.remind_at(deadline).astimezone(UTC)
