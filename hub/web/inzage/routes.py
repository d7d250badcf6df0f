"""Inzage: the privacy officer enters a person (a POST: no identity in a URL or an access log)
and gets the report of ``POST /api/v1/inzage`` as a printable page, or as a PDF. Through
``InzageService``, which audits each inzage with the person's pseudonym."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, Response, render_template

from hub.api.context import container
from hub.errors import InvalidMessage
from hub.inzage.service import AdresPeriode
from hub.web.beslissingen.view import DECISION_LABELS, reason_text
from hub.web.events import put_at_fields, refuse_bsn
from hub.web.inbox.view import BASIS_LABELS, type_label
from hub.web.inzage.forms import FIELDS, TEXT_FIELDS, InzageForm
from hub.web.inzage.pdf import pdf_of
from hub.web.session import current_user, login_required
from hub.web.signalen.routes import STATUS_LABELS
from hub.web.tenants import tenant_name
from tenants.model import Role

blp = Blueprint("web_inzage", __name__)

VIA_LABELS = {"persoon": "het bericht noemt de persoon",
              "toestemming": "gedeeld op toestemming van de persoon",
              "zaak": "in de zaak van een bericht over de persoon",
              "adres": "over het adres waar de persoon stond ingeschreven"}
STATE_LABELS = {"bewaard": "bewaard", "vernietigd": "vernietigd"}
DELIVERY_LABELS = {**STATUS_LABELS, "ingetrokken": "ingetrokken", "vernietigd": "vernietigd"}


@dataclass(frozen=True)
class Report:
    """The service's report, in the page's words."""

    subject_ref: str | None
    generated_at: datetime
    messages: list[dict]


def _report(form: InzageForm) -> Report:
    adres = form.adres()
    periods = [AdresPeriode(adres, form.van.data, form.tot.data)] if adres else []
    raw = container().inzage.report(current_user().principal, form.persoon(), periods)
    messages = [{**m, "type_label": type_label(m["type"]), "sender_name": tenant_name(m["sender"]),
                 "via_label": VIA_LABELS.get(m["via"], m["via"]),
                 "basis_label": BASIS_LABELS.get(m["basis"] or "", m["basis"] or "geen"),
                 "state_label": STATE_LABELS.get(m["status"], m["status"]),
                 "recipients": [{**r, "name": tenant_name(r["recipient"]),
                                 "decision_label": DECISION_LABELS.get(r["decision"], ""),
                                 "basis_label": BASIS_LABELS.get(r["basis"] or "", "geen"),
                                 "reason_label": reason_text(r["reason"]),
                                 "status_label": DELIVERY_LABELS.get(r["status"], r["status"])}
                                for r in m["recipients"]]}
                for m in raw["messages"]]
    return Report(raw["subject_ref"], raw["generated_at"], messages)


def _asked(form: InzageForm) -> Report | None:
    """The report for a valid form; None (with the findings at their fields) otherwise."""
    if not form.is_submitted():
        return None
    valid = form.validate()
    if refuse_bsn(form, TEXT_FIELDS) or not valid:
        return None
    try:
        return _report(form)
    except InvalidMessage as exc:
        put_at_fields(form, exc.details or [], FIELDS)
        return None


@blp.route("/inzage", methods=["GET", "POST"])
@login_required(Role.PRIVACY_OFFICER)
def index() -> tuple[str, int]:
    form = InzageForm()
    report = _asked(form)
    if report is None:
        status = 422 if form.is_submitted() else 200
        return render_template("web/inzage.html", title="Inzage", form=form), status
    return render_template("web/inzage_report.html", title="Inzage: rapport", form=form,
                           report=report, organisation=tenant_name(current_user().user.tenant_id)
                           ), 200


@blp.route("/inzage/pdf", methods=["POST"])
@login_required(Role.PRIVACY_OFFICER)
def pdf() -> Response | tuple[str, int]:
    form = InzageForm()
    report = _asked(form)
    if report is None:
        return render_template("web/inzage.html", title="Inzage", form=form), 422
    html = render_template("web/inzage_pdf.html", title="Inzage", form=form, report=report,
                           organisation=tenant_name(current_user().user.tenant_id))
    return Response(pdf_of(html), mimetype="application/pdf", headers={
        "Content-Disposition": 'attachment; filename="inzage.pdf"', "Cache-Control": "no-store"})
