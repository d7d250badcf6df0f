"""Mislukte berichten: dead deliveries of the organisation (a hub admin: of all), each with its
attempt log, offered again one by one or as a window of creation days. Through
``DeliveryService``, as the API; each redrive is decided afresh by the policy."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for

from hub.api.context import container
from hub.delivery.model import DeliveryStatus
from hub.flows.calendar import AMSTERDAM
from hub.web.beheer.common import ADMIN
from hub.web.mislukt.forms import VensterForm
from hub.web.session import current_user, login_required
from hub.web.tenants import tenant_name

blp = Blueprint("web_mislukt", __name__)

_SHOWN = 200
#: The filter: what failed for good (to redrive), what is still being retried, what the policy
#: re-check held back.
FILTERS = (("dead", "Niet afgeleverd"), ("retrying", "Nieuwe poging volgt"),
           ("blocked", "Tegengehouden"))
OUTCOME_TEXT = {"success": "gelukt", "retryable": "mislukt, nieuwe poging",
                "permanent": "mislukt, definitief", "blocked": "tegengehouden"}


def _page(form: VensterForm, status: int = 200) -> tuple[str, int]:
    chosen = request.args.get("status", "dead")
    if chosen not in dict(FILTERS):
        chosen = "dead"
    rows = container().deliveries.list_by_status(current_user().principal,
                                                 DeliveryStatus(chosen), limit=_SHOWN).items
    return render_template("web/mislukt.html", title="Mislukte berichten", dead=rows,
                           form=form, name_of=tenant_name, filters=FILTERS, chosen=chosen,
                           chosen_label=dict(FILTERS)[chosen]), status


@blp.route("/beheer/mislukte-berichten", methods=["GET", "POST"])
@login_required(*ADMIN)
def index() -> object:
    form = VensterForm()
    if not form.is_submitted():
        return _page(form)
    if not form.validate():
        return _page(form, status=422)
    start = datetime.combine(form.van.data, time(), AMSTERDAM)
    end = datetime.combine(form.tot.data + timedelta(days=1), time(), AMSTERDAM)
    counts = container().deliveries.redrive_window(current_user().principal,
                                                   created_from=start, created_to=end)
    flash(f"{counts['redriven']} bericht(en) opnieuw aangeboden"
          + (f", {counts['blocked']} tegengehouden door de toetsing." if counts.get("blocked")
             else "."))
    return redirect(url_for("web_mislukt.index"))


@blp.route("/beheer/mislukte-berichten/<delivery_id>", methods=["GET"])
@login_required(*ADMIN)
def attempts(delivery_id: str) -> str:
    items = container().deliveries.attempts(current_user().principal, delivery_id)
    return render_template("web/pogingen.html", title="Pogingen van een aflevering",
                           delivery_id=delivery_id, attempts=items,
                           outcome=lambda o: OUTCOME_TEXT.get(o.value, o.value))


@blp.route("/beheer/mislukte-berichten/<delivery_id>/opnieuw", methods=["POST"])
@login_required(*ADMIN)
def redrive(delivery_id: str) -> object:
    d = container().deliveries.redrive(current_user().principal, delivery_id)
    flash("Het bericht is opnieuw aangeboden." if d.status is not DeliveryStatus.BLOCKED else
          "Het bericht is tegengehouden door de toetsing en niet opnieuw aangeboden.")
    return redirect(url_for("web_mislukt.index"))
