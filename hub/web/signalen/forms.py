"""The Nieuw signaal form: every field of ``nl.ketenhub.signaal.v1`` with a Dutch label."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from hub.intake.schemas.signalen import CATEGORIEEN, MELDER_TYPES, SOORTEN, URGENTIES
from hub.web.fields import filled

REQUIRED = "Vul dit veld in."


def _labels(values: tuple[str, ...]) -> list[SelectChoice]:
    return [SelectChoice(v, v.replace("_", " ").capitalize()) for v in values]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AdresForm(FlaskForm):
    """The address fields every message form shares (``adres`` of API.md)."""

    postcode = StringField("Postcode", validators=[DataRequired(REQUIRED), Length(max=7)],
                           render_kw={"autocomplete": "postal-code"})
    huisnummer = IntegerField("Huisnummer", validators=[
        InputRequired(REQUIRED), NumberRange(1, 99999, "Vul een huisnummer van 1 tot 99999 in.")],
        render_kw={"inputmode": "numeric"})
    huisletter = StringField("Huisletter", validators=[Optional(), Length(max=1)])
    toevoeging = StringField("Toevoeging", validators=[Optional(), Length(max=4)])
    woonplaats = StringField("Woonplaats", validators=[Optional(), Length(max=80)],
                             render_kw={"autocomplete": "address-level2"})

    def adres(self) -> dict:
        return {"postcode": self.postcode.data.strip(), "huisnummer": self.huisnummer.data,
                **filled(self, ("huisletter", "toevoeging", "woonplaats"))}


#: The intake's JSON pointers of the address → the form's fields.
ADRES_FIELDS = {"/data/adres": "postcode", "/data/adres/postcode": "postcode",
                "/data/adres/huisnummer": "huisnummer", "/data/adres/huisletter": "huisletter",
                "/data/adres/toevoeging": "toevoeging", "/data/adres/woonplaats": "woonplaats"}


class SignaalForm(AdresForm):
    soort = SelectField("Soort signaal", choices=_labels(SOORTEN),
                        validators=[DataRequired("Kies de soort.")])
    categorieen = CheckboxesField("Overlastsoorten", choices=_labels(CATEGORIEEN),
                                  validators=[DataRequired("Kies minstens één overlastsoort.")])
    omschrijving = TextAreaField("Omschrijving", validators=[DataRequired(REQUIRED),
                                                            Length(max=2000)],
                                 description="Wat is er waargenomen? Geen BSN en geen medische "
                                             "gegevens.")
    waargenomen_op = DateField("Waargenomen op", validators=[DataRequired("Vul een datum in.")])
    melder_type = SelectField("Melder", choices=_labels(MELDER_TYPES),
                              validators=[DataRequired("Kies wie het meldde.")])
    urgentie = SelectField("Urgentie", choices=_labels(URGENTIES), default="normaal")
    kenmerk_afzender = StringField("Uw kenmerk", validators=[DataRequired(REQUIRED),
                                                             Length(max=64)],
                                   description="Het kenmerk in uw eigen systeem.")

    def data_for_event(self) -> dict:
        return {"soort": self.soort.data, "categorieen": list(self.categorieen.data),
                "adres": self.adres(), "omschrijving": self.omschrijving.data.strip(),
                "waargenomen_op": self.waargenomen_op.data.isoformat(),
                "melder_type": self.melder_type.data, "urgentie": self.urgentie.data,
                "kenmerk_afzender": self.kenmerk_afzender.data.strip()}


#: The intake's JSON pointers → the form's fields (where a refusal is shown).
FIELDS = {**ADRES_FIELDS, "/data/soort": "soort", "/data/categorieen": "categorieen",
          "/data/omschrijving": "omschrijving", "/data/waargenomen_op": "waargenomen_op",
          "/data/melder_type": "melder_type", "/data/urgentie": "urgentie",
          "/data/kenmerk_afzender": "kenmerk_afzender"}
