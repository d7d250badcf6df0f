"""Onboarding a party to a network, and taking one out: each form carries the version of the
network the page showed, so a change made meanwhile by someone else is refused, not overwritten."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

FIELDS = {"/tenant_id": "organisatie", "/parties": "organisatie", "/role": "rol",
          "/valid_from": "geldig_vanaf", "/valid_until": "geldig_tot", "/areas": "organisatie"}


class PartijForm(FlaskForm):
    versie = HiddenField()
    organisatie = SelectField("Organisatie", validators=[DataRequired("Kies een organisatie.")])
    rol = StringField("Rol in het convenant", validators=[DataRequired("Vul de rol in."),
                                                          Length(max=64)],
                      description="Bijvoorbeeld zorgaanbieder, woningcorporatie of meldpunt.")
    geldig_vanaf = DateField("Partij vanaf", validators=[Optional()])
    geldig_tot = DateField("Partij tot en met", validators=[Optional()])

    def validate_geldig_tot(self, field: DateField) -> None:
        if self.geldig_vanaf.data and field.data and field.data < self.geldig_vanaf.data:
            raise ValidationError("De einddatum ligt voor de begindatum.")


class VerwijderForm(FlaskForm):
    versie = HiddenField()
