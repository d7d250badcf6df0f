"""Organisaties (hub admin): the tenants, a new one, suspend and activate. Through
``TenantService``, as the API."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from hub.api.context import container
from hub.web.beheer.common import all_pages, shown_at_form
from hub.web.organisaties.forms import FIELDS, KIND_LABELS, OrganisatieForm
from hub.web.session import current_user, login_required
from tenants.errors import KetenhubError
from tenants.model import Role, Tenant, TenantKind

blp = Blueprint("web_organisaties", __name__)



def _tenants() -> list[Tenant]:
    principal = current_user().principal
    tenants = all_pages(lambda after: container().tenants.list(principal, after=after,
                                                              limit=100))
    return sorted(tenants, key=lambda t: t.name.lower())


def _page(form: OrganisatieForm, problem: str | None = None, status: int = 200) -> tuple[str, int]:
    return render_template("web/organisaties.html", title="Organisaties", tenants=_tenants(),
                           form=form, problem=problem, kinds=KIND_LABELS), status


@blp.route("/beheer/organisaties", methods=["GET", "POST"])
@login_required(Role.HUB_ADMIN)
def index() -> object:
    form = OrganisatieForm()
    if not form.is_submitted():
        return _page(form)
    if not form.validate():
        return _page(form, status=422)
    try:
        tenant = container().tenants.create(
            current_user().principal, tenant_id=form.id.data.strip(), name=form.naam.data,
            kind=TenantKind(form.soort.data), kvk=_filled(form.kvk.data),
            oin=_filled(form.oin.data), alert_email=_filled(form.alert_email.data))
    except KetenhubError as exc:
        problem = shown_at_form(exc, form, FIELDS)
        return _page(form, problem, status=422)
    flash(f"De organisatie {tenant.name} is aangemaakt.")
    return redirect(url_for("web_organisaties.index"))


def _filled(value: str | None) -> str | None:
    return (value or "").strip() or None


@blp.route("/beheer/organisaties/<tenant_id>/schorsen", methods=["POST"])
@login_required(Role.HUB_ADMIN)
def suspend(tenant_id: str) -> object:
    tenant = container().tenants.suspend(current_user().principal, tenant_id)
    flash(f"{tenant.name} is geschorst: haar API-sleutels en koppelingen werken niet meer.")
    return redirect(url_for("web_organisaties.index"))


@blp.route("/beheer/organisaties/<tenant_id>/activeren", methods=["POST"])
@login_required(Role.HUB_ADMIN)
def activate(tenant_id: str) -> object:
    tenant = container().tenants.activate(current_user().principal, tenant_id)
    flash(f"{tenant.name} is weer actief.")
    return redirect(url_for("web_organisaties.index"))
