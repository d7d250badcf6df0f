"""Logboek: the processing log of the privacy officer's organisation, in chain order, with the
chain's verification and the retention status. Through ``AuditLog`` and ``RetentionService``,
as ``/api/v1/audit``, ``/api/v1/audit/verify`` and ``/api/v1/admin/retention``."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from hub.api.context import container
from hub.web.logboek.forms import ACTIVITY_LABELS, LogFilterForm
from hub.web.session import current_user, login_required
from tenants.model import Role

blp = Blueprint("web_logboek", __name__)
PAGE = 50
RUN_LABELS = {"running": "bezig", "ok": "geslaagd", "failed": "mislukt"}


@blp.route("/logboek", methods=["GET"])
@login_required(Role.PRIVACY_OFFICER)
def index() -> tuple[str, int]:
    form = LogFilterForm(request.args)
    principal = current_user().principal
    if not form.validate():
        form.activiteit.data = ""
    page = container().audit.list(principal, after=request.args.get("na") or None, limit=PAGE,
                                  activity=form.activiteit.data or None)
    next_url = url_for("web_logboek.index", activiteit=form.activiteit.data or None,
                       na=page.next) if page.next else None
    return render_template("web/logboek.html", title="Logboek", form=form, entries=page.items,
                           next_url=next_url, verification=container().audit.verify(),
                           retention=container().retention.overview(principal),
                           labels=dict(ACTIVITY_LABELS), run_labels=RUN_LABELS), 200
