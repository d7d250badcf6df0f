"""Termijnen in the web: what runs and what ran late — the terms the user's organisation owes,
is owed, or watches as the area's meldpunt — late first. Through ``Termijnen.list``, as the API."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, render_template, request

from hub.api.context import container
from hub.web.format import werkdagen_over
from hub.web.session import current_user, login_required
from hub.web.tenants import tenant_name
from tenants.model import Role

blp = Blueprint("web_termijnen", __name__)

MEDEWERKER = (Role.MEDEWERKER, Role.INBOX_USER)
_MAX_ITEMS = 500

FLOW_LABELS = {
    "signaal_zorgaanbieder": "Signaal: klager benaderen",
    "toewijzing": "Toewijzing accepteren of weigeren",
    "regiecheck": "Regiecheck beantwoorden",
    "aanmelding": "Aanmelding in behandeling nemen",
    "toestemmingsverzoek": "Toestemmingsverzoek beantwoorden",
}
#: The filters on the page, with their labels; the key is the service's status (or all).
FILTERS = (("alles", "Alles"), ("verlopen", "Verlopen"), ("lopend", "Lopend"),
           ("gehaald", "Gehaald"))
_ORDER = {"verlopen": 0, "lopend": 1, "gehaald": 2}


@dataclass(frozen=True)
class TermijnRow:
    """One term on the page: who owes whom what, by when, and how it stands."""

    flow: str
    partij: str
    aan: str
    gestart_op: datetime
    deadline: datetime
    status: str
    text: str
    late: bool
    link: str | None
    owed_by_us: bool


def flow_label(flow: str) -> str:
    return FLOW_LABELS.get(flow, flow.replace("_", " ").capitalize())


def row_of(term: dict, tenant_id: str) -> TermijnRow:
    if term["status"] == "gehaald":
        text, state = "gehaald", "gehaald"
    elif term["werkdagen_over"] is None:
        text, state = "", ""
    else:
        text, state = werkdagen_over(term["werkdagen_over"])
        if term["status"] == "verlopen":
            state = "te_laat"
            if term["werkdagen_over"] >= 0:  # expired at the end of its last day
                text = "verlopen"
    owed_by_us = term["partij"] == tenant_id
    link = None
    if owed_by_us and term.get("delivery_id"):
        link = f"/inbox/{term['delivery_id']}"
    elif term["flow"] == "regiecheck" and owed_by_us:
        link = f"/regiechecks/{term['bericht_id']}/antwoord"
    elif term["flow"] == "regiecheck":
        link = f"/regiechecks/{term['bericht_id']}"
    elif term["aan"] == tenant_id:
        link = f"/berichten/{term['bericht_id']}"
    return TermijnRow(flow=flow_label(term["flow"]), partij=tenant_name(term["partij"]),
                      aan=tenant_name(term["aan"]), gestart_op=term["gestart_op"],
                      deadline=term["deadline"], status=term["status"], text=text,
                      late=state == "te_laat", link=link, owed_by_us=owed_by_us)


def all_terms(principal: object, status: str | None) -> list[dict]:
    items, cursor = [], None
    while len(items) < _MAX_ITEMS:
        page = container().termijnen.list(principal, status=status, after=cursor,  # type: ignore[arg-type]
                                          limit=100)
        items += page.items
        cursor = page.next
        if cursor is None:
            break
    return items


@blp.route("/termijnen", methods=["GET"])
@login_required(*MEDEWERKER)
def index() -> str:
    chosen = request.args.get("status", "alles")
    if chosen not in dict(FILTERS):
        chosen = "alles"
    user = current_user()
    terms = all_terms(user.principal, None if chosen == "alles" else chosen)
    rows = sorted((row_of(t, user.user.tenant_id) for t in terms),
                  key=lambda r: (_ORDER.get(r.status, 3), r.deadline))
    per_partner = Counter((r.partij, r.flow, r.status) for r in rows)
    summary = sorted({(p, f) for p, f, _ in per_partner})
    return render_template("web/termijnen.html", title="Termijnen", rows=rows, filters=FILTERS,
                           chosen=chosen, summary=[
                               (p, f, per_partner[(p, f, "lopend")],
                                per_partner[(p, f, "verlopen")], per_partner[(p, f, "gehaald")])
                               for p, f in summary])
