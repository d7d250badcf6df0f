"""What the admin pages share: the organisation administered (a tenant admin's own, a hub
admin's choice via ``?organisatie=``) and a service's refusal shown at the form's fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import request
from flask_wtf import FlaskForm
from wtforms import Field

from hub.api.errors import status_for
from hub.web.events import FIELD_MESSAGES
from hub.web.session import current_user
from tenants.errors import KetenhubError
from tenants.model import Role
from tenants.pagination import Page

T = TypeVar("T")
#: The most rows an admin list shows (pages of a service's cursor, read to this many).
MAX_ROWS = 1000

#: Who opens the admin pages (a hub admin opens every page anyway).
ADMIN = (Role.TENANT_ADMIN,)

#: The services' rules (``details[].rule``) in the words of a form.
RULE_TEXT = {
    "conflict": "Deze waarde is al in gebruik.",
    "validation.email": "Vul een geldig e-mailadres in.",
    "validation.format": "Deze waarde heeft niet de juiste opmaak.",
    "validation.slug": "Gebruik kleine letters, cijfers en streepjes.",
    "validation.required": "Dit veld is verplicht.",
    "validation.unknown_tenant": "Deze organisatie bestaat niet.",
    "validation.duplicate": "Deze organisatie is al partij.",
    "validation.before_valid_from": "De einddatum ligt voor de begindatum.",
    "validation.in_past": "Deze datum ligt in het verleden.",
    "validation.hub_admin_role": "Deze rol kan alleen in de beheerorganisatie van de hub.",
    "validation.password_too_short": "Het wachtwoord is te kort.",
    "validation.oin": "Een OIN bestaat uit 20 cijfers.",
    "validation.kvk": "Een KvK-nummer bestaat uit 8 cijfers.",
    "validation.url": "Vul een geldig https-adres in.",
    "validation.not_a_meldpunt_party": "Kies een meldpunt dat partij is in dit netwerk.",
    "validation.not_a_party": "Deze organisatie is geen partij in dit netwerk.",
    "validation.pc4_range": "Vul postcodes van 1000 tot en met 9999 in; de eerste is niet hoger "
                            "dan de tweede.",
    "validation.pc4_overlap": "Dit gebied overlapt een ander gebied.",
    "validation.range": "Dit aantal valt buiten wat is toegestaan.",
    "validation.tenant_or_kind": "Kies een organisatie of een soort organisatie.",
}
GENERIC = "Deze waarde wordt niet geaccepteerd."


def organisatie() -> str:
    """The tenant administered: ``?organisatie=`` for a hub admin, else the user's own (another
    tenant's id makes the services answer NotFound, so the page is a 404)."""
    user = current_user()
    chosen = request.args.get("organisatie", "").strip()
    return chosen or user.user.tenant_id


def at_fields(form: FlaskForm | Mapping[str, Field], exc: Exception,
              fields: Mapping[str, str]) -> bool:
    """Put a refusal's ``details`` at the form's fields (JSON pointer → field name), never
    echoing the value: a refused field is blanked (a list of choices only when the privacy
    guard refused it). True when at least one detail found its field."""
    placed = False
    for detail in getattr(exc, "details", []) or []:
        pointer, rule = detail.get("field") or "", detail.get("rule") or ""
        name = next((n for p, n in fields.items()
                     if pointer == p or pointer.startswith(p + "/")), None)
        if name is None:
            continue
        field = form[name]
        text = FIELD_MESSAGES.get(rule) or RULE_TEXT.get(rule) or GENERIC
        field.errors = [*list(field.errors or []), text]
        if not isinstance(field.data, list):  # a refused value is not sent back
            field.data, field.raw_data = "", []
        elif rule.startswith("privacy."):
            field.data, field.raw_data = [], []
        placed = True
    return placed


def shown_at_form(exc: KetenhubError, form: FlaskForm | Mapping[str, Field],
                  fields: Mapping[str, str]) -> str:
    """A service's refusal of a form (a 409, 412 or 422) put at the form's fields; its summary
    sentence. Anything else (not found, not allowed) is raised again for the error page."""
    if status_for(exc) not in (409, 412, 422):
        raise exc
    at_fields(form, exc, fields)
    return exc.message


def all_pages(page_of: Callable[[str | None], Page[T]], most: int = MAX_ROWS) -> list[T]:
    """The items of a service's pages (``page_of(cursor)``), up to ``most``."""
    items: list[Any] = []
    cursor: str | None = None
    while len(items) < most:
        page = page_of(cursor)
        items += page.items
        cursor = page.next
        if cursor is None:
            break
    return items
