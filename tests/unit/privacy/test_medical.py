"""The no-medical-data rule on free text."""

import pytest

from consent.privacy.lexicon import build_lexicon, parse_line
from consent.privacy.medical import MedicalMatcher


def medical(guard, text):
    return [span for rule, span in guard.scan_text(text) if rule == "privacy.medical"]


@pytest.mark.parametrize(
    "text, term",
    [
        ("Meneer heeft schizofrenie.", "schizofrenie"),
        ("Hij is bekend met een psychose.", "psychose"),
        ("Mevrouw is psychotisch sinds gisteren.", "psychotisch"),
        ("De zoon heeft ADHD.", "ADHD"),
        ("Bewoner heeft PTSS.", "PTSS"),
        ("Ze slikt oxazepam.", "oxazepam"),
        ("Hij gebruikt Haldol.", "Haldol"),
        ("Cliënt gebruikt lithium.", "lithium"),
        ("Hij krijgt een depot.", "depot"),
        ("Er is een zorgmachtiging afgegeven.", "zorgmachtiging"),
        ("Er is een crisismaatregel.", "crisismaatregel"),
        ("Na de IBS is hij thuis.", "IBS"),
        ("Hij zit op de PAAZ.", "PAAZ"),
        ("Diagnose F20.0 volgens de verwijzer.", "F20.0"),
        ("Hij krijgt 10 mg per dag.", "10 mg"),
        ("Hij is onder behandeling bij de psychiater.", "onder behandeling"),
        ("Ze ligt in het ziekenhuis.", "ziekenhuis"),
        ("Mevrouw heeft diabetes.", "diabetes"),
        ("Hij heeft borstkanker.", "borstkanker"),
        ("Een schizofreniepatient in de flat.", "schizofreniepatient"),
        ("Ze is psychosegevoelig.", "psychosegevoelig"),
    ],
)
def test_a_medical_term_is_caught_with_its_span(guard, text, term):
    spans = medical(guard, text)
    start = text.index(term)
    assert any(a <= start and start + len(term) <= b for a, b in spans), spans


@pytest.mark.parametrize(
    "text",
    [
        "Meneer heeft schizofernie.",
        "Meneer heeft schizzofrenie.",
        "Mevrouw heeft dementie",
        "Mevrouw heeft dementia",
        "Hij is bekend met psygose",
        "Ze gebruikt seroquell",
        "Hij heeft diabetis",
    ],
)
def test_common_misspellings_are_caught(guard, text):
    assert medical(guard, text)


@pytest.mark.parametrize(
    "text",
    [
        "Hij heeft depressies gehad.",
        "Paranoide gedachten volgens de begeleider, paranoïde schizofrenie.",
        "De Dementerende buurvrouw.",
        "persoonlijkheidsstoornissen",
    ],
)
def test_inflections_and_diacritics_are_caught(guard, text):
    assert medical(guard, text)


@pytest.mark.parametrize(
    "text",
    [
        "De fiets staat in het fietsdepot.",
        "Er lag een lithium-accu in de gang.",
        "Er stonden lithium batterijen te laden.",
        "De melding is opgenomen in het systeem.",
        "Ik heb contact opgenomen met de GGZ.",
        "Melder woont aan de Insulindeweg 4.",
        "Er is een ziekenhuis in de buurt.",
        "De melder werkt in het ziekenhuis.",
        "De klacht is in behandeling bij de corporatie.",
        "Meneer vertoont verward gedrag.",
        "Ernstige vervuiling en verzamelwoede.",
        "Agressie naar de buren en geluidsoverlast.",
        "Mevrouw leeft in een sociaal isolement.",
        "Vermoedelijk is hij verslaafd aan alcohol en drugs.",
        "Er is een geluidsopname gemaakt.",
        "Een opname van de ruzie staat op de telefoon van de melder.",
        "Regiecheck: bekend bij de GGZ.",
        "Hij scheldt de buren uit voor kanker.",
        "De huisarts is op de hoogte.",
        "Hij heeft een manie voor verzamelen.",
        "Er staat een blik van 500 ml bier.",
        "melding met code E33, verward persoon",
        "Het concert in het park was te luid.",
        "Het rendement van de zonnepanelen.",
    ],
)
def test_near_words_and_allowed_observations_are_not_medical(guard, text):
    assert medical(guard, text) == [], text


def test_admission_without_a_place_counts_when_a_person_is_admitted(guard):
    assert medical(guard, "Mevrouw is vorige week opgenomen.")
    assert medical(guard, "Hij is opgenomen geweest.")
    assert medical(guard, "De afspraken zijn opgenomen.") == []


def test_a_lexicon_line_has_variants_and_flags():
    assert parse_line("psychose | psychotisch ; nocompound") == (
        ["psychose", "psychotisch"],
        {"nocompound"},
    )
    assert parse_line("# a comment") is None
    assert parse_line("   ") is None


def test_a_lexicon_built_from_given_files_matches_only_its_terms():
    lexicon = build_lexicon([("custom.txt", "zeldzaamsyndroom\nALS ; case\n"), ("near_words.txt", "")])
    matcher = MedicalMatcher(lexicon)
    assert matcher.find("Hij heeft zeldzaamsyndroom.")
    assert matcher.find("Ze heeft ALS.")
    assert matcher.find("als het regent") == []
    assert matcher.find("Hij heeft schizofrenie.") == []


def test_near_words_listed_in_the_data_never_match():
    lexicon = build_lexicon([("a.txt", "insuline\n"), ("near_words.txt", "insulinen\n")])
    assert MedicalMatcher(lexicon).find("insulinen") == []
    assert MedicalMatcher(lexicon).find("insuline")


@pytest.mark.parametrize(
    "text",
    [
        "Terugkoppeling: cliënt is gisteren naar Dijk en Duin gebracht.",
        "Betrokkene ligt in Dijk en Duin, ontslag over 2 weken.",
        "Hij zit in de Valeriuskliniek.",
        "Meneer ligt in het AMC.",
        "Ze is naar het OLVG gebracht na de val.",
        "Hij is opgenomen in Santpoort.",
        "Meneer zit sinds vrijdag op de gesloten, volgens zijn broer.",
        "Ze is naar de gesloten gebracht.",
        "Reactie zorgaanbieder: cliënt is opgenomen. We nemen contact op zodra hij terug is.",
        "Hij probeert af te kicken.",
        "Mevrouw ligt aan de zuurstof.",
        "Hij lag op de IC.",
        "Ze is naar de SEH gebracht.",
        "Ze slikt zenuwpillen.",
        "Hij dreigt met zelfmoord.",
        "Meneer heeft hartproblemen.",
        "Na haar heupoperatie kan ze de trap niet op.",
        "Ze moet spuiten voor haar suiker.",
        "Olanzapine 2dd 1 tablet.",
        "De SPV meldt dat zijn behandelaar met verlof is.",
    ],
)
def test_named_clinics_colloquial_wards_and_treatment_words_are_caught(guard, text):
    assert medical(guard, text), text


@pytest.mark.parametrize(
    "text",
    [
        "Overleg via MS Teams op dinsdag 10:00.",
        "Stuur het verslag in MS Word.",
        "DRINGEND: ALS U NIET REAGEERT OP DEZE BRIEF, WORDT DE ZAAK DOORGEZET.",
        "Monteur stelde de diagnose: de cv-pomp is kapot.",
        "Het KNMI meldt een diepe depressie boven de Noordzee.",
        "Ik heb nachtdiensten in het ziekenhuis en slaap overdag.",
        "De zaak is gesloten.",
        "Zij stond op de gesloten deur te bonken.",
        "Metrostation AMC, uitgang B.",
        "Hij werkt in het AMC als beveiliger.",
        "De fietskliniek in de Pijp repareert zijn fiets.",
        "Ik heb de melding opgenomen. Contact volgt morgen.",
        "Als de melding in het plan past, wordt zij toegewezen aan de huidige behandelaar.",
        "Toewijzen hulpverlener / behandelaar: de partner pakt de zaak op.",
        "Brief d.d. 12 maart verstuurd.",
    ],
)
def test_products_shouting_weather_repairs_and_case_handling_are_not_medical(guard, text):
    assert medical(guard, text) == [], text


def test_a_clinic_compound_is_a_clinic_unless_its_first_part_names_something_else(guard):
    assert medical(guard, "Ze zit in de eetstoornissenkliniek.")
    assert medical(guard, "De hond is naar de dierenkliniek.") == []
