"""What every adapter of the samenloop's storage does alike: the per-batch lookups the intake's
samenloop hook makes (earlier signalen per address and meldpunt since a moment; the open zaak
at an address), answered for the pairs asked for only."""

from __future__ import annotations

from datetime import timedelta

from hub.flows.zaken.model import Zaak, ZaakStatus
from hub.ports import HubUnitOfWork
from tests.contract.repositories.hub_cases import message
from tests.contract.repositories.tenants_cases import T0, tenant

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def zaak(zaak_id: str, meldpunt: str, address_key: str | None, *, days_ago: int = 0,
         status: ZaakStatus = ZaakStatus.OPEN) -> Zaak:
    return Zaak(id=zaak_id, meldpunt=meldpunt, kenmerk=f"K-{zaak_id}", status=status,
                opened_at=T0 - days_ago * DAY, address_key=address_key)


class SamenloopRepositoryContract:
    def create_unit_of_work(self) -> HubUnitOfWork:
        raise NotImplementedError

    def _signalen(self, uow: HubUnitOfWork, recent: list[tuple[str, str, str]]) -> None:
        """Messages m0…m5, m0 a signaal from 400 days ago at ``a`` for mzwo, ``recent`` from
        yesterday."""
        for tenant_id in ("ymere", "mzwo", "mzwo-noord"):
            uow.tenants.add(tenant(tenant_id))
        uow.messages.add_many([message(f"m{i}", event_id=f"e{i}") for i in range(6)])
        uow.samenloop.add_many([("a", "mzwo", "m0")], T0 - 400 * DAY)
        uow.samenloop.add_many(recent, T0 - DAY)

    def test_earlier_signalen_are_counted_per_address_and_meldpunt_asked_for(self):
        with self.create_unit_of_work() as uow:
            self._signalen(uow, [("a", "mzwo", "m1"), ("a", "mzwo", "m2"),
                                 ("a", "mzwo-noord", "m3"), ("b", "mzwo", "m4")])
            uow.samenloop.add_many([], T0)
            uow.commit()
        with self.create_unit_of_work() as uow:
            since = T0 - 30 * DAY
            assert uow.samenloop.counts([("a", "mzwo"), ("b", "mzwo-noord"), ("c", "mzwo")],
                                        since) == {("a", "mzwo"): 2}
            assert uow.samenloop.counts([("a", "mzwo"), ("b", "mzwo"), ("a", "mzwo-noord")],
                                        T0 - 500 * DAY) == {
                ("a", "mzwo"): 3, ("b", "mzwo"): 1, ("a", "mzwo-noord"): 1}
            assert uow.samenloop.counts([], since) == {}

    def test_the_newest_open_zaak_is_found_per_meldpunt_and_address_asked_for(self):
        with self.create_unit_of_work() as uow:
            for tenant_id in ("mzwo", "mzwo-noord"):
                uow.tenants.add(tenant(tenant_id))
            uow.zaken.add(zaak("z-old", "mzwo", "a", days_ago=9))
            uow.zaken.add(zaak("z-new", "mzwo", "a", days_ago=1))
            uow.zaken.add(zaak("z-closed", "mzwo", "a", status=ZaakStatus.GESLOTEN))
            uow.zaken.add(zaak("z-noord", "mzwo-noord", "b"))
            uow.zaken.add(zaak("z-none", "mzwo", None))
            uow.commit()
        with self.create_unit_of_work() as uow:
            found = uow.zaken.open_at_addresses([("mzwo", "a"), ("mzwo", "b"), ("mzwo-noord", "a")])
            assert {k: z.id for k, z in found.items()} == {("mzwo", "a"): "z-new"}
            assert uow.zaken.open_at_addresses([("mzwo-noord", "b")])[("mzwo-noord", "b")].kenmerk \
                == "K-z-noord"
            assert uow.zaken.open_at_addresses([]) == {}

    def test_the_count_starts_at_the_moment_asked_for_within_its_month(self):
        since = T0 - 45 * DAY
        with self.create_unit_of_work() as uow:
            self._signalen(uow, [])
            for i, at in enumerate((since - HOUR, since, since + HOUR, since + 20 * DAY,
                                    since + 40 * DAY, T0)):
                uow.samenloop.add_many([("x", "mzwo", f"m{i}")], at)
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.samenloop.counts([("x", "mzwo")], since) == {("x", "mzwo"): 5}
            assert uow.samenloop.counts([("x", "mzwo")], since + HOUR) == {("x", "mzwo"): 4}
            assert uow.samenloop.counts([("x", "mzwo")], T0 + HOUR) == {}
            assert uow.samenloop.at_addresses([("x", "mzwo")], since - DAY)[("x", "mzwo")] \
                .signalen == 6

    def test_signalen_and_the_newest_open_zaak_come_together_per_address_and_meldpunt(self):
        with self.create_unit_of_work() as uow:
            self._signalen(uow, [("a", "mzwo", "m1"), ("a", "mzwo", "m2"), ("c", "mzwo", "m3")])
            uow.zaken.add(zaak("z-old", "mzwo", "a", days_ago=9))
            uow.zaken.add(zaak("z-new", "mzwo", "a", days_ago=1))
            uow.zaken.add(zaak("z-closed", "mzwo", "b", status=ZaakStatus.GESLOTEN))
            uow.zaken.add(zaak("z-noord", "mzwo-noord", "b"))
            uow.commit()
        with self.create_unit_of_work() as uow:
            found = uow.samenloop.at_addresses(
                [("a", "mzwo"), ("b", "mzwo"), ("b", "mzwo-noord"), ("c", "mzwo"),
                 ("a", "mzwo-noord")], T0 - 30 * DAY)
            assert {k: (v.signalen, v.open_zaak) for k, v in found.items()} == {
                ("a", "mzwo"): (2, "K-z-new"), ("b", "mzwo-noord"): (0, "K-z-noord"),
                ("c", "mzwo"): (1, None)}
            assert uow.samenloop.at_addresses([], T0) == {}
