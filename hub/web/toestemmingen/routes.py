"""Toestemmingen for the privacy officer: the list (actief, verlopen, ingetrokken), registering
a consent on the checklist of werkafspraak 10, withdrawing it with a reason, and a consent's
versions with the sharing decisions that used each. Through ``ConsentService`` and
``DecisionService``, as ``/api/v1/consents`` and ``/api/v1/decisions``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from consent.errors import ConsentError
from consent.model import Consent
from hub.api.context import container
from hub.flows.calendar import AMSTERDAM
from hub.ports import DecisionFilter
from hub.web.beslissingen.view import DecisionRow, shown
from hub.web.events import put_at_fields, refuse_bsn
from hub.web.session import current_user, login_required
from hub.web.tenants import tenant_name
from hub.web.toestemmingen.forms import (
    CATEGORY_LABELS,
    FIELDS,
    RULE_TEXT,
    STATUS_LABELS,
    WITHDRAW_FIELDS,
    ConsentForm,
    WithdrawForm,
)
from tenants.model import Role, TenantKind

blp = Blueprint("web_toestemmingen", __name__)

STATUS_NL = {"active": "actief", "expired": "verlopen", "withdrawn": "ingetrokken"}
#: A signed form may be a scan: the upload page accepts more than the API's JSON bodies.
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
_CHUNK = 64 * 1024
_NAMES = ("achternaam", "voorvoegsel", "voornamen")


@blp.url_value_preprocessor
def _allow_upload(endpoint: str | None, values: dict | None) -> None:
    """Runs before the CSRF check reads the form: the registration may carry the file."""
    if endpoint == "web_toestemmingen.new" and request.method == "POST":
        request.max_content_length = UPLOAD_MAX_BYTES


@dataclass(frozen=True)
class Version:
    """A consent version as the page shows it, with the decisions that used it."""

    consent: Consent
    status: str
    decisions: list[DecisionRow]


def status_now(consent: Consent) -> str:
    return STATUS_NL[consent.effective_status(container().clock()).value]


def recipients_of(consent: Consent) -> list[str]:
    return [tenant_name(p.tenant_id) if p.tenant_id else f"elke {p.tenant_kind}"
            for p in consent.provisions if p.effect == "permit"]


def _is_controller_kind() -> bool:
    tenant = container().directory.snapshot().tenant(current_user().user.tenant_id)
    return tenant is not None and tenant.kind is TenantKind.ZORGAANBIEDER


@blp.route("/toestemmingen", methods=["GET"])
@login_required(Role.PRIVACY_OFFICER)
def index() -> str:
    chosen = request.args.get("status", "actief")
    if chosen not in dict(STATUS_LABELS):
        chosen = "actief"
    wanted = None if chosen == "alle" else {v: k for k, v in STATUS_NL.items()}[chosen]
    page = container().consents.list(current_user().principal, status=wanted,
                                     after=request.args.get("na") or None, limit=50)
    rows = [{"consent": c, "status": status_now(c), "recipients": recipients_of(c)}
            for c in page.items]
    return render_template("web/toestemmingen.html", title="Toestemmingen", rows=rows,
                           chosen=chosen, filters=STATUS_LABELS, next=page.next,
                           can_register=_is_controller_kind())


def _choices(form: ConsentForm) -> list[str]:
    """The networks of the user's organisation and the parties of each as checkboxes."""
    snapshot = container().directory.snapshot()
    tenant_id = current_user().user.tenant_id
    networks = [n for n in snapshot.networks
                if n.id in snapshot.networks_of(tenant_id, _today())]
    form.netwerk.choices = [SelectChoice(n.id, n.name) for n in networks]
    parties: dict[str, str] = {}
    for network in networks:
        for party in network.parties:
            parties.setdefault(party.tenant_id, tenant_name(party.tenant_id))
    form.ontvangers.choices = [SelectChoice(k, v) for k, v in
                               sorted(parties.items(), key=lambda kv: kv[1].lower())]
    return [n.id for n in networks]


def _today() -> date:
    return container().clock().astimezone(AMSTERDAM).date()


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM)


def _end(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=AMSTERDAM)


def _evidence_hash(form: ConsentForm) -> str | None:
    """The SHA-256 of the uploaded signed form (read in chunks, never kept), else the hash
    typed in."""
    upload = request.files.get(form.bewijs.name)
    if upload is not None and upload.filename:
        digest = hashlib.sha256()
        for chunk in iter(lambda: upload.stream.read(_CHUNK), b""):
            digest.update(chunk)
        upload.close()
        return digest.hexdigest()
    typed = (form.bewijs_sha256.data or "").strip().lower()
    return typed or None


def _spec(form: ConsentForm, networks: list[str], sha256: str | None) -> dict[str, Any]:
    return {"client": form.persoon(), "recipients": list(form.ontvangers.data),
            "categories": list(form.categorieen.data), "purpose": form.doel.data,
            "necessity": form.noodzaak.data, "valid_from": _start(form.geldig_van.data),
            "valid_until": _end(form.geldig_tot.data),
            "evidence": {"sha256": sha256 or "", "signed_on": form.ondertekend_op.data},
            "network_id": form.netwerk.data or (networks[0] if len(networks) == 1 else None)}


@blp.route("/toestemmingen/nieuw", methods=["GET", "POST"])
@login_required(Role.PRIVACY_OFFICER)
def new() -> object:
    """Only a zorgaanbieder is controller of a consent (``ConsentService``): others get the
    403 page before typing anything."""
    if not _is_controller_kind():
        abort(403)
    form = ConsentForm()
    networks = _choices(form)
    problem, status = None, 200
    if form.is_submitted():
        status = 422
        sha256 = _evidence_hash(form)
        valid = form.validate()
        if not refuse_bsn(form, _NAMES) and valid:
            if sha256 is None:
                form.bewijs.errors = ["Kies het ondertekende formulier of vul de hash ervan in."]
            else:
                try:
                    consent = container().consents.register(current_user().principal,
                                                            _spec(form, networks, sha256))
                except ConsentError as exc:
                    if not put_at_fields(form, getattr(exc, "details", []) or [], FIELDS,
                                         RULE_TEXT):
                        problem = "De toestemming is niet geregistreerd. " + exc.message
                else:
                    flash("De toestemming is geregistreerd.")
                    return redirect(url_for("web_toestemmingen.show", consent_id=consent.id))
    return render_template("web/toestemming_new.html", title="Nieuwe toestemming", form=form,
                           problem=problem, show_network=len(networks) > 1), status


def _decisions_by_version(consent_id: str) -> dict[int | None, list[DecisionRow]]:
    page = container().decisions.list(current_user().principal, limit=100,
                                       where=DecisionFilter(consent_id=consent_id))
    out: dict[int | None, list[DecisionRow]] = {}
    for row in shown(page.items):
        out.setdefault(row.consent_version, []).append(row)
    return out


def _page(consent_id: str, form: WithdrawForm, status: int = 200) -> tuple[str, int]:
    principal = current_user().principal
    latest, versions = container().consents.get(principal, consent_id)
    used = _decisions_by_version(consent_id)
    shown = [Version(v, STATUS_NL["withdrawn" if v.is_withdrawn else "active"],
                     used.get(v.version, [])) for v in reversed(versions)]
    may_withdraw = not latest.is_withdrawn and (
        principal.is_hub_admin or latest.controller == principal.tenant_id)
    return render_template("web/toestemming.html", title="Toestemming", consent=latest,
                           status=status_now(latest), recipients=recipients_of(latest),
                           versions=shown, unattributed=used.get(None, []), form=form,
                           may_withdraw=may_withdraw, name_of=tenant_name,
                           categories=dict(CATEGORY_LABELS)), status


@blp.route("/toestemmingen/<consent_id>", methods=["GET"])
@login_required(Role.PRIVACY_OFFICER)
def show(consent_id: str) -> tuple[str, int]:
    return _page(consent_id, WithdrawForm())


@blp.route("/toestemmingen/<consent_id>/intrekken", methods=["POST"])
@login_required(Role.PRIVACY_OFFICER)
def withdraw(consent_id: str) -> object:
    form = WithdrawForm()
    if container().consents.stored(current_user().principal, consent_id) is None:
        abort(404)
    if form.validate():
        try:
            container().consents.withdraw(current_user().principal, consent_id, form.reden.data)
        except ConsentError as exc:
            if not put_at_fields(form, getattr(exc, "details", []) or [], WITHDRAW_FIELDS,
                                 RULE_TEXT):
                raise
        else:
            flash("De toestemming is ingetrokken.")
            return redirect(url_for("web_toestemmingen.show", consent_id=consent_id))
    return _page(consent_id, form, 422)
