"""The actions on a zaak: toewijzen (to a partner, the advies first), afsluiten (with a
reden), and registering a received signaal under a zaak (koppelen)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from hub.intake.schemas.zaken import REDENEN_AFSLUITING

REDEN_LABELS = {"opgelost": "Opgelost", "overgedragen": "Overgedragen",
                "geen_grond": "Geen grond", "geen_medewerking": "Geen medewerking",
                "verhuisd": "Verhuisd", "overig": "Overig"}
NO_PII = "Geen BSN en geen medische gegevens."


class ToewijzenForm(FlaskForm):
    aan = SelectField("Partner", validators=[DataRequired("Kies een partner.")],
                      description="Eerst de partners die het toewijzingsadvies van het netwerk "
                                  "voor de overlastsoorten van deze zaak noemt.")
    toelichting = TextAreaField("Toelichting", validators=[Optional(), Length(max=1000)],
                                description=NO_PII)


class AfsluitenForm(FlaskForm):
    reden = SelectField("Reden", choices=[SelectChoice("", "Kies een reden")] + [
        SelectChoice(r, REDEN_LABELS.get(r, r)) for r in REDENEN_AFSLUITING],
        validators=[DataRequired("Kies een reden.")])
    toelichting = TextAreaField("Toelichting", validators=[Optional(), Length(max=1000)],
                                description=NO_PII)


class KoppelForm(FlaskForm):
    kenmerk = StringField("Zaakkenmerk", validators=[DataRequired("Vul het zaakkenmerk in."),
                                                      Length(max=64)],
                          description="Het kenmerk van de zaak in uw eigen systeem; een nieuw "
                                      "kenmerk opent een nieuwe zaak.")


#: The intake's JSON pointers → the fields (where a refusal is shown).
TOEWIJZEN_FIELDS = {"/data/aan": "aan", "/data/toelichting": "toelichting"}
AFSLUITEN_FIELDS = {"/data/reden": "reden", "/data/toelichting": "toelichting"}
