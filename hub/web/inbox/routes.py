"""The inbox: what was delivered to the user's organisation, new and late first; the message
page (the e-mail link's target) with its actions. Every action goes through the services."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from consent.errors import ConsentError
from hub.api.context import container
from hub.errors import HubError
from hub.intake.catalogue import (
    REGIECHECK_VRAAG,
    SIGNAAL,
    SIGNAAL_REACTIE,
    TOEWIJZING,
    TOEWIJZING_REACTIE,
)
from hub.web.events import send, show_refusal
from hub.web.format import termijn
from hub.web.inbox.forms import AckForm, ReactieForm, ToewijzingForm
from hub.web.inbox.view import BASIS_LABELS, FILTERS, entries, ordered, row_of, type_label
from hub.web.session import current_user, login_required
from hub.web.tenants import is_meldpunt, tenant_name
from hub.web.zaken.forms import KoppelForm
from tenants.model import Role

blp = Blueprint("web_inbox", __name__)

MEDEWERKER = (Role.MEDEWERKER, Role.INBOX_USER)
_MAX_ITEMS = 500


@blp.route("/inbox", methods=["GET"])
@login_required(*MEDEWERKER)
def inbox() -> str:
    chosen = request.args.get("filter", "alles")
    if chosen not in dict(FILTERS):
        chosen = "alles"
    principal = current_user().principal
    items, cursor = [], None
    while len(items) < _MAX_ITEMS:
        page = container().deliveries.inbox(principal, after=cursor, limit=100,
                                            include_acknowledged=True)
        items += page.items
        cursor = page.next
        if cursor is None:
            break
    now = container().clock()
    rows = ordered([row_of(i, tenant_name(i["sender"]), now) for i in items], chosen)
    return render_template("web/inbox.html", title="Inbox", rows=rows, filters=FILTERS,
                           chosen=chosen)


def _item(delivery_id: str) -> dict:
    item = container().deliveries.inbox_item(current_user().principal, delivery_id)
    if item.get("event") is None:  # taken back (ingetrokken): its payload is no longer served
        abort(404)
    return item


@blp.route("/inbox/<delivery_id>", methods=["GET"])
@login_required(*MEDEWERKER)
def message(delivery_id: str) -> str:
    item = _item(delivery_id)
    return message_page(item)


def message_page(item: dict, reactie: ReactieForm | None = None,
                 toewijzing: ToewijzingForm | None = None, problem: str | None = None,
                 status: int = 200, koppel: KoppelForm | None = None) -> tuple[str, int]:
    """The message page of an inbox item, with the actions that fit its type."""
    now = container().clock()
    term, term_state = termijn(item["deadline"], now, met=item["status"] != "delivered")
    event = item["event"]
    message_type = event["type"]
    user = current_user()
    if toewijzing is None and message_type == TOEWIJZING:
        toewijzing = ToewijzingForm(contact_naam=user.user.name)
    return render_template(
        "web/message.html", title=type_label(message_type), item=item,
        type_label=type_label(message_type), sender=tenant_name(item["sender"]),
        basis=BASIS_LABELS.get(item["basis"], item["basis"]), entries=entries(event.get("data")),
        term=term, term_state=term_state, ack=AckForm(),
        reactie=(reactie or ReactieForm()) if message_type == SIGNAAL else None,
        toewijzing=toewijzing, problem=problem,
        koppel=(koppel or KoppelForm()) if message_type == SIGNAAL and is_meldpunt(
            user.user.tenant_id) else None,
        answer_url=url_for("web_regiechecks.answer",
                           regiecheck_id=event["data"]["regiecheck_id"])
        if message_type == REGIECHECK_VRAAG else None), status


@blp.route("/inbox/<delivery_id>/ontvangen", methods=["POST"])
@login_required(*MEDEWERKER)
def acknowledge(delivery_id: str) -> Response:
    container().deliveries.acknowledge(current_user().principal, delivery_id)
    flash("Het bericht is als ontvangen gemarkeerd.")
    return redirect(url_for("web_inbox.message", delivery_id=delivery_id))


@blp.route("/inbox/<delivery_id>/reactie", methods=["POST"])
@login_required(*MEDEWERKER)
def reageren(delivery_id: str) -> object:
    item = _item(delivery_id)
    if item["type"] != SIGNAAL:
        abort(404)
    form = ReactieForm()
    if not form.validate():
        return message_page(item, reactie=form, status=422)
    data = {"signaal_id": item["message_id"], "status": form.status.data}
    if (form.toelichting.data or "").strip():
        data["toelichting"] = form.toelichting.data.strip()
    try:
        send(current_user(), SIGNAAL_REACTIE, data)
    except (HubError, ConsentError) as exc:
        problem = show_refusal(form, exc, {"/data/toelichting": "toelichting",
                                           "/data/status": "status"})
        return message_page(item, reactie=form, problem=problem, status=422)
    if item["status"] == "delivered":
        container().deliveries.acknowledge(current_user().principal, delivery_id)
    flash("Uw reactie is verstuurd.")
    return redirect(url_for("web_inbox.message", delivery_id=delivery_id))


@blp.route("/inbox/<delivery_id>/toewijzing", methods=["POST"])
@login_required(*MEDEWERKER)
def toewijzing(delivery_id: str) -> object:
    item = _item(delivery_id)
    if item["type"] != TOEWIJZING:
        abort(404)
    form = ToewijzingForm()
    if not form.validate():
        return message_page(item, toewijzing=form, status=422)
    data: dict = {"zaak_kenmerk": item["event"]["data"]["zaak_kenmerk"],
                  "toewijzing_id": item["message_id"],
                  "geaccepteerd": form.besluit.data == "accepteren"}
    if data["geaccepteerd"] and (form.contact_naam.data or "").strip():
        data["contact"] = {"naam": form.contact_naam.data.strip()}
        if (form.contact_telefoon.data or "").strip():
            data["contact"]["telefoon"] = form.contact_telefoon.data.strip()
    if not data["geaccepteerd"] and (form.reden.data or "").strip():
        data["reden"] = form.reden.data.strip()
    try:
        send(current_user(), TOEWIJZING_REACTIE, data)
    except (HubError, ConsentError) as exc:
        problem = show_refusal(form, exc, {"/data/contact/naam": "contact_naam",
                                           "/data/contact/telefoon": "contact_telefoon",
                                           "/data/contact": "contact_naam",
                                           "/data/reden": "reden"})
        return message_page(item, toewijzing=form, problem=problem, status=422)
    if item["status"] == "delivered":
        container().deliveries.acknowledge(current_user().principal, delivery_id)
    flash("De toewijzing is geaccepteerd." if data["geaccepteerd"] else
          "De toewijzing is geweigerd.")
    return redirect(url_for("web_inbox.message", delivery_id=delivery_id))
