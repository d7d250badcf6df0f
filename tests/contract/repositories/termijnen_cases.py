"""What every adapter of the termijnen repository does alike: the in-memory twin the unit tests
use behaves as the SQL adapter on SQLite and PostgreSQL (one term per flow, subject and party;
the watcher's claim by due time; settling only a running term; a tenant's list by deadline)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hub.errors import DuplicateKey
from hub.flows.calendar import Werkdagen
from hub.flows.termijnen.model import Termijn, TermijnStatus
from hub.ports import HubUnitOfWork
from tests.contract.repositories.tenants_cases import T0

DAY = timedelta(days=1)


def term(subject: str, owed_by: str = "hvo", started_at=T0,  # noqa: ANN001
         flow: str = "signaal_zorgaanbieder") -> Termijn:
    return Termijn.start(flow=flow, subject_id=subject, owed_by=owed_by, owed_to="ymere",
                         werkdagen=2, gehaald_door=("signaal.reactie:klager_benaderd",),
                         calendar=Werkdagen(), started_at=started_at, meldpunt="mzwo",
                         termijn_id=f"t-{flow}-{subject}-{owed_by}")


class TermijnRepositoryContract:
    def create_unit_of_work(self) -> HubUnitOfWork:
        raise NotImplementedError

    def _given(self, *terms: Termijn) -> None:
        with self.create_unit_of_work() as uow:
            uow.termijnen.add_many(list(terms))
            uow.commit()

    def test_a_term_id_is_kept_once(self):
        self._given(term("m1"))
        with pytest.raises(DuplicateKey):
            with self.create_unit_of_work() as uow:
                uow.termijnen.add_many([term("m1")])
                uow.commit()

    def test_a_term_reads_back_as_it_was_written(self):
        written = term("m1")
        self._given(written)
        with self.create_unit_of_work() as uow:
            assert uow.termijnen.get(written.id) == written
            assert uow.termijnen.get("nope") is None

    def test_a_second_term_on_the_same_flow_subject_and_party_raises_duplicate_key(self):
        self._given(term("m1"))
        with pytest.raises(DuplicateKey):
            with self.create_unit_of_work() as uow:
                uow.termijnen.add_many([Termijn.start(
                    flow="signaal_zorgaanbieder", subject_id="m1", owed_by="hvo", owed_to="x",
                    werkdagen=3, gehaald_door=(), calendar=Werkdagen(), started_at=T0)])
                uow.commit()
        self._given(term("m1", owed_by="arkin"), term("m1", flow="aanmelding"))

    def test_the_claim_takes_what_is_due_earliest_first_up_to_the_limit(self):
        early, late = term("a"), term("b", started_at=T0 + 3 * DAY)
        self._given(late, early)
        with self.create_unit_of_work() as uow:
            assert uow.termijnen.claim_due(early.due_at - timedelta(seconds=1), 10) == []
            assert [x.id for x in uow.termijnen.claim_due(late.due_at, 10)] == [early.id, late.id]
            assert [x.id for x in uow.termijnen.claim_due(late.due_at, 1)] == [early.id]

    def test_saved_states_move_the_due_time_and_a_settled_term_is_never_due(self):
        x = term("a")
        self._given(x)
        with self.create_unit_of_work() as uow:
            uow.termijnen.save_many([x.reminded(x.remind_at)])
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.termijnen.claim_due(x.remind_at, 10) == []
            [again] = uow.termijnen.claim_due(x.expires_at, 10)
            assert again.reminded_at == x.remind_at
            uow.termijnen.save(again.expired(x.expires_at))
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.termijnen.claim_due(x.expires_at + DAY, 10) == []
            assert uow.termijnen.get(x.id).status is TermijnStatus.VERLOPEN

    def test_only_a_running_term_is_settled_and_open_for_finds_only_running_ones(self):
        x = term("a")
        self._given(x, term("b"))
        with self.create_unit_of_work() as uow:
            assert [t.id for t in uow.termijnen.open_for("signaal_zorgaanbieder", ["a"], "hvo")] \
                == [x.id]
            assert uow.termijnen.open_for("signaal_zorgaanbieder", ["a"], "ymere") == []
            assert uow.termijnen.settle(x.met(T0, "r1"))
            assert not uow.termijnen.settle(x.met(T0, "r2"))
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.termijnen.open_for("signaal_zorgaanbieder", ["a"], "hvo") == []
            assert uow.termijnen.get(x.id).met_by == "r1"
            assert {t.subject_id for t in uow.termijnen.for_subjects(["a", "b", "c"])} == {"a", "b"}

    def test_a_tenant_lists_what_it_owes_is_owed_or_watches_by_deadline_and_pages(self):
        first, second = term("a"), term("b", started_at=T0 + 3 * DAY)
        other = Termijn.start(flow="aanmelding", subject_id="c", owed_by="u", owed_to="mitros",
                              werkdagen=5, gehaald_door=(), calendar=Werkdagen(), started_at=T0)
        self._given(second, first, other)
        with self.create_unit_of_work() as uow:
            for who in ("hvo", "ymere", "mzwo"):
                assert [x.id for x in uow.termijnen.list_for(
                    who, status=None, after=None, limit=10)] == [first.id, second.id]
            assert [x.id for x in uow.termijnen.list_for(
                "hvo", status=None, after=(first.deadline, first.id), limit=10)] == [second.id]
            assert uow.termijnen.list_for("hvo", status=TermijnStatus.GEHAALD, after=None,
                                          limit=10) == []
            assert [x.id for x in uow.termijnen.list_for("mitros", status=None, after=None,
                                                         limit=10)] == [other.id]
