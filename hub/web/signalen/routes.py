"""Nieuw signaal: a form for corporaties, zorgaanbieders and the other partners; the sender's
view of a sent message (per recipient the decision and the delivery status)."""

from __future__ import annotations

import secrets

from flask import Blueprint, flash, redirect, render_template, url_for

from consent.errors import ConsentError
from hub.api.context import container
from hub.errors import HubError
from hub.intake.catalogue import SIGNAAL
from hub.web.events import send, show_refusal
from hub.web.inbox.view import BASIS_LABELS, type_label
from hub.web.session import current_user, login_required
from hub.web.signalen.forms import FIELDS, SignaalForm
from tenants.model import Role

blp = Blueprint("web_signalen", __name__)

MEDEWERKER = (Role.MEDEWERKER, Role.INBOX_USER)
_KENMERK_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
STATUS_LABELS = {"pending": "wordt afgeleverd", "delivered": "afgeleverd",
                 "acknowledged": "ontvangen", "retrying": "nieuwe poging volgt",
                 "dead": "niet afgeleverd", "blocked": "tegengehouden", None: "niet verstuurd"}


@blp.route("/signalen/nieuw", methods=["GET", "POST"])
@login_required(*MEDEWERKER)
def new() -> object:
    form = SignaalForm()
    problem = None
    if form.is_submitted():
        if form.validate():
            try:
                result = send(current_user(), SIGNAAL, form.data_for_event())
            except (HubError, ConsentError) as exc:
                problem = show_refusal(form, exc, FIELDS)
            else:
                flash("Het signaal is verstuurd.")
                return redirect(url_for("web_signalen.sent", message_id=result.answer["id"]))
        status = 422
    else:
        # Letters only: a run of 8 or 9 random digits could pass the 11-proof (a BSN).
        form.kenmerk_afzender.data = "WEB-" + "".join(secrets.choice(_KENMERK_LETTERS)
                                                     for _ in range(8))
        status = 200
    return render_template("web/signaal_new.html", title="Nieuw signaal", form=form,
                           problem=problem), status


@blp.route("/berichten/<message_id>", methods=["GET"])
@login_required(*MEDEWERKER)
def sent(message_id: str) -> str:
    status = container().deliveries.message_status(current_user().principal, message_id)
    snapshot = container().directory.snapshot()
    recipients = []
    for d in status["deliveries"]:
        if d.get("connector") not in (None, "inbox"):
            continue  # one row per recipient: its inbox, or the refusal
        tenant = snapshot.tenant(d["recipient"])
        recipients.append({"name": tenant.name if tenant else d["recipient"],
                           "decision": "toegestaan" if d["decision"] == "permit" else "geweigerd",
                           "basis": BASIS_LABELS.get(d["basis"] or "", d["basis"] or ""),
                           "status": STATUS_LABELS.get(d["status"], d["status"]),
                           "acknowledged_at": d.get("acknowledged_at")})
    return render_template("web/sent.html", title="Verstuurd bericht", status=status,
                           type_label=type_label(status["type"]), recipients=recipients)
