"""The statistics page's filters (a GET form: no CSRF token, nothing changes)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

MEASURE_LABELS = (("signalen", "Signalen"), ("meldingen", "Meldingen bij het meldpunt"),
                  ("recidive", "Recidive binnen 3 jaar"), ("termijnen", "Termijnen gehaald"),
                  ("regiecheck", "Antwoordtijd regiechecks"))
GROUP_LABELS = (("source_kind", "Soort bron"), ("area", "Gebied (stadsdeel)"),
                ("category", "Categorie"), ("month", "Maand"), ("partner", "Partner"),
                ("pc4", "Postcode (PC4)"))


class StatistiekForm(FlaskForm):
    class Meta:
        csrf = False

    measure = SelectField("Wat", choices=[SelectChoice(k, v) for k, v in MEASURE_LABELS],
                          default="signalen")
    group_by = SelectField("Indelen naar", choices=[SelectChoice(k, v) for k, v in GROUP_LABELS],
                           default="source_kind")
    van = DateField("Van", validators=[Optional()], description="Eerste dag van de periode; "
                    "leeg: een jaar voor de laatste dag.")
    tot = DateField("Tot en met", validators=[Optional()], description="Laatste dag; leeg: "
                    "vandaag.")
    netwerk = SelectField("Netwerk", choices=[], validate_choice=False)

    def validate_van(self, field: DateField) -> None:
        if field.data and self.tot.data and field.data > self.tot.data:
            raise ValidationError("De eerste dag ligt na de laatste dag.")
