"""The inzage form: the person asked about (posted, never in a URL) and, optionally, an address
the person was registered at with its period."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from hub.web.fields import filled
from hub.web.signalen.forms import REQUIRED

POSTCODE = r"^\s*[1-9][0-9]{3} ?[A-Za-z]{2}\s*$"


class PersoonForm(FlaskForm):
    """A person's identity: only to compute the pseudonym, never stored."""

    achternaam = StringField("Achternaam", validators=[DataRequired(REQUIRED), Length(max=200)],
                             render_kw={"autocomplete": "off"})
    voorvoegsel = StringField("Tussenvoegsel", validators=[Optional(), Length(max=20)],
                              render_kw={"autocomplete": "off"})
    voornamen = StringField("Voornamen", validators=[Optional(), Length(max=200)],
                            render_kw={"autocomplete": "off"})
    geboortedatum = DateField("Geboortedatum", validators=[DataRequired("Vul een datum in.")])

    def persoon(self) -> dict:
        return {"achternaam": self.achternaam.data.strip(),
                "geboortedatum": self.geboortedatum.data.isoformat(),
                **filled(self, ("voorvoegsel", "voornamen", "voorletters"))}


class InzageForm(PersoonForm):
    voorletters = StringField("Voorletters", validators=[Optional(), Length(max=20)],
                              render_kw={"autocomplete": "off"})
    postcode = StringField("Postcode", validators=[Optional(), Regexp(
        POSTCODE, message="Vul een postcode in als 1234 AB.")], render_kw={"autocomplete": "off"})
    huisnummer = IntegerField("Huisnummer", validators=[Optional(), NumberRange(
        1, 99999, "Vul een huisnummer van 1 tot 99999 in.")], render_kw={"inputmode": "numeric"})
    huisletter = StringField("Huisletter", validators=[Optional(), Length(max=1)])
    toevoeging = StringField("Toevoeging", validators=[Optional(), Length(max=4)])
    van = DateField("Ingeschreven vanaf", validators=[Optional()])
    tot = DateField("Ingeschreven tot en met", validators=[Optional()])

    def validate_huisnummer(self, field: IntegerField) -> None:
        if bool(self.postcode.data and self.postcode.data.strip()) != (field.data is not None):
            raise ValidationError("Vul postcode en huisnummer allebei in, of geen van beide.")

    def validate_tot(self, field: DateField) -> None:
        if field.data and self.van.data and field.data < self.van.data:
            raise ValidationError("De laatste dag ligt voor de eerste dag.")

    def adres(self) -> dict | None:
        if self.huisnummer.data is None:
            return None
        return {"postcode": self.postcode.data.strip().upper(),
                "huisnummer": self.huisnummer.data, **filled(self, ("huisletter", "toevoeging"))}


FIELDS = {"/persoon/achternaam": "achternaam", "/persoon/voorvoegsel": "voorvoegsel",
          "/persoon/voornamen": "voornamen", "/persoon/voorletters": "voorletters",
          "/persoon/geboortedatum": "geboortedatum", "/persoon": "achternaam",
          "/achternaam": "achternaam", "/voorvoegsel": "voorvoegsel", "/voornamen": "voornamen",
          "/voorletters": "voorletters", "/huisletter": "huisletter",
          "/toevoeging": "toevoeging"}
TEXT_FIELDS = ("achternaam", "voorvoegsel", "voornamen", "voorletters", "huisletter",
               "toevoeging")
