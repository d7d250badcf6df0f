"""The consent form: the checklist of werkafspraak 10 (seed 004) as its structure — with whom,
why, why no other way, for how long, and the signed evidence — and the withdrawal form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from hub.web.inzage.forms import PersoonForm
from hub.web.signalen.forms import REQUIRED, CheckboxesField

CATEGORY_LABELS = (("signaal_overlast", "Signalen over overlast"),
                   ("signaal_zorg", "Signalen over zorgen"),
                   ("huurachterstand", "Huurachterstand"),
                   ("afspraken_wonen", "Afspraken over wonen (begeleidingsplan)"),
                   ("contactgegevens", "Contactgegevens"))
STATUS_LABELS = (("actief", "Actief"), ("verlopen", "Verlopen"), ("ingetrokken", "Ingetrokken"),
                 ("alle", "Alle"))
SHA256 = r"^\s*[0-9a-fA-F]{64}\s*$"


class ConsentForm(PersoonForm):
    """The client (``PersoonForm``: only for the pseudonym, never stored), then werkafspraak
    10's checklist."""

    # 1. With whom (named organisations of the network).
    netwerk = SelectField("Netwerk (convenant)", choices=[], validate_choice=False)
    ontvangers = CheckboxesField("Met welke organisaties mogen gegevens worden gedeeld?",
                                 choices=[], validate_choice=False,
                                 validators=[DataRequired("Kies minstens één organisatie.")])
    categorieen = CheckboxesField(
        "Welke gegevens", choices=[SelectChoice(k, v) for k, v in CATEGORY_LABELS],
        validators=[DataRequired("Kies minstens één soort gegevens.")])
    # 2. Why, and why no other way.
    doel = TextAreaField("Doel van het delen", validators=[DataRequired(REQUIRED),
                                                           Length(max=1000)],
                         description="Waarvoor worden de gegevens gedeeld? Geen BSN en geen "
                                     "medische gegevens.")
    noodzaak = TextAreaField("Noodzaak: waarom kan het niet anders?",
                             validators=[DataRequired(REQUIRED), Length(max=1000)],
                             description="Waarom is delen nodig voor de taak, en waarom kan het "
                                         "doel niet op een andere manier worden bereikt?")
    # 3. For how long.
    geldig_van = DateField("Geldig vanaf", validators=[DataRequired("Vul een datum in.")])
    geldig_tot = DateField("Geldig tot en met", validators=[DataRequired("Vul een datum in.")],
                           description="Een vaste termijn; ten hoogste twee jaar.")
    # The written evidence: its hash, never the file.
    bewijs = FileField("Ondertekend toestemmingsformulier",
                       description="Het bestand wordt niet bewaard: de hub berekent alleen de "
                                   "SHA-256-hash ervan.")
    bewijs_sha256 = StringField("Of: SHA-256-hash van het ondertekende formulier",
                                validators=[Optional(), Regexp(SHA256, message=(
                                    "Vul 64 tekens in (0-9 en a-f)."))],
                                render_kw={"autocomplete": "off", "spellcheck": "false"})
    ondertekend_op = DateField("Ondertekend op", validators=[DataRequired("Vul een datum in.")])

    def validate_geldig_tot(self, field: DateField) -> None:
        if field.data and self.geldig_van.data and field.data < self.geldig_van.data:
            raise ValidationError("De laatste dag ligt voor de eerste dag.")


class WithdrawForm(FlaskForm):
    reden = TextAreaField("Reden van intrekken", validators=[DataRequired(REQUIRED),
                                                             Length(max=1000)],
                          description="Bijvoorbeeld: de cliënt trok de toestemming in op "
                                      "…. Geen BSN en geen medische gegevens.")


#: The consent service's JSON pointers → the form's fields.
FIELDS = {"/client": "achternaam", "/client/achternaam": "achternaam",
          "/client/voorvoegsel": "voorvoegsel", "/client/voornamen": "voornamen",
          "/client/geboortedatum": "geboortedatum", "/network_id": "netwerk",
          "/recipients": "ontvangers", "/categories": "categorieen", "/purpose": "doel",
          "/necessity": "noodzaak", "/valid_from": "geldig_van", "/valid_until": "geldig_tot",
          "/evidence": "bewijs_sha256", "/evidence/sha256": "bewijs_sha256",
          "/evidence/signed_on": "ondertekend_op", "/achternaam": "achternaam",
          "/voorvoegsel": "voorvoegsel", "/voornamen": "voornamen"}
WITHDRAW_FIELDS = {"/reason": "reden"}

#: Dutch sentences for the registry's rules (the value is never repeated).
RULE_TEXT = {
    "consent.term_too_long": "De termijn is te lang: ten hoogste twee jaar.",
    "consent.valid_until_before_valid_from": "De laatste dag ligt voor de eerste dag.",
    "consent.valid_until_in_past": "De termijn is al voorbij.",
    "consent.valid_until_required": "Vul een datum in.",
    "consent.valid_from_before_signing": "De toestemming kan niet ingaan voordat het formulier "
                                         "is ondertekend.",
    "consent.signed_in_future": "De datum van ondertekening ligt in de toekomst.",
    "consent.evidence_sha256": "Kies het ondertekende formulier of vul de hash ervan in.",
    "consent.recipient_not_in_network": "Deze organisatie neemt niet deel aan het netwerk.",
    "consent.unknown_recipient": "Deze organisatie is onbekend.",
    "consent.recipient_not_organisation": "Noem organisaties, geen soort organisatie.",
    "consent.network_required": "Kies het netwerk.",
    "consent.not_in_network": "Uw organisatie neemt niet deel aan dit netwerk.",
    "consent.conflicting_provision": "Deze organisatie is dubbel gekozen.",
    "validation.required": "Vul dit veld in.",
    "validation.too_long": "Deze tekst is te lang.",
    "validation.date": "Vul een geldige datum in.",
}
