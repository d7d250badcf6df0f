"""Values of the statistics: the keys of the aggregate store, what the rollup reads, and the
published table. No personal data: ids of tenants and networks, codes, PC4, days, counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from tenants.model import TenantKind

# --- metrics kept in the aggregate store -----------------------------------------------------

#: Every accepted message, per type (the hub's volume).
BERICHT = "bericht"
#: A signaal; ``melding``: a signaal that reached a meldpunt (registered there).
SIGNAAL = "signaal"
MELDING = "melding"
#: Recidive (seed 002): a situation (address × categorie) registered for the first time in
#: three years, and such a situation registered again within three years of that.
EPISODE = "episode"
RECIDIVE = "recidive"
#: Terms opened, met within their werkdagen, passed unmet.
TERMIJN_GESTART = "termijn_gestart"
TERMIJN_GEHAALD = "termijn_gehaald"
TERMIJN_VERLOPEN = "termijn_verlopen"
#: A partner's first answer to a regiecheck, bucketed by werkdagen after the day it was asked.
REGIECHECK_ANTWOORD = "regiecheck_antwoord"

#: A signaal, melding or situation is counted once per projection: the one dimension a table
#: groups by, beside the source kind — a cross product of all dimensions would hold about a
#: row per message. Per ``categorie`` once for each categorie a signaal names (it may name
#: several); month and source kind are read from the ``area`` projection.
PROJECTIONS = ("area", "pc4", "partner", "categorie")


def projected(metric: str, dimension: str) -> str:
    """The stored metric of ``metric`` counted by ``dimension`` (``signaal:area``)."""
    return f"{metric}:{dimension}"


#: The dimensions of a count besides network, day and metric.
DIMENSIONS = ("area", "pc4", "categorie", "source_kind", "message_type", "partner", "flow",
              "bucket")

#: Area key of a message whose PC4 lies in no meldpunt's area.
UNKNOWN = "onbekend"

# --- source kinds (seed 001: corporaties, politie, zorg, burgers, gemeente) ------------------

CORPORATIE, POLITIE, ZORG, BURGER, GEMEENTE, MELDPUNT, OVERIG = (
    "corporatie", "politie", "zorg", "burger", "gemeente", "meldpunt", "overig")

SOURCE_KIND_LABELS = {CORPORATIE: "Corporatie", POLITIE: "Politie", ZORG: "Zorg en hulpverlening",
                      BURGER: "Burger", GEMEENTE: "Gemeente", MELDPUNT: "Meldpunt",
                      OVERIG: "Overig", UNKNOWN: "Onbekend"}

_BY_TENANT_KIND = {
    TenantKind.WONINGCORPORATIE: CORPORATIE, TenantKind.POLITIE: POLITIE,
    TenantKind.ZORGAANBIEDER: ZORG, TenantKind.GGD: ZORG, TenantKind.HULPVERLENING: ZORG,
    TenantKind.JEUGDBESCHERMING: ZORG, TenantKind.GEMEENTE: GEMEENTE,
}
_BY_MELDER_TYPE = {
    "bewoner": BURGER, "omwonende": BURGER, "anoniem": BURGER, "woningcorporatie": CORPORATIE,
    "zorgaanbieder": ZORG, "ggd": ZORG, "politie": POLITIE, "gemeente": GEMEENTE,
    "overig": OVERIG,
}


def source_kind(sender_kind: TenantKind | None, melder_type: str | None) -> str:
    """The kind of source of a signaal: the sending tenant's kind; for a meldpunt passing on a
    melding, whoever reported it to the meldpunt (its ``melder_type``)."""
    if sender_kind is TenantKind.MELDPUNT:
        return _BY_MELDER_TYPE.get(melder_type or "", MELDPUNT)
    if sender_kind is None:
        return UNKNOWN
    return _BY_TENANT_KIND.get(sender_kind, OVERIG)


# --- what the rollup reads -------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    """An audit entry the rollup counts (ids and codes only)."""

    seq: int
    action: str
    tenant_id: str | None
    subject_id: str | None
    at: datetime
    facts: dict


@dataclass(frozen=True)
class MessageFacts:
    """A message's routing facts (no payload), the networks and recipients it was permitted."""

    id: str
    sender: str
    type: str
    received_at: datetime
    routing: dict
    networks: tuple[str, ...]
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class TermijnFacts:
    id: str
    flow: str
    network_id: str | None
    owed_by: str
    meldpunt: str | None


@dataclass(frozen=True)
class RegiecheckFacts:
    id: str
    network_id: str
    created_at: datetime


@dataclass(frozen=True)
class CountKey:
    """One cell of the aggregate store."""

    network_id: str
    day: date
    metric: str
    area: str = ""
    pc4: str = ""
    categorie: str = ""
    source_kind: str = ""
    message_type: str = ""
    partner: str = ""
    flow: str = ""
    bucket: int = 0

    @property
    def month(self) -> str:
        return self.day.strftime("%Y-%m")


@dataclass(frozen=True)
class Episode:
    """A situation for recidive: an address pseudonym (never the address) and a categorie in
    one network, since ``started_on``; the dimensions its counts were kept under."""

    network_id: str
    address_ref: str
    categorie: str
    started_on: date
    last_seen: date
    repeated: bool
    area: str = ""
    pc4: str = ""
    source_kind: str = ""
    partner: str = ""


@dataclass(frozen=True)
class Cursor:
    """How far the rollup has read the audit trail, and up to when its counts are complete."""

    seq: int
    bijgewerkt_tot: datetime | None


# --- the published table ---------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: int | float | None
    suppressed: bool = False


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class StatTable:
    """A table as the API and the web publish it: suppressed cells are ``None``."""

    measure: str
    group_by: str
    network: str
    first: date
    last: date
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    totaal: Row | None
    aandeel: Row | None
    bijgewerkt_tot: datetime | None
    toelichting: str = ""
    extra: dict = field(default_factory=dict)
