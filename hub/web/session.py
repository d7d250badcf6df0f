"""Who is logged in, and the checks every page makes before it does anything."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, g, redirect, request, session, url_for

from hub.api.context import container
from tenants.accounts import SessionUser
from tenants.model import Role

F = TypeVar("F", bound=Callable[..., Any])

TOKEN_KEY = "login"


def load_user() -> None:
    """Before every web request: the logged-in user (or None) as ``g.user``."""
    token = session.get(TOKEN_KEY)
    g.user = container().accounts.resolve(token) if token else None


def current_user() -> SessionUser:
    user = g.get("user")
    if user is None:
        abort(401)
    return user


def safe_next(target: str | None) -> str | None:
    """Only a path on this site (no scheme, no other host) may follow a login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def login_required(*roles: Role) -> Callable[[F], F]:
    """The page needs a logged-in user; with ``roles``, one of them (else the 403 page).
    Hub admins may open every page."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = g.get("user")
            if user is None:
                path = request.full_path.rstrip("?") if request.method == "GET" else None
                return redirect(url_for("web_auth.login", volgende=safe_next(path)))
            if roles and not (user.roles & set(roles)) and not user.is_hub_admin:
                abort(403)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate

