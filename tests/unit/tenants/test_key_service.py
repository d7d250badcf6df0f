from __future__ import annotations

from datetime import timedelta

import pytest

from tenants.credentials import hash_key, parse_key_id
from tenants.errors import InvalidCredentials, InvalidInput, NotFound, TenantSuspended
from tenants.model import Scope, TenantKind


def _issue(svc, tenant_id="ymere", **kw):
    kw.setdefault("scopes", {Scope.MESSAGES_SEND})
    return svc.keys.issue(svc.system, tenant_id, name="k", **kw)


def test_an_issued_key_authenticates_as_its_tenant_with_its_scopes(svc):
    svc.tenant("ymere", TenantKind.WONINGCORPORATIE)
    key, plaintext = _issue(svc, scopes={Scope.MESSAGES_SEND, Scope.CONSENT_READ})
    principal = svc.keys.authenticate(plaintext)
    assert principal.tenant_id == "ymere"
    assert principal.key_id == key.id
    assert principal.scopes == {Scope.MESSAGES_SEND, Scope.CONSENT_READ}
    assert not principal.is_hub_admin


def test_only_the_hash_of_a_key_is_stored(svc):
    svc.tenant("ymere", TenantKind.WONINGCORPORATIE)
    key, plaintext = _issue(svc)
    stored = svc.store.keys[key.id]
    assert stored.secret_hash == hash_key(plaintext)
    assert plaintext not in repr(stored)


def test_a_tampered_key_is_refused(svc):
    svc.tenant("ymere", TenantKind.WONINGCORPORATIE)
    _, plaintext = _issue(svc)
    with pytest.raises(InvalidCredentials):
        svc.keys.authenticate(plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B"))


@pytest.mark.parametrize("presented", ["", "nonsense", "kh__x", "kh_short_secret",
                                       "Bearer kh_abcdefghijkm_x"])
def test_strings_not_shaped_like_a_key_are_refused(svc, presented):
    with pytest.raises(InvalidCredentials):
        svc.keys.authenticate(presented)


def test_a_revoked_key_stops_working_at_once(svc):
    svc.tenant("ymere", TenantKind.WONINGCORPORATIE)
    key, plaintext = _issue(svc)
    svc.keys.revoke(svc.system, "ymere", key.id)
    with pytest.raises(InvalidCredentials):
        svc.keys.authenticate(plaintext)


def test_a_key_expires_at_its_expiry_time(svc):
    svc.tenant("ymere", TenantKind.WONINGCORPORATIE)
    _, plaintext = _issue(svc, expires_at=svc.clock() + timedelta(hours=1))
    svc.clock.advance(minutes=59)
    svc.keys.authenticate(plaintext)
    svc.clock.advance(minutes=1)
    with pytest.raises(InvalidCredentials):
        svc.keys.authenticate(plaintext)


def test_an_expiry_in_the_past_is_refused(svc):
    svc.tenant("ymere", TenantKind.WONINGCORPORATIE)
    with pytest.raises(InvalidInput):
        _issue(svc, expires_at=svc.clock() - timedelta(seconds=1))


def test_a_suspended_tenant_cannot_use_its_keys(svc):
    svc.tenant("ymere", TenantKind.WONINGCORPORATIE)
    _, plaintext = _issue(svc)
    svc.tenants.suspend(svc.system, "ymere")
    with pytest.raises(TenantSuspended):
        svc.keys.authenticate(plaintext)


def test_last_used_is_recorded_at_most_once_per_resolution(svc):
    svc.tenant("ymere", TenantKind.WONINGCORPORATIE)
    key, plaintext = _issue(svc)
    svc.keys.authenticate(plaintext)
    first = svc.store.keys[key.id].last_used_at
    svc.clock.advance(seconds=10)
    svc.keys.authenticate(plaintext)
    assert svc.store.keys[key.id].last_used_at == first
    svc.clock.advance(seconds=60)
    svc.keys.authenticate(plaintext)
    assert svc.store.keys[key.id].last_used_at > first


def test_a_tenant_admin_cannot_touch_another_tenants_keys(svc):
    svc.tenant("ymere", TenantKind.WONINGCORPORATIE)
    svc.tenant("arkin", TenantKind.ZORGAANBIEDER)
    key, _ = _issue(svc, "arkin")
    with pytest.raises(NotFound):
        svc.keys.list(svc.admin_of("ymere"), "arkin")
    with pytest.raises(NotFound):
        svc.keys.revoke(svc.admin_of("ymere"), "arkin", key.id)
    with pytest.raises(NotFound):
        svc.keys.revoke(svc.admin_of("ymere"), "ymere", key.id)


def test_only_an_admin_key_of_the_operator_is_a_hub_admin(svc):
    svc.tenants.create(svc.system, tenant_id="ketenhub", name="b", kind=TenantKind.OVERIG,
                       is_operator=True)
    _, admin = svc.keys.issue(svc.system, "ketenhub", name="a", scopes=set(Scope))
    _, reader = svc.keys.issue(svc.system, "ketenhub", name="r", scopes={Scope.AUDIT_READ})
    assert svc.keys.authenticate(admin).is_hub_admin
    assert not svc.keys.authenticate(reader).is_hub_admin


def test_the_key_id_is_readable_from_the_key_but_the_secret_is_not_guessable():
    from tenants.credentials import generate_key

    a, b = generate_key(), generate_key()
    assert parse_key_id(a.plaintext) == a.key_id
    assert a.plaintext != b.plaintext and a.key_id != b.key_id
    assert len(a.plaintext.split("_", 2)[2]) >= 43


class _CountingReads:
    def __init__(self, svc) -> None:
        self.svc = svc
        self.reads = 0

    def __call__(self):
        from tenants.memory import MemoryUnitOfWork

        self.reads += 1
        return MemoryUnitOfWork(self.svc.store)


@pytest.fixture
def cached(svc):
    from tenants.memory import MemoryUnitOfWork
    from tenants.services import KeyService, TenantService

    reads = _CountingReads(svc)
    svc.keys = KeyService(lambda: MemoryUnitOfWork(svc.store), svc.clock, read_uow=reads,
                          cache_ttl_s=3600)
    svc.tenants = TenantService(lambda: MemoryUnitOfWork(svc.store), svc.clock,
                                on_change=svc.keys.invalidate)
    svc.reads = reads
    return svc


def test_with_a_cache_a_key_is_read_once_and_still_checked_on_every_use(cached):
    cached.tenant("ymere", TenantKind.WONINGCORPORATIE)
    _, plaintext = _issue(cached, expires_at=cached.clock() + timedelta(hours=1))
    for _ in range(3):
        assert cached.keys.authenticate(plaintext).tenant_id == "ymere"
    assert cached.reads.reads == 1
    with pytest.raises(InvalidCredentials):
        cached.keys.authenticate(plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B"))
    cached.clock.advance(hours=1)
    with pytest.raises(InvalidCredentials):
        cached.keys.authenticate(plaintext)


def test_with_a_cache_a_revocation_in_this_process_applies_at_once(cached):
    cached.tenant("ymere", TenantKind.WONINGCORPORATIE)
    key, plaintext = _issue(cached)
    cached.keys.authenticate(plaintext)
    cached.keys.revoke(cached.system, "ymere", key.id)
    with pytest.raises(InvalidCredentials):
        cached.keys.authenticate(plaintext)


def test_with_a_cache_a_suspension_in_this_process_applies_at_once(cached):
    cached.tenant("ymere", TenantKind.WONINGCORPORATIE)
    _, plaintext = _issue(cached)
    cached.keys.authenticate(plaintext)
    cached.tenants.suspend(cached.system, "ymere")
    with pytest.raises(TenantSuspended):
        cached.keys.authenticate(plaintext)
