"""Logging in (username + password, then the TOTP second factor where needed) and out."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from hub.api.context import container
from hub.api.ratelimit import count_failed_authentication
from hub.web.auth.forms import LoginForm, SecondFactorForm
from hub.web.session import TOKEN_KEY, login_required, safe_next
from tenants.accounts import Stage, is_medewerker
from tenants.errors import AccountLocked, LoginFailed, WrongSecondFactor
from tenants.passwords import new_totp_secret, provisioning_uri

blp = Blueprint("web_auth", __name__)

_ENROL_KEY = "totp_nieuw"


@blp.route("/", methods=["GET"])
@login_required()
def index() -> object:
    """The inbox for a medewerker; for other roles a start page with their menu."""
    user = g.user
    if is_medewerker(user.roles) or user.is_hub_admin:
        return redirect(url_for("web_inbox.inbox"))
    return render_template("web/home.html", title="Startpagina")


@blp.route("/login", methods=["GET", "POST"])
def login() -> object:
    form = LoginForm(volgende=request.args.get("volgende", ""))
    problem = None
    if g.get("user") is not None and request.method == "GET":
        return redirect(safe_next(form.volgende.data) or url_for("web_auth.index"))
    if form.validate_on_submit():
        try:
            result = container().accounts.login(form.username.data, form.password.data)
        except (LoginFailed, AccountLocked) as exc:
            count_failed_authentication()
            problem = exc.message
        else:
            session.clear()  # a fresh session: nothing of the anonymous one carries over
            session.permanent = True
            session[TOKEN_KEY] = result.token
            target = safe_next(form.volgende.data)
            if result.stage is Stage.COMPLETE:
                return redirect(target or url_for("web_auth.index"))
            return redirect(url_for("web_auth.second_factor", volgende=target))
    form.password.data = ""
    return render_template("web/login.html", title="Inloggen", form=form, problem=problem)


@blp.route("/login/tweede-factor", methods=["GET", "POST"])
def second_factor() -> object:
    token = session.get(TOKEN_KEY)
    pending = container().accounts.pending(token) if token else None
    if pending is None:
        return redirect(url_for("web_auth.login"))
    user, enrol = pending
    form = SecondFactorForm(volgende=request.args.get("volgende", ""))
    secret = None
    if enrol:
        secret = session.get(_ENROL_KEY) or new_totp_secret()
        session[_ENROL_KEY] = secret
    problem = None
    if form.validate_on_submit():
        try:
            if enrol:
                container().accounts.enrol_second_factor(token, secret, form.code.data)
            else:
                container().accounts.second_factor(token, form.code.data)
        except WrongSecondFactor as exc:
            count_failed_authentication()
            form.code.errors = [exc.message]
        except (AccountLocked, LoginFailed) as exc:
            count_failed_authentication()
            session.clear()
            problem = exc.message
        else:
            session.pop(_ENROL_KEY, None)
            return redirect(safe_next(form.volgende.data) or url_for("web_auth.index"))
    form.code.data = ""
    return render_template("web/second_factor.html", title="Tweede stap van het inloggen",
                           form=form, secret=secret, problem=problem,
                           uri=provisioning_uri(secret, user.email) if secret else None)


@blp.route("/logout", methods=["POST"])
def logout() -> Response:
    token = session.get(TOKEN_KEY)
    if token:
        container().accounts.logout(token)
    session.clear()
    flash("U bent uitgelogd.")
    return redirect(url_for("web_auth.login"))
