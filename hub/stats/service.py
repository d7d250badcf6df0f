"""Answering a statistics query: who may ask (a network's gemeente and meldpunt tenants, hub
admins), for which network and period, and the measure's suppressed table with its freshness."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from hub.flows.calendar import local_date
from hub.ports import HubUnitOfWork
from hub.stats.errors import NotForThisTenant, UnknownNetwork, invalid_query
from hub.stats.measures import GROUPS_OF, Query, build
from hub.stats.model import SOURCE_KIND_LABELS, UNKNOWN, StatTable
from tenants.directory import Directory, Snapshot
from tenants.model import Principal, TenantKind

#: Who may ask: the kinds that hold the figures of a network (seed 003: politics asks them).
ASKERS = frozenset({TenantKind.GEMEENTE, TenantKind.MELDPUNT})
DEFAULT_DAYS = 365
MAX_YEARS = 10
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


class StatsService:
    def __init__(self, *, read_uow: Callable[[], HubUnitOfWork], directory: Directory,
                 clock: Callable[[], datetime],
                 refresh: Callable[[], object] | None = None) -> None:
        self._uow = read_uow
        self._directory = directory
        self._clock = clock
        #: Rolls up what is pending before a query, without waiting for a running rollup.
        self._refresh = refresh

    def networks(self, principal: Principal) -> list[tuple[str, str]]:
        """The networks the caller may see figures of, as (id, name)."""
        view = self._directory.snapshot()
        if principal.is_hub_admin:
            return sorted((n.id, n.name) for n in view.networks)
        self._check_asker(principal, view)
        names = {n.id: n.name for n in view.networks}
        today = local_date(self._clock())
        return sorted((nid, names.get(nid, nid)) for nid in view.networks_of(
            principal.tenant_id, today))

    def table(self, principal: Principal, *, measure: str, group_by: str,
              first: date | None = None, last: date | None = None,
              network: str | None = None) -> StatTable:
        if measure not in GROUPS_OF:
            raise invalid_query("/measure", "stats.onbekende_maat",
                                "Deze maat bestaat niet.")
        if group_by not in GROUPS_OF[measure]:
            raise invalid_query("/group_by", "stats.ongeldige_indeling",
                                "Deze maat kan niet zo worden ingedeeld.")
        network_id = self._network(principal, network)
        last = last or local_date(self._clock())
        first = first or last - timedelta(days=DEFAULT_DAYS - 1)
        if first > last:
            raise invalid_query("/from", "stats.ongeldige_periode",
                                "Het begin van de periode ligt na het einde.")
        if (last - first).days > MAX_YEARS * 366:
            raise invalid_query("/from", "stats.ongeldige_periode",
                                f"De periode mag hooguit {MAX_YEARS} jaar zijn.")
        if self._refresh is not None:
            self._refresh()
        view = self._directory.snapshot()
        with self._uow() as uow:
            cursor = uow.stats.cursor()
            body = build(uow.stats, Query(measure, group_by, network_id, first, last),
                         _labeller(group_by, view))
        return StatTable(measure=measure, group_by=group_by, network=network_id, first=first,
                         last=last, columns=body.columns, rows=body.rows, totaal=body.totaal,
                         aandeel=body.aandeel, bijgewerkt_tot=cursor.bijgewerkt_tot,
                         toelichting=body.toelichting)

    def _check_asker(self, principal: Principal, view: Snapshot) -> None:
        tenant = view.tenant(principal.tenant_id)
        if tenant is None or tenant.kind not in ASKERS:
            raise NotForThisTenant()

    def _network(self, principal: Principal, network: str | None) -> str:
        mine = [nid for nid, _ in self.networks(principal)]
        if network is not None:
            if network not in mine:
                raise UnknownNetwork()
            return network
        if len(mine) == 1:
            return mine[0]
        if not mine:
            raise UnknownNetwork()
        raise invalid_query("/network", "stats.netwerk_verplicht",
                            "Kies een netwerk: u neemt aan meer dan één netwerk deel.")


def _labeller(group_by: str, view: Snapshot) -> Callable[[str], str]:
    def tenant_name(key: str) -> str:
        if key == UNKNOWN:
            return "Onbekend gebied" if group_by == "area" else "Onbekend"
        tenant = view.tenant(key)
        return tenant.name if tenant else key

    if group_by in ("area", "partner"):
        return tenant_name
    if group_by == "source_kind":
        return lambda key: SOURCE_KIND_LABELS.get(key, key)
    if group_by == "category":
        return lambda key: key.replace("_", " ").capitalize() if key else "Geen categorie"
    if group_by == "month":
        return lambda key: f"{MONTHS[int(key[5:7]) - 1]} {key[:4]}" if len(key) == 7 else key
    return lambda key: key or "Onbekend"


