"""Per-tenant client refs: a keyed permutation of the stored ref per tenant."""

from __future__ import annotations

import os

import pytest

from consent.pseudonym import TenantRefs, is_client_ref, person_ref
from tenants.model import Principal, Scope

REFS = TenantRefs(b"k" * 32)


def _tenant(tenant_id: str) -> Principal:
    return Principal(tenant_id=tenant_id, key_id="k", scopes=frozenset({Scope.CONSENT_READ}))


@pytest.mark.parametrize("n", range(20))
def test_each_tenant_sees_its_own_ref_and_the_hub_maps_it_back(n):
    stored = os.urandom(32).hex()
    a, b = REFS.present("arkin", stored), REFS.present("hvo-querido", stored)
    assert a != b and a != stored and is_client_ref(a) and is_client_ref(b)
    assert REFS.resolve("arkin", a) == stored and REFS.resolve("hvo-querido", b) == stored
    assert REFS.resolve("arkin", b) != stored  # another tenant's ref means nothing to arkin


def test_the_same_stored_ref_gives_a_tenant_the_same_ref_every_time():
    stored = "ab" * 32
    assert REFS.present("arkin", stored) == TenantRefs(b"k" * 32).present("arkin", stored)
    assert TenantRefs(b"x" * 32).present("arkin", stored) != REFS.present("arkin", stored)


def test_the_hub_admin_sees_the_stored_ref_and_other_values_pass_unchanged():
    stored = "cd" * 32
    admin = Principal.system()
    assert REFS.shown(admin, stored) == stored and REFS.given(admin, stored) == stored
    assert REFS.shown(_tenant("arkin"), None) is None
    assert REFS.shown(_tenant("arkin"), "not-a-ref") == "not-a-ref"
    shown = REFS.shown(_tenant("arkin"), stored)
    assert REFS.given(_tenant("arkin"), shown) == stored


def test_a_persons_pseudonym_differs_by_birth_date_and_not_by_spelling():
    secret = b"s" * 32
    one = person_ref(secret, {"achternaam": "de Vries", "voornamen": "Johanna Maria",
                              "geboortedatum": "1968-05-17"})
    same = person_ref(secret, {"achternaam": "Vries", "voorvoegsel": "de",
                               "voorletters": "J.M.", "geboortedatum": "1968-05-17"})
    other = person_ref(secret, {"achternaam": "de Vries", "voornamen": "Johanna Maria",
                                "geboortedatum": "1968-05-18"})
    assert one == same != other
