"""Bearer-key authentication (before every ``/api/`` request) and the scope check per view."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, request

from tenants.errors import InsufficientScope, MissingCredentials
from tenants.model import Principal, Scope

F = TypeVar("F", bound=Callable[..., Any])


def authenticate_request(authenticate: Callable[[str], Principal]) -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise MissingCredentials()
    principal = authenticate(token.strip())
    g.principal = principal
    return principal


def current_principal() -> Principal:
    principal = g.get("principal")
    if principal is None:
        raise MissingCredentials()
    return principal


def requires(*scopes: Scope) -> Callable[[F], F]:
    """The view needs a key holding every one of ``scopes``; documented in OpenAPI."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if not set(scopes) <= principal.scopes:
                raise InsufficientScope()
            return view(*args, **kwargs)

        apidoc = copy.deepcopy(getattr(wrapper, "_apidoc", {}))
        manual = apidoc.setdefault("manual_doc", {})
        manual["security"] = [{"bearerAuth": []}]
        manual["x-required-scopes"] = [s.value for s in scopes]
        wrapper._apidoc = apidoc  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
