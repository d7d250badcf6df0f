"""The decisions page's filters (a GET form: nothing changes, no CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, Regexp, ValidationError

DECISIONS = (("", "Alle"), ("permit", "Toegestaan"), ("deny", "Geweigerd"))
BASES = (("", "Alle"), ("consent", "Toestemming"), ("convenant", "Convenant"),
         ("wettelijke_plicht", "Wettelijke plicht"), ("noodsituatie", "Noodsituatie"))


class DecisionFilterForm(FlaskForm):
    class Meta:
        csrf = False

    bericht = StringField("Bericht-id", validators=[Optional(), Length(max=64), Regexp(
        r"^[A-Za-z0-9_.:-]+$", message="Een bericht-id bestaat uit letters, cijfers en - _ . :")],
        render_kw={"autocomplete": "off", "spellcheck": "false"})
    besluit = SelectField("Besluit", choices=[SelectChoice(k, v) for k, v in DECISIONS],
                          default="")
    grondslag = SelectField("Grondslag", choices=[SelectChoice(k, v) for k, v in BASES],
                            default="")
    van = DateField("Van", validators=[Optional()])
    tot = DateField("Tot en met", validators=[Optional()])

    def validate_van(self, field: DateField) -> None:
        if field.data and self.tot.data and field.data > self.tot.data:
            raise ValidationError("De eerste dag ligt na de laatste dag.")
