"""What every adapter of the regiecheck repository does alike: the in-memory twin the unit
tests use behaves as the SQL adapter on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from hub.errors import DuplicateKey
from hub.flows.regiecheck.model import (
    AskedPartner,
    CheckStatus,
    Due,
    Expired,
    PartnerStatus,
    Regiecheck,
)
from hub.ports import HubUnitOfWork
from tests.contract.repositories.tenants_cases import T0, tenant

DAY = timedelta(days=1)
DEADLINE = T0 + 3 * DAY
REMIND = DEADLINE - timedelta(hours=15)


def check(check_id: str, asker: str = "mzwo", partners: tuple[str, ...] = ("politie", "ggd"),
          created_at=T0, kenmerk: str | None = None) -> Regiecheck:  # noqa: ANN001
    return Regiecheck(
        id=check_id, asker=asker, network_id="amsterdam", status=CheckStatus.OPEN,
        soort="overlast", overlastsoorten=("geluid",), deadline=DEADLINE, created_at=created_at,
        key_version=1, payload=b"sealed", kenmerk_afzender=kenmerk,
        partners=tuple(AskedPartner(tenant_id=p, position=i, status=PartnerStatus.GEVRAAGD,
                                    message_id=f"{check_id}-{p}", deadline=DEADLINE,
                                    remind_at=REMIND) for i, p in enumerate(partners)))


class RegiecheckRepositoryContract:
    def create_unit_of_work(self) -> HubUnitOfWork:
        raise NotImplementedError

    def _given(self, *checks: Regiecheck) -> None:
        with self.create_unit_of_work() as uow:
            for tenant_id in ("mzwo", "noord", "politie", "ggd", "wpi"):
                uow.tenants.add(tenant(tenant_id))
            for c in checks:
                uow.regiechecks.add(c)
            uow.commit()

    def test_a_check_comes_back_with_its_partners_in_order(self):
        self._given(check("c1", partners=("wpi", "politie", "ggd")))
        with self.create_unit_of_work() as uow:
            found = uow.regiechecks.get("c1")
        assert found == check("c1", partners=("wpi", "politie", "ggd"))
        assert [p.tenant_id for p in found.partners] == ["wpi", "politie", "ggd"]

    def test_a_kenmerk_is_unique_per_asker_only(self):
        self._given(check("c1", kenmerk="RIS-1"), check("c2", asker="noord", kenmerk="RIS-1"))
        with pytest.raises(DuplicateKey):
            with self.create_unit_of_work() as uow:
                uow.regiechecks.add(check("c3", kenmerk="RIS-1"))
                uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.regiechecks.find_by_kenmerk("mzwo", "RIS-1").id == "c1"
            assert uow.regiechecks.get("c3") is None

    def test_lists_are_ordered_by_creation_and_a_partner_sees_its_own_row_only(self):
        self._given(check("b", created_at=T0 + DAY), check("a", created_at=T0 + DAY),
                    check("c", created_at=T0), check("d", asker="noord", partners=("wpi",)))
        with self.create_unit_of_work() as uow:
            mine = uow.regiechecks.list_for_asker("mzwo", status=None, after=None, limit=10)
            assert [c.id for c in mine] == ["c", "a", "b"]
            after = uow.regiechecks.list_for_asker("mzwo", status=None,
                                                   after=(T0 + DAY, "a"), limit=10)
            assert [c.id for c in after] == ["b"]
            asked = uow.regiechecks.list_for_partner("politie", status=None, after=None,
                                                     limit=2)
            assert [(c.id, [p.tenant_id for p in c.partners], own.tenant_id)
                    for c, own in asked] == [("c", ["politie"], "politie"),
                                             ("a", ["politie"], "politie")]
            assert uow.regiechecks.list_for_partner("wpi", status=PartnerStatus.BEKEND,
                                                    after=None, limit=10) == []

    def test_an_answer_and_a_status_are_written(self):
        self._given(check("c1"))
        with self.create_unit_of_work() as uow:
            own = uow.regiechecks.get("c1").partner("ggd")
            uow.regiechecks.record_answer("c1", replace(
                own, status=PartnerStatus.BEKEND, answered_at=T0 + DAY, contact=b"sealed-c",
                contact_key_version=1))
            uow.regiechecks.set_status(replace(check("c1"), status=CheckStatus.COMPLEET,
                                               completed_at=T0 + DAY))
            uow.commit()
        with self.create_unit_of_work() as uow:
            found = uow.regiechecks.get("c1")
            listed = uow.regiechecks.list_for_asker("mzwo", status=CheckStatus.COMPLEET,
                                                    after=None, limit=10)
        assert (found.status, found.completed_at) == (CheckStatus.COMPLEET, T0 + DAY)
        ggd = found.partner("ggd")
        assert (ggd.status, ggd.answered_at, ggd.contact) == (PartnerStatus.BEKEND, T0 + DAY,
                                                              b"sealed-c")
        assert found.partner("politie").status is PartnerStatus.GEVRAAGD
        assert [c.id for c in listed] == ["c1"]

    def test_reminders_are_claimed_once_and_only_for_partners_that_did_not_answer(self):
        self._given(check("c1"))
        with self.create_unit_of_work() as uow:
            own = uow.regiechecks.get("c1").partner("politie")
            uow.regiechecks.record_answer("c1", replace(own, status=PartnerStatus.ONBEKEND,
                                                        answered_at=T0))
            assert uow.regiechecks.claim_reminders(REMIND - DAY, 10) == []
            assert uow.regiechecks.claim_reminders(REMIND, 10) == [
                Due("c1", "mzwo", "ggd", DEADLINE)]
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.regiechecks.claim_reminders(DEADLINE, 10) == []
            assert uow.regiechecks.get("c1").partner("ggd").reminded_at == REMIND

    def test_no_reminder_is_claimed_once_the_deadline_has_passed(self):
        self._given(check("c1"))
        with self.create_unit_of_work() as uow:
            assert uow.regiechecks.claim_reminders(DEADLINE, 10) == []

    def test_an_open_check_expires_once_at_its_deadline_with_its_silent_partners(self):
        self._given(check("c1"), check("c2", partners=("wpi",)))
        with self.create_unit_of_work() as uow:
            own = uow.regiechecks.get("c1").partner("ggd")
            uow.regiechecks.record_answer("c1", replace(own, status=PartnerStatus.BEKEND,
                                                        answered_at=T0))
            wpi = uow.regiechecks.get("c2").partner("wpi")
            uow.regiechecks.record_answer("c2", replace(wpi, status=PartnerStatus.ONBEKEND,
                                                        answered_at=T0))
            uow.regiechecks.set_status(replace(check("c2"), status=CheckStatus.COMPLEET,
                                               completed_at=T0))
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.regiechecks.claim_expired(DEADLINE - DAY, 10) == []
            assert uow.regiechecks.claim_expired(DEADLINE, 10) == [
                Expired("c1", "mzwo", DEADLINE, ("politie",))]
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.regiechecks.claim_expired(DEADLINE + DAY, 10) == []
            found = uow.regiechecks.get("c1")
        assert (found.status, found.expired_at) == (CheckStatus.VERLOPEN, DEADLINE)
        assert {p.tenant_id: p.status for p in found.partners} == {
            "politie": PartnerStatus.VERLOPEN, "ggd": PartnerStatus.BEKEND}
