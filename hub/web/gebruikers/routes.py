"""Gebruikers of an organisation (tenant admin; hub admin for any): the list with roles, a new
user with a one-time password shown once, and resetting a second factor. Through
``UserService`` and ``AccountService``, as the CLI ``ketenhub users``."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from hub.api.context import container
from hub.web.beheer.common import ADMIN, all_pages, organisatie, shown_at_form
from hub.web.gebruikers.forms import FIELDS, SHORT_ROLE, GebruikerForm
from hub.web.session import current_user, login_required
from hub.web.tenants import tenant_name
from tenants.errors import KetenhubError
from tenants.model import Role, User

blp = Blueprint("web_gebruikers", __name__)



def _users(tenant_id: str) -> list[User]:
    principal = current_user().principal
    users = all_pages(lambda after: container().users.list(principal, tenant_id, after=after,
                                                          limit=100))
    return sorted(users, key=lambda u: u.name.lower())


def _page(tenant_id: str, form: GebruikerForm, problem: str | None = None,
          created: dict | None = None, status: int = 200) -> tuple[str, int]:
    users = _users(tenant_id)  # first: another tenant's answers 404 before anything is shown
    return render_template("web/gebruikers.html", title="Gebruikers", users=users, form=form,
                           problem=problem, created=created, tenant_id=tenant_id,
                           organisatie_naam=tenant_name(tenant_id),
                           roles_of=lambda u: ", ".join(sorted({SHORT_ROLE[r] for r in u.roles}))
                           ), status


@blp.route("/beheer/gebruikers", methods=["GET", "POST"])
@login_required(*ADMIN)
def index() -> object:
    tenant_id = organisatie()
    form = GebruikerForm()
    if not form.is_submitted():
        return _page(tenant_id, form)
    _users(tenant_id)
    if not form.validate():
        return _page(tenant_id, form, status=422)
    principal, c = current_user().principal, container()
    password = secrets.token_urlsafe(12)
    try:
        c.accounts.check_new_login(form.gebruikersnaam.data, password)
        user = c.users.create(principal, tenant_id, email=form.email.data, name=form.naam.data,
                              roles=frozenset(Role(r) for r in form.rollen.data))
        c.accounts.set_login(principal, user.id, username=form.gebruikersnaam.data,
                             password=password)
    except KetenhubError as exc:
        problem = shown_at_form(exc, form, FIELDS)
        return _page(tenant_id, form, problem, status=422)
    created = {"name": user.name, "username": form.gebruikersnaam.data.strip().lower(),
               "password": password}
    return _page(tenant_id, GebruikerForm(formdata=None), created=created)


@blp.route("/beheer/gebruikers/<user_id>/tweede-factor", methods=["POST"])
@login_required(*ADMIN)
def reset_second_factor(user_id: str) -> object:
    tenant_id = organisatie()
    user = next((u for u in _users(tenant_id) if u.id == user_id), None)
    if user is None:
        abort(404)
    container().accounts.reset_second_factor(current_user().principal, user_id)
    flash(f"De tweede factor van {user.name} is verwijderd. Bij de volgende keer inloggen "
          "stelt de gebruiker een nieuwe in.")
    return redirect(url_for("web_gebruikers.index", organisatie=tenant_id))
