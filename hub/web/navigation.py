"""The menu per role (WEB.md "Who sees what"): only pages that exist are listed."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for

from tenants.accounts import SessionUser, is_medewerker


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    current: bool


def menu_for(user: SessionUser) -> list[MenuItem]:
    items: list[tuple[str, str]] = []
    if is_medewerker(user.roles) or user.is_hub_admin:
        items += [("Inbox", "web_inbox.inbox"), ("Nieuw signaal", "web_signalen.new")]
    return [MenuItem(label, url_for(endpoint), request.endpoint == endpoint)
            for label, endpoint in items]
