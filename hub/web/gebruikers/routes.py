"""Gebruikers of an organisation (tenant admin; hub admin for any): the list with roles and
whether each has a second factor, a new user with a one-time password shown once, an existing
user's roles changed, and resetting a second factor. Through ``UserService`` and
``AccountService``, as the CLI ``ketenhub users``."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from hub.api.context import container
from hub.web.beheer.common import ADMIN, all_pages, organisatie, shown_at_form
from hub.web.gebruikers.forms import FIELDS, ROLE_LABELS, SHORT_ROLE, GebruikerForm, RollenForm
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
    second = container().accounts.with_second_factor(current_user().principal, tenant_id)
    return render_template("web/gebruikers.html", title="Gebruikers", users=users, form=form,
                           problem=problem, created=created, tenant_id=tenant_id,
                           second_factor=second,
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
    user = _user_of(tenant_id, user_id)
    container().accounts.reset_second_factor(current_user().principal, user_id)
    flash(f"De tweede factor van {user.name} is verwijderd. Bij de volgende keer inloggen "
          "stelt de gebruiker een nieuwe in.")
    return redirect(url_for("web_gebruikers.index", organisatie=tenant_id))


def _user_of(tenant_id: str, user_id: str) -> User:
    user = next((u for u in _users(tenant_id) if u.id == user_id), None)
    if user is None:
        abort(404)
    return user


@blp.route("/beheer/gebruikers/<user_id>/rollen", methods=["GET", "POST"])
@login_required(*ADMIN)
def roles(user_id: str) -> object:
    tenant_id = organisatie()
    user = _user_of(tenant_id, user_id)
    form = RollenForm()
    problem, status = None, 200
    if not form.is_submitted():
        form = RollenForm(formdata=None, rollen=sorted(r.value for r in user.roles))
    elif not form.validate():
        status = 422
    else:
        kept = user.roles - set(ROLE_LABELS)  # roles this form does not offer stay as they are
        chosen = frozenset(Role(r) for r in form.rollen.data) | kept
        try:
            container().users.set_roles(current_user().principal, user.id, chosen)
        except KetenhubError as exc:
            problem, status = shown_at_form(exc, form, FIELDS), 422
        else:
            flash(f"De rollen van {user.name} zijn gewijzigd. Met de nieuwe rollen logt de "
                  "gebruiker opnieuw in.")
            return redirect(url_for("web_gebruikers.index", organisatie=tenant_id))
    return render_template("web/gebruiker_rollen.html", title=f"Rollen van {user.name}",
                           member=user, form=form, problem=problem, tenant_id=tenant_id), status
