"""The menu per role (WEB.md "Who sees what"): only pages that exist are listed."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for

from hub.api.context import container
from tenants.accounts import SessionUser, is_medewerker
from tenants.model import Role, TenantKind

PRIVACY_OFFICER_MENU = [("Toestemmingen", "web_toestemmingen.index"),
                        ("Beslissingen", "web_beslissingen.index"), ("Inzage", "web_inzage.index"),
                        ("Logboek", "web_logboek.index")]
#: Beheer (WEB.md): a tenant admin's pages; the hub admin has Organisaties and Netwerken too.
ADMIN_MENU = [("Beheer", "web_beheer.index"), ("Gebruikers", "web_gebruikers.index"),
              ("API-sleutels", "web_sleutels.index"), ("Koppelingen", "web_koppelingen.index"),
              ("Mislukte berichten", "web_mislukt.index")]
HUB_ADMIN_MENU = [("Organisaties", "web_organisaties.index"),
                  ("Netwerken", "web_netwerken.index")]


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    current: bool


def menu_for(user: SessionUser) -> list[MenuItem]:
    items: list[tuple[str, str]] = []
    if is_medewerker(user.roles) or user.is_hub_admin:
        tenant = container().directory.snapshot().tenant(user.user.tenant_id)
        if tenant is not None and tenant.kind is TenantKind.MELDPUNT:
            items += [("Inbox", "web_inbox.inbox"), ("Zaken", "web_zaken.index"),
                      ("Regiechecks", "web_regiechecks.index"),
                      ("Termijnen", "web_termijnen.index"),
                      ("Nieuw bericht", "web_berichten.choose")]
        else:
            items += [("Inbox", "web_inbox.inbox"),
                      ("Gevraagde regiechecks", "web_regiechecks.gevraagd"),
                      ("Termijnen", "web_termijnen.index"), ("Nieuw signaal", "web_signalen.new")]
    if Role.PRIVACY_OFFICER in user.roles or user.is_hub_admin:
        items += PRIVACY_OFFICER_MENU
    if user.is_hub_admin or _holds_figures(user.user.tenant_id):
        items.append(("Statistiek", "web_statistiek.index"))
    if user.is_hub_admin:
        items += HUB_ADMIN_MENU
    if Role.TENANT_ADMIN in user.roles or user.is_hub_admin:
        items += ADMIN_MENU
    return [MenuItem(label, url_for(endpoint), request.endpoint == endpoint)
            for label, endpoint in items]


def _holds_figures(tenant_id: str) -> bool:
    """A gemeente or meldpunt sees its network's statistics (WEB.md)."""
    tenant = container().directory.snapshot().tenant(tenant_id)
    return tenant is not None and tenant.kind in (TenantKind.MELDPUNT, TenantKind.GEMEENTE)
