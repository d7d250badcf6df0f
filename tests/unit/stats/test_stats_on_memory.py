"""The rollup and the measures over the in-memory unit of work: signalen counted by source
kind, recidive only for the same categorie within three years, cursor and idempotency."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hub.errors import InvalidMessage
from hub.stats.errors import NotForThisTenant, UnknownNetwork
from hub.stats.rollup import StatsRollup
from hub.stats.service import StatsService
from tests.fakes import signaal
from tests.unit.pipeline.test_zaken_on_memory import zaken_pipeline


def _world():  # noqa: ANN202
    pipe, _ = zaken_pipeline()
    rollup = StatsRollup(uow=pipe.uow, directory=pipe.directory, clock=pipe.clock, batch=7)
    service = StatsService(read_uow=pipe.read, directory=pipe.directory, clock=pipe.clock)
    return pipe, rollup, service


def _send(pipe, huisnummer: int, categorie: str = "geluid") -> None:  # noqa: ANN001
    body = signaal()
    body["data"]["adres"]["huisnummer"] = huisnummer
    body["data"]["categorieen"] = [categorie]
    assert pipe.send(body).answer["status"] == "accepted"


def _values(row):  # noqa: ANN001, ANN202
    return [c.value for c in row.cells]


def test_signalen_are_counted_once_per_network_by_the_senders_kind():
    pipe, rollup, service = _world()
    for n in range(7):
        _send(pipe, n + 1)
    rollup.run_until_idle()
    meldpunt = pipe.partner("mzwo-centrum")
    day = pipe.clock().date()
    table = service.table(meldpunt, measure="signalen", group_by="source_kind", first=day,
                          last=day)
    assert [(r.key, _values(r)) for r in table.rows] == [("corporatie", [7, 100.0])]
    assert _values(table.totaal) == [7, 100.0]
    assert table.bijgewerkt_tot == pipe.clock()
    meldingen = service.table(meldpunt, measure="meldingen", group_by="area", first=day,
                              last=day)
    assert [(r.key, _values(r)) for r in meldingen.rows] == [("mzwo-centrum", [7, 7])]


def test_rolling_up_again_counts_nothing_twice():
    pipe, rollup, service = _world()
    for n in range(6):
        _send(pipe, n + 1)
    assert rollup.run_until_idle() >= 6
    assert rollup.run_until_idle() == 0
    table = service.table(pipe.partner("mzwo-centrum"), measure="signalen", group_by="month")
    assert _values(table.totaal)[-1] == 6


def test_recidive_counts_a_repeat_of_the_same_kind_on_a_later_day_within_three_years():
    pipe, rollup, service = _world()
    start = pipe.clock().date()
    for n in range(10):
        _send(pipe, n + 1)
    _send(pipe, 1)  # the same day: the same registration, no recidive
    pipe.clock.advance(days=1)
    for n in range(5):
        _send(pipe, n + 1)  # recidive for 5 of the 10 situations
    for n in range(5):
        _send(pipe, n + 1, "stank")  # another kind: new situations, no recidive
    pipe.clock.advance(days=3 * 366)
    _send(pipe, 10)  # beyond three years: a new situation
    rollup.run_until_idle()
    meldpunt = pipe.partner("mzwo-centrum")
    table = service.table(meldpunt, measure="recidive", group_by="category", first=start,
                          last=start + timedelta(days=1))
    # stank's 0 repeats are under 5, so geluid's 5 is withheld with it; the total stands.
    assert [(r.key, _values(r)) for r in table.rows] == [("geluid", [10, None, None]),
                                                         ("stank", [5, None, None])]
    assert table.rows[1].cells[1].suppressed
    assert _values(table.totaal) == [15, 5, 33.3]
    by_source = service.table(meldpunt, measure="recidive", group_by="source_kind", first=start,
                              last=start + timedelta(days=1))
    assert [(r.key, _values(r)) for r in by_source.rows] == [("corporatie", [15, 5, 33.3])]
    later = service.table(meldpunt, measure="recidive", group_by="category",
                          first=start, last=pipe.clock().date())
    assert [(r.key, r.cells[0].value) for r in later.rows] == [("geluid", 11), ("stank", 5)]


def test_only_a_gemeente_or_meldpunt_asks_and_only_for_its_own_network():
    pipe, rollup, service = _world()
    with pytest.raises(NotForThisTenant):
        service.table(pipe.partner("ymere"), measure="signalen", group_by="area")
    with pytest.raises(UnknownNetwork):
        service.table(pipe.partner("mzwo-centrum"), measure="signalen", group_by="area",
                      network="utrecht")


def test_a_grouping_a_measure_does_not_have_is_refused_without_echoing_it():
    pipe, rollup, service = _world()
    with pytest.raises(InvalidMessage) as caught:
        service.table(pipe.partner("mzwo-centrum"), measure="regiecheck", group_by="category")
    assert caught.value.code == "stats.ongeldige_indeling"
    assert "category" not in caught.value.message
