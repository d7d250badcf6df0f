"""A network edited in parts: the areas (meldpunt, PC4 range and veiligheidscoördinator), the
standard regiecheck list and the termijnen. Each part is a form carrying the version the page
showed; ``apply`` turns it into the network's definition with only that part changed, and says
which form field each of the service's JSON pointers belongs to (so a refusal is shown there)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, Form, FormField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from hub.web.organisaties.forms import KIND_LABELS
from tenants.model import Area, Network, RegiecheckPartner, TenantKind, TermijnRegel
from tenants.services.networks import NetworkSpec

#: Empty rows offered below the current ones, to add an area or a partner.
EXTRA_ROWS = 2
NUMBER = "Vul een getal in."

#: The service's JSON pointers → the names of ``fields_of`` (built per submitted form).
Fields = dict[str, Field]


class Required:
    """Marks a field as one to fill in (its label says so); the check itself is ``_number``."""

    field_flags = {"required": True}

    def __call__(self, form: Form, field: Field) -> None:
        return None


class GebiedRij(Form):
    meldpunt = SelectField("Meldpunt", choices=[], validate_choice=False)
    pc4_van = StringField("Postcode van (4 cijfers)", render_kw={"inputmode": "numeric"})
    pc4_tot = StringField("Postcode tot en met (4 cijfers)", render_kw={"inputmode": "numeric"})
    coordinator = SelectField("Veiligheidscoördinator", choices=[], validate_choice=False)


class GebiedenForm(FlaskForm):
    versie = HiddenField()
    gebieden = FieldList(FormField(GebiedRij), min_entries=0)


class RegiecheckRij(Form):
    partner = SelectField("Partner", choices=[], validate_choice=False)
    wijze = SelectField("Gevraagd", choices=[SelectChoice("standaard", "Altijd (standaard)"),
                                              SelectChoice("per_geval", "Per geval aan te vinken")],
                        validate_choice=False)


class RegiecheckForm(FlaskForm):
    versie = HiddenField()
    partners = FieldList(FormField(RegiecheckRij), min_entries=0)


class TermijnRij(Form):
    flow = HiddenField()
    werkdagen = StringField("Werkdagen", [Required()], render_kw={"inputmode": "numeric"})


class TermijnenForm(FlaskForm):
    versie = HiddenField()
    regiecheck = StringField("Regiecheck: werkdagen voor het antwoord", [Required()],
                             render_kw={"inputmode": "numeric"})
    termijnen = FieldList(FormField(TermijnRij), min_entries=0)


class Refused(Exception):
    """Raised when a part's form holds a value that is no number or no choice (already put at
    its field)."""


def _error(field: Field, text: str) -> None:
    field.errors = [*list(field.errors or []), text]


def _number(field: Field, *, required: bool = True) -> int | None:
    text = (field.data or "").strip()
    if not text:
        if required:
            _error(field, "Vul dit veld in.")
        return None
    if not text.isdigit() or len(text) > 4:
        _error(field, NUMBER)
        field.data = ""  # nothing refused is sent back
        return None
    return int(text)


# -- areas ----------------------------------------------------------------------------------------

def gebieden_form(network: Network, names: Callable[[str], str]) -> GebiedenForm:
    rows = [{"meldpunt": a.tenant_id, "pc4_van": str(a.pc4_from), "pc4_tot": str(a.pc4_to),
             "coordinator": a.veiligheidscoordinator or ""} for a in network.areas]
    return GebiedenForm(formdata=None, gebieden=rows + [{}] * EXTRA_ROWS)


def gebieden_choices(form: GebiedenForm, network: Network, names: Callable[[str], str]) -> None:
    parties = [SelectChoice(p.tenant_id, f"{names(p.tenant_id)} ({p.role})") for p in network.parties]
    for row in form.gebieden:
        row.meldpunt.choices = [SelectChoice("", "Geen (gebied weghalen)"), *parties]
        row.coordinator.choices = [SelectChoice("", "Geen"), *parties]


def gebieden_apply(form: GebiedenForm, spec: NetworkSpec) -> tuple[NetworkSpec, Fields]:
    areas: list[Area] = []
    fields: Fields = {}
    failed = False
    for row in form.gebieden:
        if not (row.meldpunt.data or row.pc4_van.data or row.pc4_tot.data):
            continue  # an empty row: no area (or an area taken away)
        if not row.meldpunt.data:
            _error(row.meldpunt, "Kies het meldpunt van dit gebied.")
        low, high = _number(row.pc4_van), _number(row.pc4_tot)
        if not row.meldpunt.data or low is None or high is None:
            failed = True
            continue
        i = len(areas)
        fields |= {f"/areas/{i}/tenant_id": row.meldpunt,
                   f"/areas/{i}/veiligheidscoordinator": row.coordinator,
                   f"/areas/{i}": row.pc4_van}
        areas.append(Area(row.meldpunt.data, low, high, row.coordinator.data or None))
    if failed:
        raise Refused()
    return replace(spec, areas=tuple(areas)), fields


# -- the standard regiecheck list -----------------------------------------------------------------

def _partner_value(partner: RegiecheckPartner) -> str:
    return f"t:{partner.tenant_id}" if partner.tenant_id else f"k:{partner.tenant_kind}"


def regiecheck_form(network: Network, names: Callable[[str], str]) -> RegiecheckForm:
    rows = [{"partner": _partner_value(r), "wijze": "standaard" if r.standaard else "per_geval"}
            for r in network.regiecheck_partners]
    return RegiecheckForm(formdata=None, partners=rows + [{}] * EXTRA_ROWS)


def regiecheck_choices(form: RegiecheckForm, network: Network,
                       names: Callable[[str], str]) -> None:
    choices = [SelectChoice("", "Niet op de lijst"),
               *(SelectChoice(f"t:{p.tenant_id}", names(p.tenant_id)) for p in network.parties),
               *(SelectChoice(f"k:{k.value}", f"De {label.lower()} van het adres")
                 for k, label in KIND_LABELS.items())]
    for row in form.partners:
        row.partner.choices = choices


def regiecheck_apply(form: RegiecheckForm, spec: NetworkSpec) -> tuple[NetworkSpec, Fields]:
    partners: list[RegiecheckPartner] = []
    fields: Fields = {}
    failed = False
    for row in form.partners:
        value = row.partner.data or ""
        if not value:
            continue
        standaard = row.wijze.data != "per_geval"
        kind, _, ident = value.partition(":")
        if kind == "t" and ident:
            partner = RegiecheckPartner(tenant_id=ident, standaard=standaard)
        elif kind == "k" and ident in {k.value for k in TenantKind}:
            partner = RegiecheckPartner(tenant_kind=TenantKind(ident), standaard=standaard)
        else:
            _error(row.partner, "Kies een partner uit de lijst.")
            row.partner.data = ""
            failed = True
            continue
        fields[f"/regiecheck_partners/{len(partners)}"] = row.partner
        partners.append(partner)
    if failed:
        raise Refused()
    return replace(spec, regiecheck_partners=tuple(partners)), fields


# -- termijnen ------------------------------------------------------------------------------------

def termijnen_form(network: Network, names: Callable[[str], str]) -> TermijnenForm:
    return TermijnenForm(formdata=None, regiecheck=str(network.regiecheck_termijn_werkdagen),
                         termijnen=[{"flow": t.flow, "werkdagen": str(t.werkdagen)}
                                    for t in network.termijnen])


def termijnen_choices(form: TermijnenForm, network: Network, names: Callable[[str], str]) -> None:
    for row in form.termijnen:
        row.werkdagen.label.text = f"{(row.flow.data or '').replace('_', ' ')}: werkdagen"


def termijnen_apply(form: TermijnenForm, spec: NetworkSpec) -> tuple[NetworkSpec, Fields]:
    regiecheck = _number(form.regiecheck)
    current = {t.flow: t for t in spec.termijnen or ()}
    regels: list[TermijnRegel] = []
    fields: Fields = {"/regiecheck_termijn_werkdagen": form.regiecheck}
    failed = regiecheck is None
    for row in form.termijnen:
        regel = current.get(row.flow.data or "")
        werkdagen = _number(row.werkdagen)
        if regel is None:  # a flow the network no longer has (a stale page): left out
            continue
        if werkdagen is None:
            failed = True
            continue
        fields[f"/termijnen/{len(regels)}/werkdagen"] = row.werkdagen
        regels.append(replace(regel, werkdagen=werkdagen))
    if failed or regiecheck is None:
        raise Refused()
    kept = {r.flow for r in regels}
    regels += [t for t in spec.termijnen or () if t.flow not in kept]
    return replace(spec, regiecheck_termijn_werkdagen=regiecheck, termijnen=tuple(regels)), fields


@dataclass(frozen=True)
class Part:
    """One editable part of a network: its form, how it is filled and given its choices, and
    how a submitted form changes the definition."""

    form: type[FlaskForm]
    filled: Callable[[Network, Callable[[str], str]], FlaskForm]
    choices: Callable[[FlaskForm, Network, Callable[[str], str]], None]
    apply: Callable[[FlaskForm, NetworkSpec], tuple[NetworkSpec, Fields]]
    saved: str


PARTS = {
    "gebieden": Part(GebiedenForm, gebieden_form, gebieden_choices, gebieden_apply,
                     "De gebieden zijn opgeslagen."),
    "regiecheck": Part(RegiecheckForm, regiecheck_form, regiecheck_choices, regiecheck_apply,
                       "De standaard regiecheck-lijst is opgeslagen."),
    "termijnen": Part(TermijnenForm, termijnen_form, termijnen_choices, termijnen_apply,
                      "De termijnen zijn opgeslagen."),
}


def problems(form: FlaskForm) -> list[tuple[Field, str]]:
    """Every error of a part's form with its field, rows included (for the error summary)."""
    found: list[tuple[Field, str]] = []

    def walk(field: Field) -> None:
        if isinstance(field, FieldList):
            for entry in field:
                walk(entry)
        elif isinstance(field, FormField):
            for sub in field.form:
                walk(sub)
        elif field.type != "CSRFTokenField":
            found.extend((field, e) for e in field.errors or () if isinstance(e, str))
    for f in form:
        walk(f)
    return found
