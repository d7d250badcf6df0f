"""The hash chain: the canonical form of an entry and the hash linking it to the previous one.

Each entry's hash is SHA-256 over the previous entry's hash and the canonical JSON of the entry
(every stored field, its position ``seq`` included), so changing, removing or reordering any
entry breaks every hash after it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

#: The ``prev_hash`` of the first entry.
GENESIS = "0" * 64
#: Version of the canonical form, hashed along so a future form cannot be confused with it.
CANONICAL_VERSION = 1


@dataclass(frozen=True)
class AuditRecord:
    """One processing activity as a caller records it (not yet placed in the chain).

    Logboek Dataverwerkingen fields: ``trace_id`` (the operation it belongs to), ``activity``
    (verwerkingsactiviteit), ``purpose`` (doel), ``basis`` (rechtsgrond), ``subject_ref``
    (pseudonym of the betrokkene) and ``at``. ``facts`` holds ids, codes and hashes only."""

    activity: str
    at: datetime
    tenant_id: str | None = None
    actor: str | None = None
    object: str | None = None
    basis: str | None = None
    purpose: str | None = None
    subject_ref: str | None = None
    trace_id: str | None = None
    facts: dict = field(default_factory=dict)

    def facts_text(self) -> str:
        return json.dumps(self.facts, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


@dataclass(frozen=True)
class ChainedEntry:
    """An entry as stored: its place in the chain and the hashes that tie it there."""

    seq: int
    at: datetime
    activity: str
    tenant_id: str | None
    actor: str | None
    object: str | None
    basis: str | None
    purpose: str | None
    subject_ref: str | None
    trace_id: str | None
    facts: str
    prev_hash: str
    hash: str


def _timestamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(seq: int, at: datetime, activity: str, tenant_id: str | None, actor: str | None,
              object_id: str | None, basis: str | None, purpose: str | None,
              subject_ref: str | None, trace_id: str | None, facts: str) -> bytes:
    """The bytes an entry's hash covers (besides the previous hash)."""
    return json.dumps({
        "v": CANONICAL_VERSION, "seq": seq, "at": _timestamp(at), "activity": activity,
        "tenant_id": tenant_id, "actor": actor, "object": object_id, "basis": basis,
        "purpose": purpose, "subject_ref": subject_ref, "trace_id": trace_id, "facts": facts,
    }, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def link(prev_hash: str, body: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + body).hexdigest()


def chain(records: list[AuditRecord], head_seq: int, head_hash: str) -> list[ChainedEntry]:
    """Place records after the chain head (seq, hash), in order."""
    out: list[ChainedEntry] = []
    seq, prev = head_seq, head_hash
    for r in records:
        seq += 1
        facts = r.facts_text()
        digest = link(prev, canonical(seq, r.at, r.activity, r.tenant_id, r.actor, r.object,
                                      r.basis, r.purpose, r.subject_ref, r.trace_id, facts))
        out.append(ChainedEntry(seq=seq, at=r.at, activity=r.activity, tenant_id=r.tenant_id,
                                actor=r.actor, object=r.object, basis=r.basis, purpose=r.purpose,
                                subject_ref=r.subject_ref, trace_id=r.trace_id, facts=facts,
                                prev_hash=prev, hash=digest))
        prev = digest
    return out


def recompute(entry: ChainedEntry) -> str:
    """The hash an entry ought to have, from its own fields and its ``prev_hash``."""
    return link(entry.prev_hash, canonical(
        entry.seq, entry.at, entry.activity, entry.tenant_id, entry.actor, entry.object,
        entry.basis, entry.purpose, entry.subject_ref, entry.trace_id, entry.facts))
