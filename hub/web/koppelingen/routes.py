"""Koppelingen (endpoints) of an organisation: the list, a new one (a webhook's signing secret
shown once), one koppeling with its change form (only what changed is sent, as a PATCH), a test
ping with its outcome, a new signing secret, and disabling. Through ``EndpointService``, as
the API."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, url_for

from hub.api.context import container
from hub.endpoints.model import Endpoint, EndpointChange
from hub.endpoints.service import masked
from hub.web.beheer.common import ADMIN, all_pages, organisatie, shown_at_form
from hub.web.inbox.view import type_label
from hub.web.koppelingen.forms import CONNECTOR_LABELS, FIELDS, KoppelingForm, WijzigForm
from hub.web.session import current_user, login_required
from hub.web.tenants import tenant_name
from tenants.errors import KetenhubError

blp = Blueprint("web_koppelingen", __name__)

OUTCOME_TEXT = {"success": "Gelukt: de ontvanger nam het testbericht aan.",
                "retryable": "Mislukt, tijdelijk: de ontvanger was niet bereikbaar of antwoordde "
                             "met een fout die een nieuwe poging waard is.",
                "permanent": "Mislukt: de ontvanger weigerde het testbericht."}
REASON_TEXT = {"disabled_by_admin": "uitgeschakeld door een beheerder",
               "gone": "uitgeschakeld: het adres bestaat niet meer (410)",
               "failing": "uitgeschakeld: faalde aanhoudend"}


def _endpoints(tenant_id: str) -> list[Endpoint]:
    principal = current_user().principal
    items = all_pages(lambda after: container().endpoints.list(principal, tenant_id,
                                                              after=after, limit=100))
    return sorted(items, key=lambda e: e.created_at)


def _render(template: str, **context: object) -> str:
    return render_template(template, connectors=CONNECTOR_LABELS, masked=masked,
                           types_text=_types_text, reason=lambda r: REASON_TEXT.get(r or "", r),
                           **context)


def _types_text(endpoint: Endpoint) -> str:
    return ", ".join(type_label(t) for t in endpoint.types) if endpoint.types else "alle"


def _list(tenant_id: str, form: KoppelingForm, problem: str | None = None,
          secret: str | None = None, status: int = 200) -> tuple[str, int]:
    endpoints = _endpoints(tenant_id)  # first: another tenant's answers 404
    return _render("web/koppelingen.html", title="Koppelingen", endpoints=endpoints, form=form,
                   problem=problem, secret=secret, tenant_id=tenant_id,
                   organisatie_naam=tenant_name(tenant_id)), status


@blp.route("/beheer/koppelingen", methods=["GET", "POST"])
@login_required(*ADMIN)
def index() -> object:
    tenant_id = organisatie()
    form = KoppelingForm()
    if not form.is_submitted():
        return _list(tenant_id, form)
    _endpoints(tenant_id)
    if not form.validate():
        return _list(tenant_id, form, status=422)
    try:
        endpoint, secret = container().endpoints.create(
            current_user().principal, tenant_id, connector=form.soort.data,
            config=form.config(form.soort.data), max_attempts=form.max_attempts.data,
            types=form.types.data or None)
    except KetenhubError as exc:
        problem = shown_at_form(exc, form, FIELDS)
        return _list(tenant_id, form, problem, status=422)
    if secret is None:
        flash("De koppeling is aangemaakt.")
        return redirect(url_for("web_koppelingen.endpoint", endpoint_id=endpoint.id,
                                organisatie=tenant_id))
    return _one(tenant_id, endpoint.id, secret=secret)


def _one(tenant_id: str, endpoint_id: str, form: WijzigForm | None = None,
         problem: str | None = None, secret: str | None = None, ping: dict | None = None,
         status: int = 200) -> tuple[str, int]:
    endpoint = container().endpoints.get(current_user().principal, tenant_id, endpoint_id)
    if form is None:
        form = WijzigForm(formdata=None)
        config = masked(endpoint)
        form.adres.data = config.get("url") or config.get("to") or ""
        form.exchange.data = config.get("exchange")
        form.routing_key.data = config.get("routing_key")
        form.timeout_s.data = config.get("timeout_s")
        form.types.data = list(endpoint.types or ())
        form.max_attempts.data = endpoint.max_attempts
    return _render("web/koppeling.html", title="Koppeling", endpoint=endpoint, form=form,
                   problem=problem, secret=secret, ping=ping, tenant_id=tenant_id,
                   organisatie_naam=tenant_name(tenant_id)), status


@blp.route("/beheer/koppelingen/<endpoint_id>", methods=["GET", "POST"])
@login_required(*ADMIN)
def endpoint(endpoint_id: str) -> object:
    tenant_id = organisatie()
    principal = current_user().principal
    current = container().endpoints.get(principal, tenant_id, endpoint_id)
    form = WijzigForm()
    if not form.is_submitted():
        return _one(tenant_id, endpoint_id)
    if not form.validate():
        return _one(tenant_id, endpoint_id, form, status=422)
    try:
        container().endpoints.change(principal, tenant_id, endpoint_id,
                                     _changes(current, form))
    except KetenhubError as exc:
        problem = shown_at_form(exc, form, FIELDS)
        return _one(tenant_id, endpoint_id, form, problem, status=422)
    flash("De koppeling is gewijzigd.")
    return redirect(url_for("web_koppelingen.endpoint", endpoint_id=endpoint_id,
                            organisatie=tenant_id))


def _changes(current: Endpoint, form: WijzigForm) -> EndpointChange:
    """Only what differs from the endpoint as it is (a PATCH): an untouched field is not
    sent, so a change made by someone else meanwhile to another field stays."""
    now = masked(current)
    wanted = form.config(current.connector)
    config = {k: v for k, v in wanted.items() if now.get(k) != v}
    for name in ("exchange", "routing_key"):
        if current.connector == "amqp" and name in now and name not in wanted:
            config[name] = None
    types = tuple(form.types.data) or None
    return EndpointChange(config=config, types=types, set_types=types != current.types,
                          max_attempts=form.max_attempts.data,
                          set_max_attempts=form.max_attempts.data != current.max_attempts)


@blp.route("/beheer/koppelingen/<endpoint_id>/test", methods=["POST"])
@login_required(*ADMIN)
def ping(endpoint_id: str) -> object:
    tenant_id = organisatie()
    result = container().endpoints.test(current_user().principal, tenant_id, endpoint_id)
    outcome = result.outcome.value
    return _one(tenant_id, endpoint_id, ping={
        "ok": outcome == "success", "text": OUTCOME_TEXT.get(outcome, outcome),
        "status": result.response_status, "duration_ms": result.duration_ms or None})


@blp.route("/beheer/koppelingen/<endpoint_id>/nieuw-geheim", methods=["POST"])
@login_required(*ADMIN)
def rotate(endpoint_id: str) -> object:
    tenant_id = organisatie()
    _, secret = container().endpoints.rotate_secret(current_user().principal, tenant_id,
                                                    endpoint_id, timedelta(hours=24))
    return _one(tenant_id, endpoint_id, secret=secret)


@blp.route("/beheer/koppelingen/<endpoint_id>/uitschakelen", methods=["POST"])
@login_required(*ADMIN)
def disable(endpoint_id: str) -> object:
    tenant_id = organisatie()
    container().endpoints.disable(current_user().principal, tenant_id, endpoint_id)
    flash("De koppeling is uitgeschakeld: nieuwe berichten gaan er niet meer heen.")
    return redirect(url_for("web_koppelingen.endpoint", endpoint_id=endpoint_id,
                            organisatie=tenant_id))
