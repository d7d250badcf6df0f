"""Issue 18's precision and recall cases: pregnancy and abortion, missing care-institution
names, figurative and place uses of medical words, and prefix-year-serial reference numbers."""

import pytest

from consent.privacy import PrivacyGuard


def medical(guard, text):
    return any(rule == "privacy.medical" for rule, _ in guard.scan_text(text))


def bsn(guard, text):
    return any(rule == "privacy.bsn" for rule, _ in guard.scan_text(text))


@pytest.mark.parametrize(
    "text",
    [
        "Mevrouw op 3-hoog is zwanger en kan de trap niet meer op.",
        "Haar zwangerschap verloopt moeizaam volgens de buurvrouw.",
        "Ze is hoogzwanger en de lift is al weken kapot.",
        "Zij heeft vorige maand een abortus gehad.",
        "Bewoonster is net bevallen van een dochter.",
        "De verloskundige komt dagelijks langs bij de huurster.",
        "Zij is in verwachting van haar derde kind.",
    ],
)
def test_pregnancy_and_abortion_are_medical(guard, text):
    assert medical(guard, text)


@pytest.mark.parametrize(
    "text",
    [
        "Het gesprek met de corporatie is goed bevallen.",
        "We zijn in afwachting van de reactie van de gemeente.",
    ],
)
def test_words_near_pregnancy_terms_are_not(guard, text):
    assert not medical(guard, text)


@pytest.mark.parametrize(
    "text",
    [
        "Meneer is gisteren naar Pro Persona gebracht.",
        "Cliënt verblijft sinds maart bij Reinier van Arkel.",
        "Zij is opgenomen bij Trajectum.",
        "Hij woont nu in een kliniek van 's Heeren Loo, daar verblijft hij sinds mei.",
        "Betrokkene zit in de Pompestichting.",
        "Na zijn ontslag uit Veldzicht woont hij weer in de flat.",
    ],
)
def test_a_stay_at_a_named_care_institution_is_medical(guard, text):
    assert medical(guard, text)


@pytest.mark.parametrize(
    "text",
    [
        "Regiecheck uitgezet bij Pro Persona en de corporatie.",
        "Meneer woont aan de Veldzicht 12 en draait harde muziek.",
    ],
)
def test_a_named_care_institution_on_its_own_is_not(guard, text):
    assert not medical(guard, text)


@pytest.mark.parametrize(
    "text",
    [
        "Het beleid van de gemeente is gewoon schizofreen.",
        "Wat een schizofreen beleid van de corporatie.",
        "De lift is depressief traag sinds de renovatie.",
        "De hond van de buren is psychotisch, hij blaft de hele nacht.",
        "Dat is een paranoïde systeem met drie wachtwoorden.",
        "Het weer is bipolair vandaag: zon, hagel, zon.",
        "De kat is depressief sinds de verhuizing.",
    ],
)
def test_a_diagnostic_adjective_said_of_a_thing_animal_or_policy_is_not_medical(guard, text):
    assert not medical(guard, text)


@pytest.mark.parametrize(
    "text",
    [
        "Meneer is schizofreen en schreeuwt 's nachts.",
        "De buurman met de hond is psychotisch.",
        "Zij is depressief sinds haar man overleed.",
        "Het beleid is streng; hij is paranoïde en belt elke dag.",
    ],
)
def test_the_same_adjective_about_a_person_still_is(guard, text):
    assert medical(guard, text)


@pytest.mark.parametrize(
    "text",
    [
        "Overlast van hangjongeren rond de methadonpost aan de Kanaalstraat.",
        "De methadonpost op de hoek trekt veel bezoekers en afval.",
        "De cosmetische kliniek op nummer 12 klaagt over geluid van de bovenburen.",
        "Ze werkt bij een cosmetische kliniek in het centrum.",
        "Het pand naast de verslavingskliniek staat leeg.",
    ],
)
def test_a_care_place_named_as_a_landmark_or_business_is_not_medical(guard, text):
    assert not medical(guard, text)


@pytest.mark.parametrize(
    "text",
    [
        "Hij haalt elke ochtend zijn dosis bij de methadonpost.",
        "Hij gaat elke dag naar de methadonpost.",
        "Meneer is opgenomen in de verslavingskliniek.",
        "Zij verblijft in een kliniek in Utrecht.",
    ],
)
def test_a_care_place_where_someone_gets_care_still_is(guard, text):
    assert medical(guard, text)


@pytest.mark.parametrize(
    "text",
    [
        "Zaak ZK-2026-111222333 is gesloten.",
        "Ons kenmerk MZW-2026-044126396, graag vermelden.",
        "Dossier zk/2025/111222333 overgedragen.",
        "PV-2024-103349856-2 opgemaakt door de wijkagent.",
    ],
)
def test_a_prefix_year_serial_reference_is_not_a_bsn(guard, text):
    assert not bsn(guard, text)


@pytest.mark.parametrize(
    "text",
    [
        "#overlast #123456782 #buren",
        "#woonoverlast #zorgen #111222333 #politie",
        "Dossier 2023-111222333 is gekoppeld.",  # no letter prefix: still a BSN
        "ZK-2026 111222333",  # a reference, then a separate number
        "Zaak ZK-2026-000123, bsn 111222333.",
    ],
)
def test_a_bare_eleven_proof_number_among_hashtags_or_references_still_counts(guard, text):
    assert bsn(guard, text)


@pytest.mark.parametrize("identifier", [
    "b94fb966-1cde-4a83-9607-c1b77a739011",   # "1cde" once read as a disguised word
    "00800f5e-1cde-4463-acc1-cf69f3e3268e",
    "5b7c1c7e5f0b4a7e9d0e2f1f4c3b2a10",
    "sha256:3a1d5e0f9c1cde0a",
])
def test_hexadecimal_identifiers_are_no_disguised_words(identifier):
    assert not PrivacyGuard.default().scan({"id": identifier, "data": {"ref": identifier}}).findings


def test_a_disguised_word_next_to_an_identifier_is_still_found():
    verdict = PrivacyGuard.default().scan({"data": {
        "omschrijving": "zaak b94fb966-1cde-4a83-9607-c1b77a739011: buurman heeft p5ychose"}})
    assert [f.rule for f in verdict.findings] == ["privacy.medical"]
