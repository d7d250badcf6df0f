"""Nieuw bericht for the meldpunt (WEB.md): the choice of message, and the urgent form. The
urgent goes through the intake like the API's, so the guard, the policy and the audit apply."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from consent.errors import ConsentError
from hub.errors import HubError
from hub.intake.catalogue import URGENT
from hub.web.berichten.forms import URGENT_FIELDS, UrgentForm
from hub.web.events import send, show_refusal
from hub.web.session import current_user, login_required
from hub.web.tenants import is_meldpunt
from tenants.model import Role

blp = Blueprint("web_berichten", __name__)

MEDEWERKER = (Role.MEDEWERKER, Role.INBOX_USER)


def _meldpunt() -> None:
    if not is_meldpunt(current_user().user.tenant_id):
        abort(403)


@blp.route("/nieuw-bericht", methods=["GET"])
@login_required(*MEDEWERKER)
def choose() -> str:
    """Which message to send: a signaal, an urgent one; toewijzing and afsluiting via a zaak."""
    _meldpunt()
    return render_template("web/bericht_kiezen.html", title="Nieuw bericht")


@blp.route("/urgent/nieuw", methods=["GET", "POST"])
@login_required(*MEDEWERKER)
def urgent() -> object:
    """An extreme situation: GGD Vangnet & Advies and politie at once (seed 000 step 5)."""
    _meldpunt()
    form = UrgentForm()
    problem, status = None, 200
    if form.is_submitted():
        if form.validate():
            try:
                result = send(current_user(), URGENT, form.data_for_event())
            except (HubError, ConsentError) as exc:
                problem = show_refusal(form, exc, URGENT_FIELDS)
            else:
                flash("Het urgente bericht is verstuurd.")
                return redirect(url_for("web_signalen.sent", message_id=result.answer["id"]))
        status = 422
    return render_template("web/urgent_new.html", title="Urgent bericht", form=form,
                           problem=problem), status
