"""The form of a new organisation (tenant): id, name, kind, KvK/OIN and the alert address."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from tenants.model import TenantKind

KIND_LABELS = {
    TenantKind.MELDPUNT: "Meldpunt", TenantKind.ZORGAANBIEDER: "Zorgaanbieder",
    TenantKind.WONINGCORPORATIE: "Woningcorporatie", TenantKind.POLITIE: "Politie",
    TenantKind.GGD: "GGD", TenantKind.GEMEENTE: "Gemeente",
    TenantKind.JEUGDBESCHERMING: "Jeugdbescherming", TenantKind.HULPVERLENING: "Hulpverlening",
    TenantKind.OVERIG: "Overig"}

#: The service's JSON pointers → the fields.
FIELDS = {"/id": "id", "/name": "naam", "/kind": "soort", "/kvk": "kvk", "/oin": "oin",
          "/alert_email": "alert_email"}


class OrganisatieForm(FlaskForm):
    id = StringField("Id", validators=[DataRequired("Vul een id in."), Length(max=64)],
                     description="Kleine letters, cijfers en streepjes, bijvoorbeeld "
                                 "eigen-haard. Wordt later niet meer gewijzigd.")
    naam = StringField("Naam", validators=[DataRequired("Vul de naam in."), Length(max=200)])
    soort = SelectField("Soort organisatie", choices=[SelectChoice("", "Kies een soort")] + [
        SelectChoice(k.value, label) for k, label in KIND_LABELS.items()],
        validators=[DataRequired("Kies een soort organisatie.")])
    kvk = StringField("KvK-nummer", validators=[Optional(), Length(max=8)],
                      description="8 cijfers. Een KvK-nummer of OIN is nodig om berichten "
                                  "te versturen.")
    oin = StringField("OIN", validators=[Optional(), Length(max=20)], description="20 cijfers.")
    alert_email = StringField("E-mailadres voor meldingen", validators=[Optional(),
                                                                        Length(max=254)],
                              description="Hier komen meldingen als een koppeling is "
                                          "uitgeschakeld of een bericht niet aankwam.")
