"""Retention dates per legal basis, per-message keys, and the master keyring (no I/O)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.exceptions import InvalidTag

from consent.policy import Decision
from hub.crypto.keyring import MasterKey, MasterKeyring
from hub.crypto.vault import PayloadShredded, PayloadVault
from hub.memory import MemoryHubStore, MemoryHubUnitOfWork
from hub.retention.policy import retain_until, zaak_cutoff
from tenants.model import Bewaartermijnen

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _defaults(_: str | None) -> Bewaartermijnen:
    return Bewaartermijnen()


def test_a_convenant_message_is_kept_five_years_and_a_refused_one_ninety_days():
    convenant = [Decision("m", True, "convenant", "convenant a", "a")]
    assert retain_until(T0, convenant, _defaults, {}) == T0 + timedelta(days=1826)
    refused = [Decision("m", False, None, "not in network")]
    assert retain_until(T0, refused, _defaults, {}) == T0 + timedelta(days=90)


def test_a_consent_message_ends_with_the_consent_plus_the_network_setting():
    until = T0 + timedelta(days=400)
    consent = [Decision("z", True, "consent", "ok", "a", "c1", 2)]
    assert retain_until(T0, consent, _defaults, {("c1", 2): until}) == until + timedelta(days=30)
    shorter = Bewaartermijnen(toestemming_dagen=0)
    assert retain_until(T0, consent, lambda _: shorter, {("c1", 2): until}) == until


def test_a_message_on_several_bases_is_kept_for_the_longest():
    decisions = [Decision("m", True, "noodsituatie", "x", "a"),
                 Decision("p", True, "wettelijke_plicht", "x", "a")]
    assert retain_until(T0, decisions, _defaults, {}) == T0 + timedelta(days=1826)


def test_the_zaak_cutoff_counts_whole_years_also_from_29_february():
    assert zaak_cutoff(datetime(2031, 3, 1, tzinfo=UTC), 5) == datetime(2026, 3, 1, tzinfo=UTC)
    assert zaak_cutoff(datetime(2028, 2, 29, tzinfo=UTC), 1) == datetime(2027, 2, 28, tzinfo=UTC)


def test_each_message_has_its_own_key_and_without_it_nothing_opens():
    vault = PayloadVault(MasterKey(os.urandom(32)), lambda: T0)
    uow = MemoryHubUnitOfWork(MemoryHubStore())
    a = vault.seal_message(uow.data_keys, "ymere", b"een", b"m1")
    b = vault.seal_message(uow.data_keys, "ymere", b"twee", b"m2")
    assert a.wrapped_key != b.wrapped_key and a.key_version == b.key_version == 1
    assert vault.open_message(uow.data_keys, "ymere", 1, a.wrapped_key, a.blob, b"m1") == b"een"
    with pytest.raises(InvalidTag):  # another message's key does not open it
        vault.open_message(uow.data_keys, "ymere", 1, b.wrapped_key, a.blob, b"m1")
    with pytest.raises(PayloadShredded):
        vault.open_message(uow.data_keys, "ymere", 1, None, b"", b"m1")


def test_the_keyring_unwraps_under_the_previous_key_and_derives_from_the_first():
    old, new = MasterKey(os.urandom(32)), MasterKey(os.urandom(32))
    ring = MasterKeyring(new, (old,))
    wrapped = old.wrap(b"k" * 32, b"ctx")
    assert ring.unwrap(wrapped, b"ctx") == b"k" * 32
    assert ring.key_id == new.key_id
    assert ring.with_derive_base(ring.original_derive_base).derive("x") == old.derive("x")
    with pytest.raises(InvalidTag):
        MasterKeyring(new).unwrap(wrapped, b"ctx")


def test_the_web_inbox_names_a_shredded_item_vernietigd_not_ingetrokken():
    from hub.web.inbox.view import row_of

    item = {"delivery_id": "d1", "status": "acknowledged", "deadline": None,
            "delivered_at": T0, "event": None, "vernietigd": True}
    row = row_of(item, "Ymere", T0)
    assert row.type_label == "Vernietigd bericht" and row.status.startswith("vernietigd")
    assert row_of({**item, "vernietigd": False}, "Ymere", T0).type_label == "Ingetrokken bericht"
