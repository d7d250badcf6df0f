"""Nieuw bericht for the meldpunt: the urgent form (``nl.ketenhub.urgent.v1``, seed 000 step 5).
Toewijzing and afsluiting are sent from the zaak's page, where their kenmerk is known."""

from __future__ import annotations

from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from hub.web.fields import filled
from hub.web.signalen.forms import ADRES_FIELDS, REQUIRED, AdresForm


class UrgentForm(AdresForm):
    achternaam = StringField("Achternaam", validators=[DataRequired(REQUIRED), Length(max=200)])
    voorvoegsel = StringField("Voorvoegsel", validators=[Optional(), Length(max=20)])
    voornamen = StringField("Voornamen", validators=[Optional(), Length(max=200)])
    geboortedatum = DateField("Geboortedatum", validators=[DataRequired("Vul een datum in.")])
    situatieschets = TextAreaField(
        "Situatieschets", validators=[DataRequired(REQUIRED), Length(max=1000)],
        description="Wat maakt de situatie urgent? Geen BSN en geen medische gegevens; de "
                    "veiligheidscoördinator krijgt deze tekst niet.")
    naam = StringField("Naam contactpersoon", validators=[DataRequired(REQUIRED), Length(max=200)],
                       render_kw={"autocomplete": "name"})
    functie = StringField("Functie", validators=[Optional(), Length(max=200)])
    telefoon = StringField("Telefoon", validators=[Optional(), Length(max=32)],
                           render_kw={"autocomplete": "tel", "inputmode": "tel"})
    email = StringField("E-mail", validators=[Optional(), Length(max=254), Regexp(
        r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Vul een geldig e-mailadres in.")],
        render_kw={"autocomplete": "email"})
    zaak_kenmerk = StringField("Zaakkenmerk", validators=[Optional(), Length(max=64)],
                               description="Het urgente bericht komt in de tijdlijn van deze zaak.")

    def data_for_event(self) -> dict:
        persoon = {"achternaam": self.achternaam.data.strip(),
                   "geboortedatum": self.geboortedatum.data.isoformat(),
                   **filled(self, ("voorvoegsel", "voornamen"))}
        contact = {"naam": self.naam.data.strip(), **filled(self, ("functie", "telefoon", "email"))}
        data = {"personen": [persoon], "adres": self.adres(),
                "situatieschets": self.situatieschets.data.strip(), "contact": contact}
        if (self.zaak_kenmerk.data or "").strip():
            data["zaak_kenmerk"] = self.zaak_kenmerk.data.strip()
        return data


#: The intake's JSON pointers → the form's fields (where a refusal is shown).
URGENT_FIELDS = {**ADRES_FIELDS, "/data/personen": "achternaam",
                 "/data/personen/0/achternaam": "achternaam",
                 "/data/personen/0/voorvoegsel": "voorvoegsel",
                 "/data/personen/0/voornamen": "voornamen",
                 "/data/personen/0/geboortedatum": "geboortedatum",
                 "/data/situatieschets": "situatieschets", "/data/contact": "naam",
                 "/data/contact/naam": "naam", "/data/contact/functie": "functie",
                 "/data/contact/telefoon": "telefoon", "/data/contact/email": "email",
                 "/data/zaak_kenmerk": "zaak_kenmerk"}
