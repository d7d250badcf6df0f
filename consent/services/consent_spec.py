"""What a privacy officer submits to register a consent, and the checks on its parts that need
no registry: categories, evidence, timestamps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime

from consent.errors import InvalidConsent
from consent.model import DataCategory, Evidence, is_sha256_hex, local_day


@dataclass(frozen=True)
class ConsentSpec:
    """What a privacy officer submits to register a consent (API.md ``POST /consents``).

    ``client`` is a persoon ``{achternaam, voorvoegsel?, voornamen?, voorletters?,
    geboortedatum}`` or ``{client_ref}``; ``client_ref`` may also be given on its own.
    ``recipients`` are permitted, ``deny`` denied; each entry is a tenant id or a tenant kind as a
    string, or explicitly ``{"tenant": id}`` / ``{"kind": kind}`` (needed when a tenant id
    equals a kind's name). ``controller`` may only be set by the hub admin."""

    recipients: Sequence[str | Mapping] = ()
    categories: Sequence[str] = ()
    purpose: str = ""
    necessity: str = ""
    valid_until: datetime | None = None
    valid_from: datetime | None = None
    evidence: Evidence | Mapping | None = None
    client: Mapping | None = None
    client_ref: str | None = None
    deny: Sequence[str | Mapping] = ()
    network_id: str | None = None
    controller: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping) -> ConsentSpec:
        known = {f.name for f in fields(cls)}
        unknown = [k for k in data if k not in known]
        if unknown:
            raise InvalidConsent([{"field": "", "rule": "validation.unknown_field"}])
        return cls(**{k: v for k, v in data.items() if v is not None})


def is_aware(at: object) -> bool:
    return isinstance(at, datetime) and at.tzinfo is not None and at.utcoffset() is not None


def parse_categories(values: Iterable[str], details: list[dict]) -> frozenset[DataCategory]:
    if isinstance(values, (str, bytes)) or not values:
        details.append({"field": "/categories", "rule": "validation.required"})
        return frozenset()
    out = set()
    for i, value in enumerate(values):
        if value in set(DataCategory):
            out.add(DataCategory(value))
        else:
            details.append({"field": f"/categories/{i}", "rule": "validation.enum"})
    return frozenset(out)


def parse_evidence(value: Evidence | Mapping | None, now: datetime, valid_from: datetime | None,
              details: list[dict]) -> Evidence | None:
    if value is None:
        details.append({"field": "/evidence", "rule": "validation.required"})
        return None
    if isinstance(value, Mapping):
        sha, signed = value.get("sha256"), value.get("signed_on")
    else:
        sha, signed = value.sha256, value.signed_on
    sha = sha.lower() if isinstance(sha, str) else sha
    ok = True
    if not is_sha256_hex(sha):
        details.append({"field": "/evidence/sha256", "rule": "consent.evidence_sha256"})
        ok = False
    if isinstance(signed, str):
        try:
            signed = date.fromisoformat(signed)
        except ValueError:
            signed = None
    if isinstance(signed, datetime) or not isinstance(signed, date):
        details.append({"field": "/evidence/signed_on", "rule": "validation.date"})
        return None
    if signed > local_day(now):
        details.append({"field": "/evidence/signed_on", "rule": "consent.signed_in_future"})
        ok = False
    elif valid_from is not None and local_day(valid_from) < signed:
        # Werkafspraak 10: consent is asked in writing *beforehand*; it cannot start before it
        # was signed.
        details.append({"field": "/valid_from", "rule": "consent.valid_from_before_signing"})
        ok = False
    return Evidence(sha256=sha, signed_on=signed) if ok else None
