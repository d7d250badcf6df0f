"""The form of a new user: name, e-mail, username and roles."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from tenants.model import Role

ROLE_LABELS = {Role.MEDEWERKER: "Medewerker (inbox, signalen, regiechecks, zaken)",
               Role.PRIVACY_OFFICER: "Privacy officer (toestemmingen, beslissingen, inzage)",
               Role.TENANT_ADMIN: "Beheerder (gebruikers, sleutels, koppelingen)"}
SHORT_ROLE = {Role.MEDEWERKER: "medewerker", Role.INBOX_USER: "medewerker",
              Role.PRIVACY_OFFICER: "privacy officer", Role.TENANT_ADMIN: "beheerder",
              Role.HUB_ADMIN: "hubbeheerder"}
FIELDS = {"/email": "email", "/name": "naam", "/username": "gebruikersnaam",
          "/roles": "rollen"}


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()]


class RollenForm(FlaskForm):
    """An existing user's roles (the roles not offered here, such as hub admin, are kept)."""

    rollen = SelectMultipleField(
        "Rollen", choices=_role_choices(), validators=[DataRequired("Kies ten minste één rol.")],
        option_widget=widgets.CheckboxInput(), widget=widgets.ListWidget(prefix_label=False))


class GebruikerForm(FlaskForm):
    naam = StringField("Naam", validators=[DataRequired("Vul de naam in."), Length(max=200)])
    email = EmailField("E-mailadres", validators=[DataRequired("Vul het e-mailadres in."),
                                                  Length(max=254)])
    gebruikersnaam = StringField("Gebruikersnaam", validators=[
        DataRequired("Vul een gebruikersnaam in."), Length(min=3, max=64,
                                                           message="Gebruik 3 tot 64 tekens.")],
        description="Kleine letters, cijfers, punt, streepje of @; hiermee logt de gebruiker in.")
    rollen = SelectMultipleField(
        "Rollen", choices=_role_choices(), validators=[DataRequired("Kies ten minste één rol.")],
        option_widget=widgets.CheckboxInput(), widget=widgets.ListWidget(prefix_label=False))
