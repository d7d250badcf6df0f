"""Beslissingen: every sharing decision about messages the privacy officer's organisation sent
or was to receive, with basis and reason, filtered on message, decision, basis and period.
Through ``DecisionService``, as ``/api/v1/decisions``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Blueprint, render_template, request, url_for

from hub.api.context import container
from hub.flows.calendar import AMSTERDAM
from hub.ports import DecisionFilter
from hub.web.beslissingen.forms import DecisionFilterForm
from hub.web.beslissingen.view import shown
from hub.web.events import refuse_bsn
from hub.web.session import current_user, login_required
from tenants.model import Role

blp = Blueprint("web_beslissingen", __name__)
PAGE = 50


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM)


@blp.route("/beslissingen", methods=["GET"])
@login_required(Role.PRIVACY_OFFICER)
def index() -> tuple[str, int]:
    form = DecisionFilterForm(request.args)
    rows, next_url, status = [], None, 200
    if refuse_bsn(form, ("bericht",)) or not form.validate():
        status = 422
    else:
        where = DecisionFilter(
            decision=form.besluit.data or None, basis=form.grondslag.data or None,
            since=_midnight(form.van.data) if form.van.data else None,
            before=_midnight(form.tot.data + timedelta(days=1)) if form.tot.data else None)
        page = container().decisions.list(
            current_user().principal, message_id=(form.bericht.data or "").strip() or None,
            after=request.args.get("na") or None, limit=PAGE, where=where)
        rows = shown(page.items)
        if page.next:
            args = {k: v for k, v in request.args.items() if k != "na"}
            next_url = url_for("web_beslissingen.index", **args, na=page.next)
    return render_template("web/beslissingen.html", title="Beslissingen", form=form, rows=rows,
                           next_url=next_url), status
