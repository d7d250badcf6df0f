"""The forms of a koppeling (endpoint): its kind and address, the subscription (message types)
and attempts; the change form sends only what changed (PATCH semantics)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from hub.intake.catalogue import EMITTED_TYPES, MESSAGE_TYPES
from hub.web.inbox.view import type_label

CONNECTOR_LABELS = {"webhook": "Webhook (https)", "amqp": "AMQP-wachtrij", "smtp": "E-mail"}
TYPES = sorted({*MESSAGE_TYPES, *EMITTED_TYPES})
#: The service's JSON pointers → the fields.
FIELDS = {"/connector": "soort", "/config/url": "adres", "/config/to": "adres",
          "/config/exchange": "exchange", "/config/routing_key": "routing_key",
          "/config/timeout_s": "timeout_s", "/types": "types", "/max_attempts": "max_attempts",
          "/config": "adres"}


def _type_choices() -> list[SelectChoice]:
    return [SelectChoice(t, f"{type_label(t)} ({t})") for t in TYPES]


class _Koppeling(FlaskForm):
    adres = StringField("Adres", validators=[DataRequired("Vul het adres in."), Length(max=2048)],
                        description="Webhook: een https-URL. AMQP: een amqps-URL. E-mail: het "
                                    "e-mailadres.")
    exchange = StringField("Exchange (AMQP)", validators=[Optional(), Length(max=255)])
    routing_key = StringField("Routing key (AMQP)", validators=[Optional(), Length(max=255)])
    timeout_s = DecimalField("Wachttijd per poging in seconden", places=None,
                             validators=[Optional(), NumberRange(0.5, 30, "Kies 0,5 tot 30 "
                                                                          "seconden.")])
    types = SelectMultipleField(
        "Berichttypen", choices=_type_choices(), validators=[Optional()],
        option_widget=widgets.CheckboxInput(), widget=widgets.ListWidget(prefix_label=False))
    max_attempts = IntegerField("Aantal pogingen", validators=[Optional(), NumberRange(
        1, 50, "Kies 1 tot 50 pogingen.")], description="Leeg: de standaard van de hub.")

    def config(self, connector: str) -> dict:
        """The connector's config from the fields that are filled in."""
        config: dict = {"to" if connector == "smtp" else "url": (self.adres.data or "").strip()}
        if connector == "amqp":
            for name in ("exchange", "routing_key"):
                if self[name].data:
                    config[name] = self[name].data.strip()
        if connector != "smtp" and self.timeout_s.data is not None:
            config["timeout_s"] = float(self.timeout_s.data)
        return config


class KoppelingForm(_Koppeling):
    soort = SelectField("Soort koppeling", choices=[SelectChoice("", "Kies een soort")] + [
        SelectChoice(c, label) for c, label in CONNECTOR_LABELS.items()],
        validators=[DataRequired("Kies een soort koppeling.")])


class WijzigForm(_Koppeling):
    """Changing an endpoint: the fields start at the current values."""
