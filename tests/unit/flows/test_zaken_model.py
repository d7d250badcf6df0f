"""The zaak rules without storage: the reopen window of seed 000 step 6, what a timeline may
say of an item, and the reasons routing gives when it finds no recipient."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from hub.errors import InvalidMessage
from hub.flows.zaken.joining import item_facts
from hub.flows.zaken.model import Zaak, ZaakStatus, months_before
from hub.routing.rules import (
    AfsluitingToInvolvedPartners,
    Router,
    RoutingContext,
    SignaalToAreaMeldpunt,
    ToewijzingReactieToMeldpunt,
)

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("at", "expected"), [
    (datetime(2026, 11, 30, tzinfo=UTC), datetime(2026, 8, 30, tzinfo=UTC)),
    (datetime(2026, 5, 31, tzinfo=UTC), datetime(2026, 2, 28, tzinfo=UTC)),
    (datetime(2026, 2, 15, tzinfo=UTC), datetime(2025, 11, 15, tzinfo=UTC)),
    (datetime(2028, 5, 31, tzinfo=UTC), datetime(2028, 2, 29, tzinfo=UTC)),
])
def test_months_before_counts_calendar_months_and_clips_to_the_months_end(at, expected):
    assert months_before(at, 3) == expected


def _closed(on: datetime) -> Zaak:
    return Zaak("z", "mzwo-centrum", "K-1", ZaakStatus.GESLOTEN, datetime(2026, 1, 1, tzinfo=UTC),
                closed_at=on)


def test_an_open_zaak_and_one_closed_under_3_months_ago_take_new_messages():
    open_zaak = Zaak("z", "mzwo-centrum", "K-1", ZaakStatus.OPEN, NOW)
    assert open_zaak.takes_new_messages(NOW)
    assert _closed(datetime(2026, 9, 1, tzinfo=UTC)).takes_new_messages(NOW)
    assert not _closed(datetime(2026, 8, 30, 12, 0, tzinfo=UTC)).takes_new_messages(NOW)
    assert not _closed(datetime(2026, 3, 1, tzinfo=UTC)).takes_new_messages(NOW)


def test_the_timeline_facts_of_an_item_hold_codes_and_no_text():
    signaal = {"soort": "overlast", "categorieen": ["stank"], "omschrijving": "Vrije tekst",
               "adres": {"postcode": "1012AB", "huisnummer": 1}}
    assert item_facts("nl.ketenhub.signaal.v1", signaal) == {
        "soort": "overlast", "categorieen": ["stank"], "urgentie": "normaal"}
    assert item_facts("nl.ketenhub.toewijzing.v1", {
        "aan": "hvo-querido", "toelichting": "tekst", "personen": [{"achternaam": "X"}]}) == {
        "aan": "hvo-querido"}
    assert item_facts("nl.ketenhub.toewijzing.reactie.v1", {
        "geaccepteerd": False, "reden": "tekst"}) == {"geaccepteerd": False}
    assert item_facts("nl.ketenhub.urgent.v1", {"situatieschets": "tekst"}) == {}


class _Lookup:
    def __init__(self, senders=(), participants=None) -> None:
        self._senders, self._participants = list(senders), participants

    def correlated_senders(self, *_):
        return self._senders

    def zaak_participants(self, *_):
        return self._participants


def _ctx(type_: str, data: dict, lookup=None, meldpunten=()) -> RoutingContext:
    directory = SimpleNamespace(meldpunten_for=lambda *_: [(m, None) for m in meldpunten])
    return RoutingContext(type=type_, data=data, sender="ymere", at=NOW,
                          directory=directory, lookup=lookup or _Lookup())  # type: ignore[arg-type]


def test_a_signaal_outside_every_area_says_so_and_nothing_else():
    ctx = _ctx("nl.ketenhub.signaal.v1", {"adres": {"postcode": "9711AB"}})
    assert Router((SignaalToAreaMeldpunt(),)).recipients(ctx) == []
    assert [w.code for w in ctx.warnings] == ["routing.no_meldpunt_for_area"]


def test_a_message_nobody_receives_without_a_rule_saying_why_gets_the_general_reason():
    ctx = _ctx("nl.ketenhub.signaal.v1", {"adres": {"postcode": "1012AB"}}, meldpunten=["ymere"])
    assert Router((SignaalToAreaMeldpunt(),)).recipients(ctx) == []
    assert [w.to_answer()["code"] for w in ctx.warnings] == ["routing.no_recipient"]


@pytest.mark.parametrize("rule", [ToewijzingReactieToMeldpunt(), AfsluitingToInvolvedPartners()])
def test_an_answer_or_closing_about_an_unknown_zaak_is_an_unknown_reference(rule):
    type_ = next(iter(rule.types))
    with pytest.raises(InvalidMessage) as err:
        rule.recipients(_ctx(type_, {"zaak_kenmerk": "K-9"}))
    assert err.value.code == "validation.unknown_reference"
    assert err.value.details == [{"field": "/data/zaak_kenmerk",
                                  "rule": "validation.unknown_reference"}]


def test_the_toewijzingsadvies_names_tenants_and_the_parties_of_a_kind_per_categorie():
    from datetime import date

    from hub.flows.zaken.advies import advies_for
    from tenants.directory import Snapshot
    from tenants.model import Network, Party, Tenant, TenantKind, TenantStatus, Toewijzingsadvies

    def tenant(tid: str, kind: TenantKind) -> Tenant:
        return Tenant(id=tid, name=tid, kind=kind, status=TenantStatus.ACTIVE, created_at=NOW,
                      updated_at=NOW)

    kinds = {"mzwo": TenantKind.MELDPUNT, "ggd": TenantKind.GGD, "ymere": TenantKind.WONINGCORPORATIE,
             "de-key": TenantKind.WONINGCORPORATIE, "politie": TenantKind.POLITIE}
    network = Network(id="n", name="n", created_at=NOW,
                      parties=tuple(Party(t, k.value) for t, k in kinds.items()),
                      toewijzingsadvies=(Toewijzingsadvies("stank", "ggd"),
                                         Toewijzingsadvies("stank",
                                                           tenant_kind=TenantKind.WONINGCORPORATIE),
                                         Toewijzingsadvies("burenruzie", "politie"),
                                         Toewijzingsadvies("stank", "niet-in-netwerk")))
    view = Snapshot.build([tenant(t, k) for t, k in kinds.items()], [network])
    found = advies_for(view, "mzwo", ["stank", "geluid"], date(2026, 11, 30))
    assert [(a.categorie, a.partners) for a in found] == [("stank", ("ggd", "de-key", "ymere"))]
    assert advies_for(view, "ggd", ["burenruzie"], date(2026, 11, 30))[0].partners == ("politie",)
