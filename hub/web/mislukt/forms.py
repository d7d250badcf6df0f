"""The window of dead deliveries to offer again: created from one day through another."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import DataRequired, ValidationError


class VensterForm(FlaskForm):
    van = DateField("Aangemaakt vanaf", validators=[DataRequired("Vul een begindatum in.")])
    tot = DateField("Aangemaakt tot en met", validators=[DataRequired("Vul een einddatum in.")])

    def validate_tot(self, field: DateField) -> None:
        if self.van.data and field.data and field.data < self.van.data:
            raise ValidationError("De einddatum ligt voor de begindatum.")
