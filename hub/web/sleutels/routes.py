"""API-sleutels of an organisation (tenant admin; hub admin for any): the list with last use,
a new key whose secret is shown once on the page that issued it, and revoking. Through
``KeyService``, as the API."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, flash, redirect, render_template, url_for

from hub.api.context import container
from hub.flows.calendar import AMSTERDAM
from hub.web.beheer.common import ADMIN, all_pages, organisatie, shown_at_form
from hub.web.session import current_user, login_required
from hub.web.sleutels.forms import FIELDS, SleutelForm
from hub.web.tenants import tenant_name
from tenants.errors import KetenhubError
from tenants.model import ApiKey, Scope

blp = Blueprint("web_sleutels", __name__)



def _keys(tenant_id: str) -> list[ApiKey]:
    principal = current_user().principal
    keys = all_pages(lambda after: container().keys.list(principal, tenant_id, after=after,
                                                        limit=100))
    return sorted(keys, key=lambda k: k.created_at, reverse=True)


def _page(tenant_id: str, form: SleutelForm, problem: str | None = None,
          issued: dict | None = None, status: int = 200) -> tuple[str, int]:
    keys = _keys(tenant_id)  # first: another tenant's answers 404 before anything is shown
    return render_template("web/sleutels.html", title="API-sleutels", keys=keys, form=form,
                           problem=problem, issued=issued, tenant_id=tenant_id,
                           organisatie_naam=tenant_name(tenant_id),
                           now=container().clock()), status


@blp.route("/beheer/sleutels", methods=["GET", "POST"])
@login_required(*ADMIN)
def index() -> object:
    tenant_id = organisatie()
    form = SleutelForm()
    if not form.is_submitted():
        return _page(tenant_id, form)
    _keys(tenant_id)
    if not form.validate():
        return _page(tenant_id, form, status=422)
    expires = None
    if form.verloopt_op.data:  # valid through that day, Amsterdam time
        end = datetime.combine(form.verloopt_op.data + timedelta(days=1), time(), AMSTERDAM)
        expires = end.astimezone(UTC)
    try:
        key, secret = container().keys.issue(
            current_user().principal, tenant_id, name=form.naam.data,
            scopes=frozenset(Scope(s) for s in form.scopes.data), expires_at=expires)
    except KetenhubError as exc:
        problem = shown_at_form(exc, form, FIELDS)
        return _page(tenant_id, form, problem, status=422)
    return _page(tenant_id, SleutelForm(formdata=None),
                 issued={"name": key.name, "id": key.id, "secret": secret})


@blp.route("/beheer/sleutels/<key_id>/intrekken", methods=["POST"])
@login_required(*ADMIN)
def revoke(key_id: str) -> object:
    tenant_id = organisatie()
    key = container().keys.revoke(current_user().principal, tenant_id, key_id)
    flash(f"De sleutel {key.name} is ingetrokken; systemen die hem gebruiken krijgen geen "
          "toegang meer.")
    return redirect(url_for("web_sleutels.index", organisatie=tenant_id))
