from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from consent.memory import MemoryConsentStore, MemoryConsentUnitOfWork
from consent.model import (
    Consent,
    ConsentStatus,
    DataCategory,
    Evidence,
    Provision,
)
from consent.privacy import PrivacyGuard
from consent.pseudonym import network_secret
from consent.services import BegeleideWoningService, ConsentService
from tenants.model import Principal, Scope, TenantKind
from tests.fakes import FakeClock

K = TenantKind
T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
SHA = "ab" * 32
MASTER = b"test-master-secret"
KIND_PERMIT = (Provision("permit", tenant_kind=K.WONINGCORPORATIE),)


def make_consent(*, id="cns_a", version=1, controller="zorg-a", client_ref="c" * 64,
                 provisions=KIND_PERMIT,
                 categories=(DataCategory.SIGNAAL_OVERLAST,), valid_from=T0 - timedelta(days=30),
                 valid_until=T0 + timedelta(days=335), status=ConsentStatus.ACTIVE,
                 network_id="amsterdam") -> Consent:
    return Consent(id=id, version=version, client_ref=client_ref, network_id=network_id,
                   controller=controller, provisions=tuple(provisions),
                   categories=frozenset(categories), purpose="Signalen over overlast delen",
                   necessity="Begeleiding tijdig aanpassen", valid_from=valid_from,
                   valid_until=valid_until, evidence=Evidence(SHA, date(2026, 10, 1)),
                   status=status, created_at=valid_from, version_at=valid_from)


class Registry:
    """Services over memory doubles with a small directory of tenants and networks."""

    def __init__(self) -> None:
        self.store = MemoryConsentStore()
        self.clock = FakeClock()
        self.kinds: dict[str, TenantKind] = {
            "zorg-a": K.ZORGAANBIEDER, "zorg-b": K.ZORGAANBIEDER, "ymere": K.WONINGCORPORATIE,
            "eigen-haard": K.WONINGCORPORATIE, "mzwo-centrum": K.MELDPUNT, "politie": K.POLITIE,
            "ggd": K.GGD, "zorg-utrecht": K.ZORGAANBIEDER, "zorg-multi": K.ZORGAANBIEDER,
        }
        self.networks: dict[str, list[str]] = {
            "zorg-a": ["amsterdam"], "zorg-b": ["amsterdam"], "ymere": ["amsterdam"],
            "eigen-haard": ["amsterdam"], "mzwo-centrum": ["amsterdam"], "politie": ["amsterdam"],
            "ggd": ["amsterdam"], "zorg-utrecht": ["utrecht"], "zorg-multi": ["amsterdam", "utrecht"],
        }

        def uow() -> MemoryConsentUnitOfWork:
            return MemoryConsentUnitOfWork(self.store)

        self.consents = ConsentService(
            uow, self.clock,
            secret_for_network=lambda n: network_secret(MASTER, n),
            networks_of=lambda t: list(self.networks.get(t, [])),
            tenant_kind=self.kinds.get,
            screen=PrivacyGuard.default().enforce)
        self.woningen = BegeleideWoningService(uow, self.clock, consents=self.consents)
        self.system = Principal.system()

    def officer(self, tenant_id: str) -> Principal:
        return Principal(tenant_id=tenant_id, key_id="k", scopes=frozenset(Scope))

    def spec(self, **kw) -> dict:
        base = {
            "client": {"achternaam": "Berg", "voorvoegsel": "van der", "voornamen": "Jan Pieter",
                       "geboortedatum": "1980-02-29"},
            "recipients": ["ymere"],
            "categories": ["signaal_overlast", "huurachterstand"],
            "purpose": "Signalen over overlast en huurachterstand delen met de verhuurder",
            "necessity": "Zonder deze signalen kan de begeleiding niet tijdig worden aangepast",
            "valid_from": T0,
            "valid_until": T0 + timedelta(days=365),
            "evidence": {"sha256": SHA, "signed_on": "2026-11-19"},
        }
        base.update(kw)
        return base

    def register(self, tenant="zorg-a", **kw) -> Consent:
        return self.consents.register(self.officer(tenant), self.spec(**kw))

    def legacy(self, tenant="zorg-a", permit=(K.WONINGCORPORATIE,), deny=()) -> Consent:
        """A consent stored before werkafspraak 10's rule, naming recipients by kind (new ones
        name organisations): registered, then its provisions rewritten in the store."""
        c = self.register(tenant)
        old = replace(c, provisions=tuple(Provision("permit", tenant_kind=k) for k in permit)
                      + tuple(Provision("deny", tenant_id=t) for t in deny))
        self.store.consents[c.id] = [old]
        return old


@pytest.fixture
def reg() -> Registry:
    return Registry()
