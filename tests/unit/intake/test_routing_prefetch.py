"""A batch's routing looks its begeleide woningen up in one query, not one per message."""

from __future__ import annotations

from types import SimpleNamespace

from hub.routing.lookup import UowLookup
from hub.routing.rules import BegeleideWoningToZorgaanbieder, Router, SignaalToAreaMeldpunt


class _Woningen:
    def __init__(self) -> None:
        self.single: list[str] = []
        self.many: list[list[str]] = []

    def find_by_address(self, key: str) -> list:
        self.single.append(key)
        return []

    def find_by_addresses(self, keys: list[str]) -> dict:
        self.many.append(list(keys))
        return {}


def _signaal(postcode: str, huisnummer: int) -> tuple[str, dict]:
    return ("nl.ketenhub.signaal.v1", {"adres": {"postcode": postcode, "huisnummer": huisnummer}})


def test_prefetch_loads_every_address_of_the_batch_at_once_and_lookups_then_hit_it():
    woningen = _Woningen()
    lookup = UowLookup(SimpleNamespace(woningen=woningen))  # type: ignore[arg-type]
    batch = [_signaal("1012AB", 5), _signaal("1012AB", 5), _signaal("1013CD", 7),
             ("nl.ketenhub.toewijzing.v1", {"aan": "arkin"})]
    Router((SignaalToAreaMeldpunt(), BegeleideWoningToZorgaanbieder())).prefetch(batch, lookup)
    assert len(woningen.many) == 1 and len(woningen.many[0]) == 2
    for key in woningen.many[0]:
        assert lookup.woningen_at(key) == []
    assert woningen.single == []
    lookup.woningen_at("elders")
    assert woningen.single == ["elders"]


def test_an_unreadable_address_is_left_out_of_the_prefetch():
    woningen = _Woningen()
    lookup = UowLookup(SimpleNamespace(woningen=woningen))  # type: ignore[arg-type]
    Router((BegeleideWoningToZorgaanbieder(),)).prefetch([_signaal("XXXX", 1)], lookup)
    assert woningen.many == []
