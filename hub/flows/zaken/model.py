"""Zaken as values: a zaak, the items that joined it, and the timeline read from them."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

#: Seed 000 step 6: a zaak closed less than 3 months ago is reopened by a new message with its
#: kenmerk; after that, a new message starts a new zaak.
REOPEN_WITHIN_MONTHS = 3


class ZaakStatus(StrEnum):
    OPEN = "open"
    GESLOTEN = "gesloten"


class Via(StrEnum):
    """How an item joined its zaak."""

    BERICHT = "bericht"  # a message carrying the kenmerk (or answering one that did)
    KOPPELING = "koppeling"  # a received signaal the meldpunt linked to the zaak


def months_before(at: datetime, months: int) -> datetime:
    """The same moment ``months`` calendar months earlier (the day clipped to the month's end)."""
    month_index = at.year * 12 + at.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(at.day, calendar.monthrange(year, month)[1])
    return at.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class Zaak:
    id: str
    meldpunt: str
    kenmerk: str
    status: ZaakStatus
    opened_at: datetime
    closed_at: datetime | None = None
    reden_afsluiting: str | None = None
    #: Pseudonymised key of the zaak's address (samenloop), never the address itself.
    address_key: str | None = None
    #: When retention crypto-shredded its messages (5 years after afsluiting): vernietigd.
    shredded_at: datetime | None = None

    def takes_new_messages(self, at: datetime) -> bool:
        """Open, or closed less than ``REOPEN_WITHIN_MONTHS`` months before ``at``."""
        if self.status is ZaakStatus.OPEN:
            return True
        assert self.closed_at is not None
        return self.closed_at > months_before(at, REOPEN_WITHIN_MONTHS)


@dataclass(frozen=True)
class ZaakItem:
    zaak_id: str
    message_id: str
    added_at: datetime
    via: Via
    #: What the timeline may say of the item without opening the payload: type-specific,
    #: no personal data (categorieen, aan, geaccepteerd, reden of an afsluiting).
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Ontvanger:
    """One recipient of a timeline item: the decision, and (if permitted) how far it got."""

    tenant: str
    decision: str
    basis: str | None
    reason: str | None
    status: str | None = None
    delivered_at: datetime | None = None
    acknowledged_at: datetime | None = None
    deadline: datetime | None = None
    answered_at: datetime | None = None
    #: The recipient's term on the item (``{"flow", "werkdagen"}``) and how it stands
    #: (``lopend|gehaald|verlopen``); None when the item carries no term for it.
    termijn: dict | None = None
    termijn_status: str | None = None


@dataclass(frozen=True)
class TimelineItem:
    #: The message, or for a regiecheck the question's id (``regiecheck_id`` in ``facts``).
    message_id: str | None
    type: str
    sender: str
    at: datetime
    via: Via
    facts: dict
    ontvangers: tuple[Ontvanger, ...]
    #: Retention destroyed the message's data key; the item (who, when) stays.
    vernietigd: bool = False


@dataclass(frozen=True)
class Advies:
    """A partner the network's toewijzingsadvies suggests for one of the zaak's categories."""

    categorie: str
    partners: tuple[str, ...]


@dataclass(frozen=True)
class ZaakView:
    zaak: Zaak
    items: tuple[TimelineItem, ...]
    categorieen: tuple[str, ...] = ()
    advies: tuple[Advies, ...] = ()
