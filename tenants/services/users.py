"""Human users of a tenant with their roles (the web login uses them in a later issue)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import replace

from tenants.clock import Clock, utcnow
from tenants.errors import Conflict, InvalidInput, NotFound
from tenants.model import Principal, Role, User
from tenants.pagination import Page, paginate
from tenants.services._common import UowFactory, require_hub_admin, visible_tenant

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class UserService:
    def __init__(self, uow: UowFactory, clock: Clock = utcnow,
                 screen: Callable[[object], None] = lambda value: None) -> None:
        self._uow = uow
        self._clock = clock
        #: Raises when a label holds a BSN or medical data (wired to the privacy guard).
        self._screen = screen

    def create(self, principal: Principal, tenant_id: str, *, email: str, name: str,
               roles: Iterable[Role]) -> User:
        roles = frozenset(roles)
        email = email.strip().lower()
        if not _EMAIL.match(email):
            raise InvalidInput(details=[{"field": "/email", "rule": "validation.email"}])
        self._screen({"name": name})
        with self._uow() as uow:
            tenant = visible_tenant(uow, principal, tenant_id)
            if Role.HUB_ADMIN in roles and not tenant.is_operator:
                raise InvalidInput(details=[{"field": "/roles", "rule": "validation.hub_admin_role"}])
            if Role.HUB_ADMIN in roles:
                require_hub_admin(principal)
            if uow.users.email_taken(tenant_id, email):
                raise Conflict(details=[{"field": "/email", "rule": "conflict"}])
            user = User(id=uuid.uuid4().hex, tenant_id=tenant_id, email=email, name=name.strip(),
                        roles=roles, created_at=self._clock())
            uow.users.add(user)
            uow.audit.record(action="user.created", tenant_id=tenant_id, actor=principal.key_id,
                             subject_id=user.id, facts={"roles": sorted(r.value for r in roles)},
                             at=user.created_at)
            uow.commit()
        return user

    def set_roles(self, principal: Principal, user_id: str, roles: Iterable[Role]) -> User:
        """Give an existing user these roles (at least one), audited with the roles before and
        after. The user's web sessions end, so the new roles (and a second factor they may
        need) hold from the next login. Another tenant's user is NotFound, as a missing one."""
        roles = frozenset(roles)
        if not roles:
            raise InvalidInput(details=[{"field": "/roles", "rule": "validation.required"}])
        with self._uow() as uow:
            user = uow.users.get(user_id)
            if user is None or not principal.can_see_tenant(user.tenant_id):
                raise NotFound()
            tenant = visible_tenant(uow, principal, user.tenant_id)
            if Role.HUB_ADMIN in roles and not tenant.is_operator:
                raise InvalidInput(details=[{"field": "/roles", "rule": "validation.hub_admin_role"}])
            if Role.HUB_ADMIN in roles | user.roles:
                require_hub_admin(principal)
            changed = replace(user, roles=roles)
            if roles != user.roles:
                uow.users.set_roles(user.id, roles)
                uow.web_sessions.delete_for_user(user.id)
                uow.audit.record(action="user.roles_changed", tenant_id=user.tenant_id,
                                 actor=principal.key_id, subject_id=user.id,
                                 facts={"before": sorted(r.value for r in user.roles),
                                        "roles": sorted(r.value for r in roles)},
                                 at=self._clock())
                uow.commit()
        return changed

    def list(self, principal: Principal, tenant_id: str, *, after: str | None = None,
             limit: int | None = None) -> Page[User]:
        with self._uow() as uow:
            visible_tenant(uow, principal, tenant_id)
            return paginate(lambda a, n: uow.users.list_for_tenant(tenant_id, after=a, limit=n),
                            after, limit, key=lambda u: u.id)
