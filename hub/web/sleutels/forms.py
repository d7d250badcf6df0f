"""The form of a new API key: a name, its scopes, an optional end date."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from tenants.model import Scope

SCOPE_LABELS = {
    Scope.MESSAGES_SEND: "Berichten versturen (messages:send)",
    Scope.MESSAGES_RECEIVE: "Berichten ontvangen (messages:receive)",
    Scope.REGIECHECK: "Regiechecks (regiecheck)",
    Scope.CONSENT_WRITE: "Toestemmingen vastleggen (consent:write)",
    Scope.CONSENT_READ: "Toestemmingen lezen (consent:read)",
    Scope.AUDIT_READ: "Logboek lezen (audit:read)",
    Scope.ADMIN: "Beheer (admin)",
}
FIELDS = {"/name": "naam", "/scopes": "scopes", "/expires_at": "verloopt_op"}


class SleutelForm(FlaskForm):
    naam = StringField("Naam", validators=[DataRequired("Vul een naam in."), Length(max=200)],
                       description="Waarvoor de sleutel is, bijvoorbeeld het systeem dat hem "
                                   "gebruikt.")
    scopes = SelectMultipleField(
        "Rechten", choices=[SelectChoice(s.value, label) for s, label in SCOPE_LABELS.items()],
        validators=[DataRequired("Kies ten minste één recht.")],
        option_widget=widgets.CheckboxInput(), widget=widgets.ListWidget(prefix_label=False))
    verloopt_op = DateField("Geldig tot en met", validators=[Optional()],
                            description="Leeg: geldig tot u de sleutel intrekt.")
