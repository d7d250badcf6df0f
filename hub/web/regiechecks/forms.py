"""Regiecheck forms: start one (a person, soort, overlastsoorten, partners pre-selected from the
network's list) and answer one (bekend with a contact, or onbekend: nothing else can be typed)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from hub.intake.schemas.signalen import CATEGORIEEN, SOORTEN
from hub.web.fields import filled
from hub.web.signalen.forms import CheckboxesField

REQUIRED = "Vul dit veld in."
ROLLEN = (SelectChoice("betrokkene", "Betrokkene"), SelectChoice("gezinslid", "Gezinslid"),
          SelectChoice("melder", "Melder (alleen met een reden)"))


def _labels(values: tuple[str, ...]) -> list[SelectChoice]:
    return [SelectChoice(v, v.replace("_", " ").capitalize()) for v in values]


class StartForm(FlaskForm):
    achternaam = StringField("Achternaam", validators=[DataRequired(REQUIRED), Length(max=200)])
    voorvoegsel = StringField("Voorvoegsel", validators=[Optional(), Length(max=20)])
    voornamen = StringField("Voornamen", validators=[Optional(), Length(max=200)])
    geboortedatum = DateField("Geboortedatum", validators=[DataRequired("Vul een datum in.")])
    rol = SelectField("Rol", choices=ROLLEN, default="betrokkene")
    reden_melder = TextAreaField("Reden om de melder te bevragen",
                                 validators=[Optional(), Length(max=500)],
                                 description="Alleen als de rol melder is (minstens 10 tekens).")
    soort = SelectField("Soort", choices=_labels(SOORTEN), validators=[DataRequired(REQUIRED)])
    overlastsoorten = CheckboxesField("Overlastsoorten", choices=_labels(CATEGORIEEN))
    partners = CheckboxesField("Partners", validators=[DataRequired("Kies minstens één partner.")])
    kenmerk_afzender = StringField("Uw kenmerk", validators=[Optional(), Length(max=64)])
    zaak_kenmerk = StringField("Zaakkenmerk", validators=[Optional(), Length(max=64)],
                               description="De zaak waar deze regiecheck bij hoort: hij komt in "
                                           "de tijdlijn van de zaak.")

    def request_body(self) -> dict:
        persoon: dict = {"achternaam": self.achternaam.data.strip(),
                         "geboortedatum": self.geboortedatum.data.isoformat(),
                         "rol": self.rol.data, **filled(self, ("voorvoegsel", "voornamen"))}
        body: dict = {"personen": [persoon], "soort": self.soort.data,
                      "overlastsoorten": list(self.overlastsoorten.data or []),
                      "partners": list(self.partners.data)}
        body.update(filled(self, ("reden_melder", "kenmerk_afzender", "zaak_kenmerk")))
        return body


FIELDS = {"/personen/0/achternaam": "achternaam", "/personen/0/voorvoegsel": "voorvoegsel",
          "/personen/0/voornamen": "voornamen", "/personen/0/geboortedatum": "geboortedatum",
          "/personen/0/rol": "rol", "/personen": "achternaam", "/reden_melder": "reden_melder",
          "/soort": "soort", "/overlastsoorten": "overlastsoorten", "/partners": "partners",
          "/kenmerk_afzender": "kenmerk_afzender", "/zaak_kenmerk": "zaak_kenmerk"}


class AnswerForm(FlaskForm):
    bekend = RadioField("Is deze persoon of dit huishouden bij u bekend?",
                        choices=[SelectChoice("ja", "Ja, bekend"),
                                 SelectChoice("nee", "Nee, niet bekend")],
                        validators=[DataRequired("Kies bekend of niet bekend.")])
    naam = StringField("Naam contactpersoon", validators=[Optional(), Length(max=200)],
                       render_kw={"autocomplete": "name"})
    functie = StringField("Functie", validators=[Optional(), Length(max=200)])
    telefoon = StringField("Telefoon", validators=[Optional(), Length(max=32)],
                           render_kw={"autocomplete": "tel", "inputmode": "tel"})
    email = StringField("E-mail", validators=[Optional(), Length(max=254),
                                              Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                                                     message="Vul een geldig e-mailadres in.")],
                        render_kw={"autocomplete": "email"})

    def validate(self, extra_validators: object = None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.bekend.data == "ja" and not (self.naam.data or "").strip():
            self.naam.errors = ["Vul de contactpersoon in als de persoon bekend is."]
            return False
        return ok

    def answer_body(self) -> dict:
        if self.bekend.data != "ja":
            return {"bekend": False}
        contact = {"naam": self.naam.data.strip(), **filled(self, ("functie", "telefoon", "email"))}
        return {"bekend": True, "contact": contact}


ANSWER_FIELDS = {"/contact/naam": "naam", "/contact/functie": "functie",
                 "/contact/telefoon": "telefoon", "/contact/email": "email",
                 "/contact": "naam", "/bekend": "bekend"}
