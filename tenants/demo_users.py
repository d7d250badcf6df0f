"""People for the demo network: a medewerker per organisation, privacy officers and admins
with a TOTP second factor. Passwords are random per load; ``demo load`` writes them out."""

from __future__ import annotations

import secrets

from tenants.model import Principal, Role, Tenant
from tenants.services import UserService
from tenants.services.accounts import AccountService

#: Extra people per tenant: (username prefix, roles, display name).
EXTRA: dict[str, tuple[tuple[str, frozenset[Role], str], ...]] = {
    "mzwo-centrum": (("privacy", frozenset({Role.PRIVACY_OFFICER}), "Privacy officer Centrum"),
                     ("beheer", frozenset({Role.TENANT_ADMIN}), "Beheerder Centrum")),
    "hvo-querido": (("privacy", frozenset({Role.PRIVACY_OFFICER}), "Privacy officer HVO-Querido"),),
}


def load_demo_users(users: UserService, accounts: AccountService,
                    tenants: list[Tenant]) -> dict[str, dict[str, dict]]:
    """Create the demo people; returns per tenant id, per username: password, roles and, where
    the person has one, the base32 ``totp_secret``."""
    system = Principal.system()
    out: dict[str, dict[str, dict]] = {}
    for tenant in tenants:
        people: list[tuple[str, frozenset[Role], str]] = []
        if tenant.is_operator:
            people.append(("hubbeheer", frozenset({Role.HUB_ADMIN}), "Hubbeheerder"))
        else:
            people.append((f"medewerker.{tenant.id}", frozenset({Role.MEDEWERKER}),
                           f"Medewerker {tenant.name}"))
            people += [(f"{prefix}.{tenant.id}", roles, name)
                       for prefix, roles, name in EXTRA.get(tenant.id, ())]
        for username, roles, name in people:
            password = secrets.token_urlsafe(12)
            user = users.create(system, tenant.id, email=f"{username}@{tenant.id}.example",
                                name=name, roles=roles)
            accounts.set_login(system, user.id, username=username, password=password)
            entry: dict = {"password": password, "roles": sorted(r.value for r in roles)}
            if roles & {Role.PRIVACY_OFFICER, Role.TENANT_ADMIN, Role.HUB_ADMIN}:
                entry["totp_secret"] = accounts.new_second_factor(system, user.id)
            out.setdefault(tenant.id, {})[username] = entry
    return out
