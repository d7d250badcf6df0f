"""Netwerken (hub admin): the convenanten, and one network's parties, areas and termijnen;
onboarding one party and taking one out, and changing the areas, the standard regiecheck list
or the termijnen, each without editing the whole network. Each change names the version the
page showed: when someone else changed the network meanwhile, the change is refused, the
current network is shown and what was typed stays in the form. Through ``NetworkService``, as
the API's ``…/parties`` routes and its ``PUT`` (a part's change is audited as that one)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from hub.api.context import container
from hub.web.beheer.common import all_pages, shown_at_form
from hub.web.netwerken.forms import FIELDS, PartijForm, VerwijderForm
from hub.web.netwerken.parts import PARTS, Refused, problems
from hub.web.organisaties.forms import KIND_LABELS
from hub.web.session import current_user, login_required
from hub.web.tenants import tenant_name
from tenants.errors import KetenhubError, StaleVersion
from tenants.model import Network, Party, Role
from tenants.services.networks import spec_of, version_of

blp = Blueprint("web_netwerken", __name__)

STALE = ("Iemand anders heeft dit netwerk intussen gewijzigd. Hieronder ziet u het netwerk "
         "zoals het nu is; er is niets opgeslagen. Controleer uw wijziging en sla haar opnieuw op.")


@blp.route("/beheer/netwerken", methods=["GET"])
@login_required(Role.HUB_ADMIN)
def index() -> str:
    principal = current_user().principal
    networks = all_pages(lambda after: container().networks.list(principal, after=after, limit=100))
    return render_template("web/netwerken.html", title="Netwerken", networks=networks)


def _choices(network: Network) -> list[SelectChoice]:
    principal = current_user().principal
    tenants = all_pages(lambda after: container().tenants.list(principal, after=after, limit=100))
    outside = sorted((t for t in tenants if t.id not in network.party_ids()),
                     key=lambda t: t.name.lower())
    return [SelectChoice("", "Kies een organisatie")] + [
        SelectChoice(t.id, f"{t.name} ({KIND_LABELS.get(t.kind, t.kind)})") for t in outside]


def _page(network_id: str, form: PartijForm | None = None, problem: str | None = None,
          status: int = 200, stale: str | None = None,
          part: tuple[str, FlaskForm] | None = None) -> tuple[str, int]:
    """The network as it is now, with every form; ``part``: the part form submitted (and
    refused), shown as it was typed."""
    network = container().networks.get(current_user().principal, network_id)
    version = version_of(network)
    if form is None:
        form = PartijForm(formdata=None)
    form.organisatie.choices = _choices(network)
    parts = {name: part[1] if part and part[0] == name else p.filled(network, tenant_name)
             for name, p in PARTS.items()}
    for name, part_form in [("", form), *parts.items()]:
        if name:
            PARTS[name].choices(part_form, network, tenant_name)
        part_form.versie.data = version  # a refused change is made again on the network as it is now
    return render_template("web/netwerk.html", title=f"Netwerk {network.name}", network=network,
                           form=form, problem=problem if part is None else None,
                           name_of=tenant_name, version=version, stale=stale, kinds=KIND_LABELS,
                           parts=parts, part_errors={n: problems(f) for n, f in parts.items()},
                           part_problem=(part[0], problem) if part else None), status


@blp.route("/beheer/netwerken/<network_id>", methods=["GET", "POST"])
@login_required(Role.HUB_ADMIN)
def network(network_id: str) -> object:
    form = PartijForm()
    if not form.is_submitted():
        return _page(network_id)
    current = container().networks.get(current_user().principal, network_id)
    form.organisatie.choices = _choices(current) + [
        SelectChoice(p.tenant_id, p.tenant_id) for p in current.parties]
    if not form.validate():
        return _page(network_id, form, status=422)
    party = Party(form.organisatie.data, form.rol.data.strip(), form.geldig_vanaf.data,
                  form.geldig_tot.data)
    try:
        container().networks.add_party(current_user().principal, network_id, party,
                                       if_version=form.versie.data or "")
    except StaleVersion:
        return _page(network_id, form, status=409, stale=STALE)
    except KetenhubError as exc:
        problem = shown_at_form(exc, form, FIELDS)
        return _page(network_id, form, problem, status=422)
    flash(f"{tenant_name(party.tenant_id)} is partij geworden in dit netwerk.")
    return redirect(url_for("web_netwerken.network", network_id=network_id))


@blp.route("/beheer/netwerken/<network_id>/partijen/<tenant_id>/verwijderen", methods=["POST"])
@login_required(Role.HUB_ADMIN)
def remove_party(network_id: str, tenant_id: str) -> object:
    form = VerwijderForm()
    try:
        container().networks.remove_party(current_user().principal, network_id, tenant_id,
                                          if_version=form.versie.data or "")
    except StaleVersion:
        return _page(network_id, status=409, stale=STALE)
    except KetenhubError as exc:
        problem = shown_at_form(exc, PartijForm(formdata=None), {})
        return _page(network_id, problem=problem, status=409)
    flash(f"{tenant_name(tenant_id)} is geen partij meer in dit netwerk.")
    return redirect(url_for("web_netwerken.network", network_id=network_id))


def _save_part(network_id: str, name: str) -> object:
    """Change one part of the network: the rest of the definition stays as it is now, and the
    version the page showed must still be the network's (else ``Niet opgeslagen``)."""
    part, principal = PARTS[name], current_user().principal
    current = container().networks.get(principal, network_id)  # 404 before anything is read
    form = part.form()
    part.choices(form, current, tenant_name)
    if not form.validate():
        return _page(network_id, status=422, part=(name, form))
    try:
        spec, fields = part.apply(form, spec_of(current))
        container().networks.replace(principal, spec, if_version=form.versie.data or "")
    except Refused:
        return _page(network_id, status=422, part=(name, form))
    except StaleVersion:
        return _page(network_id, status=409, stale=STALE, part=(name, form))
    except KetenhubError as exc:
        problem = shown_at_form(exc, fields, {pointer: pointer for pointer in fields})
        return _page(network_id, problem=problem, status=422, part=(name, form))
    flash(part.saved)
    return redirect(url_for("web_netwerken.network", network_id=network_id))


@blp.route("/beheer/netwerken/<network_id>/gebieden", methods=["POST"])
@login_required(Role.HUB_ADMIN)
def areas(network_id: str) -> object:
    return _save_part(network_id, "gebieden")


@blp.route("/beheer/netwerken/<network_id>/regiecheck-lijst", methods=["POST"])
@login_required(Role.HUB_ADMIN)
def regiecheck_list(network_id: str) -> object:
    return _save_part(network_id, "regiecheck")


@blp.route("/beheer/netwerken/<network_id>/termijnen", methods=["POST"])
@login_required(Role.HUB_ADMIN)
def termijnen(network_id: str) -> object:
    return _save_part(network_id, "termijnen")
