"""Regiechecks in the web: a meldpunt starts one and follows the board; an asked partner
answers (bekend with a contact, or onbekend). Through ``RegiecheckService``, as the API."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from consent.errors import ConsentError
from hub.api.context import container
from hub.errors import HubError
from hub.flows.regiecheck.errors import AlleenMeldpunt, GeenNetwerk
from hub.web.events import show_refusal
from hub.web.format import termijn_met_status
from hub.web.regiechecks.forms import ANSWER_FIELDS, FIELDS, AnswerForm, StartForm
from hub.web.session import current_user, login_required
from hub.web.tenants import is_meldpunt
from hub.web.tenants import tenant_name as _name
from tenants.model import Role

blp = Blueprint("web_regiechecks", __name__)

MEDEWERKER = (Role.MEDEWERKER, Role.INBOX_USER)
STATUS_LABELS = {"open": "loopt", "compleet": "compleet", "verlopen": "verlopen",
                 "gevraagd": "gevraagd", "bekend": "bekend", "onbekend": "niet bekend"}


def _all(list_page: object, principal: object) -> list[dict]:
    items, cursor = [], None
    while len(items) < 500:
        page = list_page(principal, status=None, after=cursor, limit=100)  # type: ignore[operator]
        items += page.items
        cursor = page.next
        if cursor is None:
            break
    return items


def _term(item: dict, done: bool) -> tuple[str, str]:
    """An asked partner's (or a check's) term, by its ``termijn_status`` where given."""
    return termijn_met_status(item["deadline"], container().clock(), item.get("termijn_status"),
                              met=done, answered=item.get("answered_at") is not None)


@blp.route("/regiechecks", methods=["GET"])
@login_required(*MEDEWERKER)
def index() -> object:
    user = current_user()
    if not is_meldpunt(user.user.tenant_id):
        return redirect(url_for("web_regiechecks.gevraagd"))
    checks = _all(container().regiechecks.list_asked, user.principal)
    rows = [{"id": c["id"], "created_at": c["created_at"], "soort": c["soort"].replace("_", " "),
             "status": STATUS_LABELS.get(c["status"], c["status"]),
             "answered": sum(p["status"] in ("bekend", "onbekend") for p in c["partners"]),
             "asked": len(c["partners"]),
             "term": _term({"deadline": c["deadline"]}, c["status"] != "open")}
            for c in sorted(checks, key=lambda c: c["created_at"], reverse=True)]
    return render_template("web/regiechecks.html", title="Regiechecks", rows=rows)


@blp.route("/regiechecks/nieuw", methods=["GET", "POST"])
@login_required(*MEDEWERKER)
def start() -> object:
    user = current_user()
    if not is_meldpunt(user.user.tenant_id):
        abort(403)
    try:
        choices = container().regiechecks.partner_choices(user.principal)
    except (GeenNetwerk, AlleenMeldpunt) as exc:
        return render_template("web/error.html", title="Geen regiecheck mogelijk",
                               text=exc.message), 409
    form = StartForm()
    form.partners.choices = [(t, _name(t) + ("" if standard else " (per geval)"))
                             for t, standard in choices]
    problem = None
    status = 200
    if not form.is_submitted():
        form.partners.data = [t for t, standard in choices if standard]
        form.zaak_kenmerk.data = request.args.get("zaak", "")[:64]
    elif form.validate():
        try:
            created = container().regiechecks.create(user.principal, form.request_body())
        except (HubError, ConsentError) as exc:
            problem = show_refusal(form, exc, FIELDS)
            status = 422
        else:
            flash("De regiecheck is gestart: de partners zijn gevraagd.")
            return redirect(url_for("web_regiechecks.board", regiecheck_id=created.view["id"]))
    else:
        status = 422
    return render_template("web/regiecheck_new.html", title="Nieuwe regiecheck", form=form,
                           problem=problem), status


@blp.route("/regiechecks/<regiecheck_id>", methods=["GET"])
@login_required(*MEDEWERKER)
def board(regiecheck_id: str) -> str:
    check = container().regiechecks.get(current_user().principal, regiecheck_id)
    partners = [{**p, "name": _name(p["tenant"]),
                 "status_label": STATUS_LABELS.get(p["status"], p["status"]),
                 "term": _term(p, p["status"] != "gevraagd")}
                for p in check["partners"]]
    return render_template("web/regiecheck_board.html", title="Regiecheck", check=check,
                           partners=partners,
                           status=STATUS_LABELS.get(check["status"], check["status"]))


@blp.route("/regiechecks/gevraagd", methods=["GET"])
@login_required(*MEDEWERKER)
def gevraagd() -> str:
    checks = _all(container().regiechecks.list_gevraagd, current_user().principal)
    rows = [{"id": c["id"], "from": _name(c["gevraagd_door"]), "created_at": c["created_at"],
             "status": STATUS_LABELS.get(c["status"], c["status"]),
             "open": c["status"] == "gevraagd",
             "term": _term(c, c["status"] != "gevraagd")}
            for c in sorted(checks, key=lambda c: (c["status"] != "gevraagd", c["deadline"]))]
    return render_template("web/regiechecks_gevraagd.html", title="Gevraagde regiechecks",
                           rows=rows)


def _asked(regiecheck_id: str) -> dict:
    for c in _all(container().regiechecks.list_gevraagd, current_user().principal):
        if c["id"] == regiecheck_id:
            return c
    abort(404)


@blp.route("/regiechecks/<regiecheck_id>/antwoord", methods=["GET", "POST"])
@login_required(*MEDEWERKER)
def answer(regiecheck_id: str) -> object:
    check = _asked(regiecheck_id)
    form = AnswerForm()
    if not form.is_submitted():
        form.naam.data = g.user.user.name
    problem, status = None, 200
    if form.is_submitted():
        status = 422
        if check["status"] != "gevraagd":
            problem = "Deze regiecheck is al beantwoord of verlopen."
        elif form.validate():
            try:
                container().regiechecks.answer(current_user().principal, regiecheck_id,
                                               form.answer_body())
            except (HubError, ConsentError) as exc:
                problem = show_refusal(form, exc, ANSWER_FIELDS)
            else:
                flash("Uw antwoord is verstuurd.")
                return redirect(url_for("web_regiechecks.gevraagd"))
    return render_template("web/regiecheck_answer.html", title="Regiecheck beantwoorden",
                           check=check, asker=check["gevraagd_door"] and _name(
                               check["gevraagd_door"]), form=form, problem=problem,
                           term=_term(check, check["status"] != "gevraagd")), status
