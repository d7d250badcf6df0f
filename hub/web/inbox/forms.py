"""The actions on a message page: ontvangen, reageren, toewijzing accepteren of weigeren."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from hub.intake.schemas.signalen import REACTIE_STATUSSEN

REACTIE_LABELS = {"ontvangen": "Ontvangen", "klager_benaderd": "Klager benaderd",
                  "in_behandeling": "In behandeling", "afgehandeld": "Afgehandeld",
                  "niet_van_toepassing": "Niet van toepassing"}


class AckForm(FlaskForm):
    """Only the CSRF token: the button says it all."""


class ReactieForm(FlaskForm):
    status = SelectField("Status", choices=[SelectChoice(s, REACTIE_LABELS[s]) for s in REACTIE_STATUSSEN],
                         validators=[DataRequired("Kies een status.")])
    toelichting = TextAreaField("Toelichting", validators=[Optional(), Length(max=1000)],
                                description="Geen BSN en geen medische gegevens.")


class ToewijzingForm(FlaskForm):
    besluit = SelectField("Besluit", choices=[SelectChoice("accepteren", "Accepteren"),
                                              SelectChoice("weigeren", "Weigeren")],
                          validators=[DataRequired("Kies accepteren of weigeren.")])
    contact_naam = StringField("Contactpersoon", validators=[Optional(), Length(max=200)],
                               render_kw={"autocomplete": "name"},
                               description="Nodig bij accepteren: wie pakt de zaak op.")
    contact_telefoon = StringField("Telefoon contactpersoon", validators=[Optional(), Length(max=32)],
                                   render_kw={"autocomplete": "tel", "inputmode": "tel"})
    reden = TextAreaField("Reden van weigeren", validators=[Optional(), Length(max=1000)],
                          description="Nodig bij weigeren. Geen BSN en geen medische gegevens.")

    def validate(self, extra_validators: dict | None = None) -> bool:
        """Accepteren needs a contactpersoon, weigeren a reden (as the message's schema)."""
        ok = super().validate(extra_validators)
        if self.besluit.data == "accepteren" and not (self.contact_naam.data or "").strip():
            self.contact_naam.errors = [*self.contact_naam.errors,
                                        "Vul de contactpersoon in die de zaak oppakt."]
            ok = False
        if self.besluit.data == "weigeren" and not (self.reden.data or "").strip():
            self.reden.errors = [*self.reden.errors, "Vul in waarom u de toewijzing weigert."]
            ok = False
        return ok
