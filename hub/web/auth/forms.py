"""The login forms. Labels and messages in Dutch."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

REQUIRED = "Vul dit veld in."


class LoginForm(FlaskForm):
    username = StringField("Gebruikersnaam", validators=[DataRequired(REQUIRED), Length(max=64)],
                           render_kw={"autocomplete": "username", "spellcheck": "false",
                                      "autocapitalize": "none"})
    password = PasswordField("Wachtwoord", validators=[DataRequired(REQUIRED), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    volgende = HiddenField()


class SecondFactorForm(FlaskForm):
    code = StringField("Code uit uw authenticator-app",
                       validators=[DataRequired(REQUIRED), Length(min=6, max=7,
                                                                  message="De code heeft 6 cijfers.")],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                                  "spellcheck": "false"})
    volgende = HiddenField()
