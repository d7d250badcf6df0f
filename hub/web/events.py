"""Messages a person sends from the web: built as CloudEvents (NL GOV profile) and handed to
the same intake as the API's, so the schema, the privacy guard, the policy and the audit apply
alike. Refusals become messages at the form's fields, never echoing the value."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from flask_wtf import FlaskForm

from consent.errors import ConsentError
from hub.api.context import container
from hub.errors import HubError, InvalidMessage
from hub.intake.schemas.base import RULE_MESSAGES
from hub.intake.service import IntakeResult
from tenants.accounts import SessionUser

FIELD_MESSAGES = {
    "privacy.bsn": "Dit veld lijkt een BSN te bevatten. Een BSN mag nooit worden gedeeld; "
                   "haal het weg.",
    "privacy.medical": "Dit veld lijkt medische gegevens te bevatten. Die mogen nooit worden "
                       "gedeeld; haal ze weg.",
}
_PRIVACY = ("privacy.",)
BSN_RULE = "privacy.bsn"


class NoSourceIdentity(HubError):
    """Raised when the user's organisation has neither an OIN nor a KvK-nummer for ``source``."""

    code = "web.no_source"
    message = ("Uw organisatie heeft geen OIN of KvK-nummer in de hub, dus kan er geen bericht "
               "namens haar worden verstuurd. Vraag de beheerder dit aan te vullen.")


def source_for(tenant_id: str) -> str:
    """The CloudEvents ``source`` of the user's organisation, its KvK-nummer or else its OIN
    (``urn:nld:kvk:…:systeem:ketenhub-web``): the hub's web is the sending system."""
    tenant = container().directory.snapshot().tenant(tenant_id)
    if tenant is not None and tenant.kvk:
        return f"urn:nld:kvk:{tenant.kvk}:systeem:ketenhub-web"
    if tenant is not None and tenant.oin:
        return f"urn:nld:oin:{tenant.oin}:systeem:ketenhub-web"
    raise NoSourceIdentity()


def send(user: SessionUser, message_type: str, data: dict) -> IntakeResult:
    """Send a message as the user's organisation (raises the intake's errors)."""
    event = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": source_for(user.user.tenant_id),
             "type": message_type, "time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
             "datacontenttype": "application/json", "data": data}
    return container().intake.accept(user.principal, event)


def show_refusal(form: FlaskForm, exc: Exception, fields: Mapping[str, str]) -> str:
    """Put a refusal's findings at the form's fields (``/data/...`` pointer → field name) and
    blank every refused field, so its value is not sent back. Returns the summary sentence."""
    put_at_fields(form, getattr(exc, "details", []) or [], fields)
    if isinstance(exc, ConsentError) and exc.code.startswith(_PRIVACY):
        return "Het bericht is niet verstuurd: het bevat gegevens die nooit gedeeld mogen worden."
    if isinstance(exc, InvalidMessage):
        return "Het bericht is niet verstuurd: " + (exc.message or "")
    return "Het bericht is niet verstuurd. " + getattr(exc, "message", "")


def put_at_fields(form: FlaskForm, details: Iterable[Mapping], fields: Mapping[str, str],
                  messages: Mapping[str, str] | None = None) -> bool:
    """Each finding of a refusal (``{field: pointer, rule}``) at its form field, in the
    sentence of ``messages`` or the common ones; a field with a privacy finding is blanked.
    True when any finding found its field."""
    placed, messages = False, messages or {}
    for detail in details:
        pointer, rule = detail.get("field") or "", detail.get("rule") or ""
        name = _field_for(pointer, fields)
        if name is None:
            continue
        placed = True
        field = form[name]
        message = FIELD_MESSAGES.get(rule) or messages.get(rule) or RULE_MESSAGES.get(rule) or \
            "Deze waarde wordt niet geaccepteerd."
        if message not in field.errors:
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
        if rule.startswith(_PRIVACY):
            field.data = "" if not isinstance(field.data, list) else []
            field.raw_data = []
    return placed


def refuse_bsn(form: FlaskForm, names: Iterable[str]) -> bool:
    """Screen free-text fields that no service screens (names) for a BSN: each finding at its
    field, the value blanked. True when one was found."""
    texts = {name: form[name].data for name in names if isinstance(form[name].data, str)}
    verdict = container().privacy_guard.scan(texts)
    found = [{"field": f.field, "rule": f.rule} for f in verdict.findings if f.rule == BSN_RULE]
    return put_at_fields(form, found, {f"/{name}": name for name in texts})


def _field_for(pointer: str, fields: Mapping[str, str]) -> str | None:
    best = None
    for prefix, name in fields.items():
        if (pointer == prefix or pointer.startswith(prefix + "/")) and \
                (best is None or len(prefix) > len(best[0])):
            best = (prefix, name)
    return best[1] if best else None
