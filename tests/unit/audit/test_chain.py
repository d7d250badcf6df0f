"""The hash chain and its verification, without a database: every kind of tampering is found."""

from __future__ import annotations

import base64
import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from hub.audit.anchors import AnchorSigner
from hub.audit.chain import GENESIS, AuditRecord, chain
from hub.audit.verify import verify_chain
from hub.crypto.keyring import MasterKey

T0 = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
FIELDS = ("at", "activity", "tenant_id", "actor", "object", "basis", "purpose", "subject_ref",
          "trace_id", "facts", "prev_hash", "hash")


def _records(n: int) -> list[AuditRecord]:
    return [AuditRecord(activity="message.accepted", at=T0 + timedelta(seconds=i),
                        tenant_id="ymere", actor="k1", object=f"msg-{i}", basis="convenant",
                        purpose="signalering", subject_ref="ab" * 32, trace_id=f"t{i}",
                        facts={"type": "nl.ketenhub.signaal", "n": i}) for i in range(n)]


@pytest.fixture
def signer() -> AnchorSigner:
    return AnchorSigner(MasterKey(os.urandom(32)))


def _verify(entries, signer, anchors=(), head="auto"):
    if head == "auto":
        head = (entries[-1].seq, entries[-1].hash) if entries else (0, GENESIS)
    return verify_chain(iter(entries), head, list(anchors), signer)


def _flip(value):
    if isinstance(value, datetime):
        return value + timedelta(microseconds=1)
    text = value or ""
    if not text:
        return "x"
    flipped = chr(ord(text[0]) ^ 0x01)
    return flipped + text[1:]


def test_an_untouched_chain_verifies_and_counts_every_entry(signer):
    entries = chain(_records(5), 0, GENESIS)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == GENESIS and entries[1].prev_hash == entries[0].hash
    result = _verify(entries, signer, [signer.sign(5, entries[-1].hash, T0)])
    assert (result.ok, result.checked, result.first_bad_seq) == (True, 5, None)


def test_a_chain_continues_from_its_head_as_if_written_at_once(signer):
    records = _records(6)
    first = chain(records[:3], 0, GENESIS)
    rest = chain(records[3:], first[-1].seq, first[-1].hash)
    assert first + rest == chain(records, 0, GENESIS)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("position", [0, 3, 6])
def test_flipping_one_byte_of_any_field_of_any_entry_is_found(signer, field, position):
    entries = chain(_records(7), 0, GENESIS)
    head = (entries[-1].seq, entries[-1].hash)
    entries[position] = replace(entries[position], **{field: _flip(getattr(entries[position],
                                                                           field))})
    result = _verify(entries, signer, head=head)
    assert not result.ok and result.first_bad_seq == position + 1


@pytest.mark.parametrize("position", [0, 2, 5])
def test_deleting_an_entry_is_found_at_its_place(signer, position):
    entries = chain(_records(6), 0, GENESIS)
    head = (entries[-1].seq, entries[-1].hash)
    del entries[position]
    result = _verify(entries, signer, head=head)
    assert not result.ok and result.first_bad_seq == position + 1


def test_swapping_two_entries_is_found(signer):
    entries = chain(_records(6), 0, GENESIS)
    head = (entries[-1].seq, entries[-1].hash)
    a, b = entries[1], entries[4]
    # Swapped rows keep the positions, but carry each other's content.
    entries[1] = replace(b, seq=a.seq)
    entries[4] = replace(a, seq=b.seq)
    result = _verify(entries, signer, head=head)
    assert not result.ok and result.first_bad_seq == 2


def test_renumbering_after_a_deletion_does_not_hide_it(signer):
    entries = chain(_records(5), 0, GENESIS)
    head = (entries[-1].seq, entries[-1].hash)
    renumbered = [replace(e, seq=i + 1) for i, e in enumerate(entries[:2] + entries[3:])]
    result = _verify(renumbered, signer, head=head)
    assert not result.ok and result.first_bad_seq == 3


def test_cutting_the_tail_is_found_by_the_head(signer):
    entries = chain(_records(6), 0, GENESIS)
    head = (entries[-1].seq, entries[-1].hash)
    result = _verify(entries[:4], signer, head=head)
    assert not result.ok and result.first_bad_seq == 5


def test_cutting_the_tail_and_moving_the_head_back_is_found_by_an_anchor(signer):
    entries = chain(_records(6), 0, GENESIS)
    anchor = signer.sign(6, entries[-1].hash, T0)
    cut = entries[:4]
    result = _verify(cut, signer, [anchor], head=(4, cut[-1].hash))
    assert not result.ok and result.first_bad_seq == 5


def test_a_chain_rewritten_with_fresh_hashes_is_found_by_an_anchor(signer):
    records = _records(5)
    entries = chain(records, 0, GENESIS)
    anchor = signer.sign(5, entries[-1].hash, T0)
    forged = chain(records[:2] + [replace(records[2], object="other")] + records[3:], 0, GENESIS)
    result = _verify(forged, signer, [anchor])
    assert not result.ok and result.first_bad_seq == 5


def test_a_removed_head_with_entries_present_is_a_finding(signer):
    entries = chain(_records(3), 0, GENESIS)
    result = _verify(entries, signer, head=None)
    assert not result.ok and result.first_bad_seq == 4


def test_an_anchor_not_signed_with_the_hub_key_is_a_finding(signer):
    entries = chain(_records(3), 0, GENESIS)
    stranger = AnchorSigner(MasterKey(os.urandom(32)))
    forged = stranger.sign(3, entries[-1].hash, T0)
    unreadable = None
    assert not _verify(entries, signer, [forged]).ok
    assert not _verify(entries, signer, [unreadable]).ok
    tampered = replace(signer.sign(2, entries[1].hash, T0), seq=1)
    assert _verify(entries, signer, [tampered]).first_bad_seq == 1


def test_anchors_of_a_previous_master_key_still_verify(signer):
    old = MasterKey(base64.b64decode(base64.b64encode(os.urandom(32))))
    entries = chain(_records(2), 0, GENESIS)
    anchor = AnchorSigner(old).sign(2, entries[-1].hash, T0)
    current = MasterKey(os.urandom(32))
    assert _verify(entries, AnchorSigner(current, (old,)), [anchor]).ok
    assert not _verify(entries, AnchorSigner(current), [anchor]).ok


def test_an_empty_log_verifies(signer):
    assert _verify([], signer).ok
