"""Zaken in the web, for the meldpunt: the list (open / gesloten), one zaak's timeline with
the toewijzingsadvies, and its actions (toewijzen, afsluiten); registering a received signaal
under a zaak. Through ``ZaakService`` and the intake, as the API."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from consent.errors import ConsentError
from hub.api.context import container
from hub.errors import HubError
from hub.flows.zaken.model import ZaakStatus, ZaakView
from hub.intake.catalogue import AFSLUITING, SIGNAAL, TOEWIJZING
from hub.web.events import send, show_refusal
from hub.web.inbox.routes import message_page
from hub.web.session import current_user, login_required
from hub.web.tenants import is_meldpunt, tenant_name
from hub.web.zaken.forms import (
    AFSLUITEN_FIELDS,
    REDEN_LABELS,
    TOEWIJZEN_FIELDS,
    AfsluitenForm,
    KoppelForm,
    ToewijzenForm,
)
from hub.web.zaken.view import advies_of, timeline
from tenants.model import Role

blp = Blueprint("web_zaken", __name__)

MEDEWERKER = (Role.MEDEWERKER, Role.INBOX_USER)
FILTERS = (("open", "Open"), ("gesloten", "Gesloten"), ("alles", "Alles"))
_MAX_ITEMS = 500


def _meldpunt() -> None:
    if not is_meldpunt(current_user().user.tenant_id):
        abort(403)


@blp.route("/zaken", methods=["GET"])
@login_required(*MEDEWERKER)
def index() -> str:
    _meldpunt()
    chosen = request.args.get("status", "open")
    if chosen not in dict(FILTERS):
        chosen = "open"
    principal = current_user().principal
    zaken, cursor = [], None
    while len(zaken) < _MAX_ITEMS:
        page = container().zaken.list(principal, status=None if chosen == "alles" else chosen,
                                      after=cursor, limit=100)
        zaken += page.items
        cursor = page.next
        if cursor is None:
            break
    return render_template("web/zaken.html", title="Zaken", zaken=zaken, filters=FILTERS,
                           chosen=chosen, reden=_reden)


def _reden(code: str | None) -> str:
    return REDEN_LABELS.get(code or "", (code or "").replace("_", " ")).lower()


def _partner_choices(meldpunt: str, view: ZaakView) -> list[tuple[str, str]]:
    """The advies first (with its categorieen), then every other party of the meldpunt's
    networks, by name."""
    snapshot = container().directory.snapshot()
    advised: dict[str, list[str]] = {}
    for a in view.advies:
        for tenant_id in a.partners:
            advised.setdefault(tenant_id, []).append(a.categorie.replace("_", " "))
    others: set[str] = set()
    today = container().clock().date()
    for network_id in snapshot.networks_of(meldpunt, today):
        network = next(n for n in snapshot.networks if n.id == network_id)
        others |= {p.tenant_id for p in network.parties if p.holds_on(today)}
    others -= {meldpunt, *advised}
    return [("", "Kies een partner")] + [
        (t, f"{tenant_name(t)} (advies: {', '.join(c)})") for t, c in advised.items()] + \
        sorted(((t, tenant_name(t)) for t in others), key=lambda c: c[1].lower())


def _page(kenmerk: str, toewijzen: ToewijzenForm | None = None,
          afsluiten: AfsluitenForm | None = None, problem: str | None = None,
          status: int = 200) -> tuple[str, int]:
    user = current_user()
    view = container().zaken.view(user.principal, kenmerk)
    tenant = user.user.tenant_id
    toewijzen = toewijzen or ToewijzenForm(prefix="toewijzen")
    toewijzen.aan.choices = _partner_choices(tenant, view)
    return render_template(
        "web/zaak.html", title=f"Zaak {view.zaak.kenmerk}", zaak=view.zaak,
        open=view.zaak.status is ZaakStatus.OPEN,
        categorieen=[c.replace("_", " ") for c in view.categorieen], advies=advies_of(view),
        entries=timeline(view, container().clock(), tenant), toewijzen=toewijzen,
        afsluiten=afsluiten or AfsluitenForm(prefix="afsluiten"), problem=problem,
        reden=_reden(view.zaak.reden_afsluiting)), status


@blp.route("/zaken/<path:kenmerk>", methods=["GET"])
@login_required(*MEDEWERKER)
def zaak(kenmerk: str) -> object:
    _meldpunt()
    return _page(kenmerk)


def _send(view: ZaakView, slot: str, form: FlaskForm, message_type: str, data: dict,
          fields: dict[str, str], done: str) -> object:
    """Send ``message_type`` on the zaak as the user's organisation through the intake; a
    refusal is shown at the form's fields (``slot`` names the form on the zaak page)."""
    kenmerk = view.zaak.kenmerk
    data = {"zaak_kenmerk": kenmerk, **data}
    if (form.toelichting.data or "").strip():
        data["toelichting"] = form.toelichting.data.strip()
    try:
        send(current_user(), message_type, data)
    except (HubError, ConsentError) as exc:
        problem = show_refusal(form, exc, fields)
        return _page(kenmerk, problem=problem, status=422, **{slot: form})
    flash(done)
    return redirect(url_for("web_zaken.zaak", kenmerk=kenmerk))


@blp.route("/zaken/<path:kenmerk>/toewijzen", methods=["POST"])
@login_required(*MEDEWERKER)
def toewijzen(kenmerk: str) -> object:
    _meldpunt()
    view = container().zaken.view(current_user().principal, kenmerk)  # 404 for no such zaak
    form = ToewijzenForm(prefix="toewijzen")
    form.aan.choices = _partner_choices(current_user().user.tenant_id, view)
    if not form.validate():
        return _page(kenmerk, toewijzen=form, status=422)
    return _send(view, "toewijzen", form, TOEWIJZING, {"aan": form.aan.data}, TOEWIJZEN_FIELDS,
                 f"De zaak is toegewezen aan {tenant_name(form.aan.data)}.")


@blp.route("/zaken/<path:kenmerk>/afsluiten", methods=["POST"])
@login_required(*MEDEWERKER)
def afsluiten(kenmerk: str) -> object:
    _meldpunt()
    view = container().zaken.view(current_user().principal, kenmerk)
    form = AfsluitenForm(prefix="afsluiten")
    if not form.validate():
        return _page(kenmerk, afsluiten=form, status=422)
    if view.zaak.status is not ZaakStatus.OPEN:
        return _page(kenmerk, afsluiten=form, problem="Deze zaak is al gesloten.", status=409)
    return _send(view, "afsluiten", form, AFSLUITING, {"reden": form.reden.data},
                 AFSLUITEN_FIELDS, "De zaak is gesloten; de partners zijn geïnformeerd.")


@blp.route("/inbox/<delivery_id>/zaak", methods=["POST"])
@login_required(*MEDEWERKER)
def koppelen(delivery_id: str) -> object:
    """A meldpunt registers a signaal from its inbox under a zaak (opened if new)."""
    _meldpunt()
    item = container().deliveries.inbox_item(current_user().principal, delivery_id)
    if item.get("event") is None or item["type"] != SIGNAAL:
        abort(404)
    form = KoppelForm()
    if not form.validate():
        return message_page(item, koppel=form, status=422)
    kenmerk = form.kenmerk.data.strip()
    try:  # the service screens the kenmerk: no BSN, no medical data
        container().zaken.link_signaal(current_user().principal, kenmerk, item["message_id"])
    except ConsentError as exc:
        show_refusal(form, exc, {"/kenmerk": "kenmerk"})
        return message_page(item, koppel=form, status=422,
                            problem="Het signaal is niet gekoppeld: het zaakkenmerk bevat "
                                    "gegevens die nooit gedeeld mogen worden.")
    flash("Het signaal is aan de zaak gekoppeld.")
    return redirect(url_for("web_zaken.zaak", kenmerk=kenmerk))
