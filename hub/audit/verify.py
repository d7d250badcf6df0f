"""Verification of the chain against its head and its anchors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hub.audit.anchors import Anchor, AnchorSigner
from hub.audit.chain import GENESIS, ChainedEntry, recompute


@dataclass(frozen=True)
class Verification:
    """``first_bad_seq`` is the first position where the log is not what was written: a
    changed entry, a missing one (deleted, or cut off at the tail), or one out of place."""

    ok: bool
    checked: int
    first_bad_seq: int | None


def verify_chain(entries: Iterable[ChainedEntry], head: tuple[int, str] | None,
                 anchors: list[Anchor | None], signer: AnchorSigner) -> Verification:
    """Walk ``entries`` (ordered by seq, up to the head) once; memory stays flat. A missing
    head (``None``) with entries present is itself a finding: the tail can no longer be
    vouched for."""
    head_seq, head_hash = head if head is not None else (0, GENESIS)
    anchored: dict[int, str] = {}
    first_bad: int | None = None
    for anchor in anchors:
        if anchor is None or not signer.valid(anchor) or anchored.get(
                anchor.seq, anchor.hash) != anchor.hash:
            # A forged or damaged anchor is itself tampering with the evidence.
            bad = anchor.seq if anchor is not None else 1
            first_bad = bad if first_bad is None else min(first_bad, bad)
            continue
        anchored[anchor.seq] = anchor.hash

    expected, prev, checked = 1, GENESIS, 0
    for entry in entries:
        if entry.seq != expected:
            return _bad(expected, checked, first_bad)
        if (entry.prev_hash != prev or recompute(entry) != entry.hash
                or anchored.get(entry.seq, entry.hash) != entry.hash):
            return _bad(entry.seq, checked, first_bad)
        prev, expected, checked = entry.hash, expected + 1, checked + 1
    last = expected - 1
    if head is None and last > 0:
        return _bad(last + 1, checked, first_bad)
    if last < head_seq or (last > 0 and prev != head_hash):
        return _bad(last + 1 if last < head_seq else last, checked, first_bad)
    beyond = [seq for seq in anchored if seq > last]
    if beyond:
        return _bad(last + 1, checked, first_bad)
    if first_bad is not None:
        return Verification(ok=False, checked=checked, first_bad_seq=first_bad)
    return Verification(ok=True, checked=checked, first_bad_seq=None)


def _bad(seq: int, checked: int, anchor_bad: int | None) -> Verification:
    return Verification(ok=False, checked=checked,
                        first_bad_seq=seq if anchor_bad is None else min(seq, anchor_bad))
