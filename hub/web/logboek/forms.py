"""The log page's filter (a GET form: nothing changes, no CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

#: Processing activities as a privacy officer reads them.
ACTIVITY_LABELS = (
    ("", "Alle"),
    ("message.accepted", "Bericht aangenomen"), ("message.rejected", "Bericht geweigerd"),
    ("decision.recorded", "Deelbeslissing"), ("delivery.attempted", "Aflevering geprobeerd"),
    ("delivery.acknowledged", "Ontvangst bevestigd"), ("delivery.redrive", "Opnieuw aangeboden"),
    ("deliveries.withdrawn", "Afleveringen teruggenomen"),
    ("consent.registered", "Toestemming geregistreerd"),
    ("consent.withdrawn", "Toestemming ingetrokken"),
    ("begeleide_woning.registered", "Begeleide woning geregistreerd"),
    ("inzage.performed", "Inzage gedaan"), ("retention.run", "Bewaartermijnen: vernietiging"),
    ("regiecheck.vraag", "Regiecheck gevraagd"), ("regiecheck.antwoord", "Regiecheck beantwoord"),
    ("zaak.geopend", "Zaak geopend"), ("zaak.gesloten", "Zaak gesloten"),
    ("key.issued", "API-sleutel uitgegeven"), ("key.revoked", "API-sleutel ingetrokken"),
    ("user.created", "Gebruiker aangemaakt"), ("endpoint.created", "Koppeling aangemaakt"),
)


class LogFilterForm(FlaskForm):
    class Meta:
        csrf = False

    activiteit = SelectField("Verwerking", choices=[SelectChoice(k, v)
                                                    for k, v in ACTIVITY_LABELS], default="")
