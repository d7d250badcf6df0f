"""The one normalisation in front of the rules: each bypass reported in issue 18, one test each,
and the spans still pointing into what the sender wrote."""

import base64

import pytest

from consent.privacy.disguise import encoded_texts
from consent.privacy.normalise import TextNormaliser, latin_confusables


def rules(guard, text):
    return {rule for rule, _ in guard.scan_text(text)}


def spans(guard, text, rule):
    return [span for r, span in guard.scan_text(text) if r == rule]


@pytest.fixture(scope="module")
def normaliser():
    return TextNormaliser()


# -- BSN ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "joiner",
    ["\u200d", "\u200c", "\u2060", "\u00ad", "\ufeff", "\u200e", "\u2062", "\u180e"],
    ids=["zwj", "zwnj", "word-joiner", "soft-hyphen", "bom", "lrm", "invisible-times", "mvs"],
)
def test_a_bsn_with_format_characters_between_its_digits_is_caught(guard, joiner):
    text = f"Meldpunt: betrokkene 111{joiner}222{joiner}333 belt opnieuw."
    assert spans(guard, text, "privacy.bsn") == [(21, 32)]


def test_a_bsn_with_a_format_character_between_every_digit_is_caught(guard):
    text = "bsn " + "\u2060".join("111222333")
    assert spans(guard, text, "privacy.bsn") == [(4, len(text))]


@pytest.mark.parametrize(
    "zero",
    ["\u0660", "\u06f0", "\u0966", "\u09e6", "\u0e50", "\uff10", "\U0001d7ce"],
    ids=["arabic-indic", "extended-arabic-indic", "devanagari", "bengali", "thai", "fullwidth",
         "math-bold"],
)
def test_a_bsn_in_another_digit_script_is_caught(guard, zero):
    digits = "".join(chr(ord(zero) + int(d)) for d in "111222333")
    text = f"Nummer {digits} graag verwijderen"
    assert spans(guard, text, "privacy.bsn") == [(7, 7 + len(digits))]


def test_a_bsn_in_base64_is_caught_and_the_whole_token_is_the_span(guard):
    token = base64.b64encode(b"BSN 111222333").decode()
    text = f"bijlage: {token} einde"
    assert spans(guard, text, "privacy.bsn") == [(9, 9 + len(token))]


def test_a_bsn_in_base64_inside_base64_is_caught(guard):
    inner = base64.b64encode(b"111222333")
    outer = base64.b64encode(inner).decode()
    assert rules(guard, outer) == {"privacy.bsn"}


def test_a_bsn_in_url_safe_base64_without_padding_is_caught(guard):
    token = base64.urlsafe_b64encode("bsn: 111222333 ÿ?".encode()).decode().rstrip("=")
    assert rules(guard, token) == {"privacy.bsn"}


# -- medical ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    [
        "sch\u0456zofrenie",  # Cyrillic і
        "\u0440\u0455\u0443\u0441\u04bb\u043e\u0455\u0435",  # psychose in Cyrillic look-alikes only
        "SCH\u0406ZOFRENIE",  # Cyrillic capital І
        "ps\u0443ch\u03bfse",  # Cyrillic u and Greek omicron
        "\U0001d429\U0001d42c\U0001d432\U0001d41c\U0001d421\U0001d428\U0001d42c\U0001d41e",  # bold
        "\uff53\uff43\uff48\uff49\uff5a\uff4f\uff46\uff52\uff45\uff4e\uff49\uff45",  # fullwidth
        "schi\u0301zofreni\u0308e",  # combining marks
        "schizo\u00adfrenie",  # soft hyphen
        "schizo\u200dfrenie",  # zero-width joiner
    ],
)
def test_a_diagnosis_written_with_look_alike_or_invisible_characters_is_caught(guard, word):
    text = f"Buurman heeft {word} volgens zijn zus."
    assert spans(guard, text, "privacy.medical") == [(14, 14 + len(word))]


@pytest.mark.parametrize(
    "word", ["psych0se", "5chizofrenie", "schiz0fr3ni3", "d3pr3ssie", "ps1ch0se", "p$ychose", "@dhd"]
)
def test_a_diagnosis_with_digits_or_signs_for_letters_is_caught(guard, word):
    text = f"Hij heeft {word}, zegt de buurvrouw."
    assert spans(guard, text, "privacy.medical") == [(10, 10 + len(word))]


@pytest.mark.parametrize(
    "word",
    [
        "s c h i z o f r e n i e",
        "s.c.h.i.z.o.f.r.e.n.i.e",
        "s-c-h-i-z-o-f-r-e-n-i-e",
        "p  s  y  c  h  o  s  e",
        "A.D.H.D",
        "p s y c h 0 s e",
    ],
)
def test_a_diagnosis_with_its_letters_spaced_out_is_caught(guard, word):
    text = f"Ze heeft {word} en schreeuwt."
    assert spans(guard, text, "privacy.medical") == [(9, 9 + len(word))]


def test_a_diagnosis_in_base64_is_caught(guard):
    token = base64.b64encode(b"Meneer heeft schizofrenie").decode()
    assert rules(guard, f"zie {token}") == {"privacy.medical"}


def test_a_key_with_a_disguised_diagnosis_is_caught_and_redacted_in_the_pointer(guard):
    verdict = guard.scan({"data": {"psych0se": True}})
    assert [f.field for f in verdict.findings] == ["/data/********"]


# -- what the normalisation leaves alone -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Cliënt woont op 2-hoog, Javastraat 88-3, 1094 HK. Vervolgafspraak 21/5 om 10:00.",
        "Id 5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10, "
        "hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "Token eyJhbGciOiJIUzI1NiJ9 en dossier ZK-2026-000123; mp3-speler en 4G-modem kapot.",
        "Сосед слушает громкую музыку каждую ночь.",  # Russian: no Dutch diagnosis in it
        "Blok A, B, C en D krijgen nieuwe sloten; de a.s. maandag i.v.m. onderhoud.",
        "Arbeidsongeschiktheidsverzekering en Stadsdeelwerkzaamheden lopen door.",
    ],
)
def test_ordinary_text_with_codes_foreign_letters_and_initials_stays_clean(guard, text):
    assert guard.scan_text(text) == []


def test_plain_ascii_text_is_returned_as_it_is(normaliser):
    norm = normaliser.unicode("bsn 111222333")
    assert norm.text == "bsn 111222333" and norm.origin((4, 13)) == (4, 13)


def test_dutch_diacritics_are_left_for_the_lexicon_to_fold(normaliser):
    assert normaliser.unicode("Cliënt heeft geen één probleem").text == "Cliënt heeft geen één probleem"


def test_the_unicode_step_maps_every_character_back_to_its_source(normaliser):
    text = "x\u200d１٢\u0301ѕ"
    norm = normaliser.unicode(text)
    assert norm.text == "x12s"
    assert [norm.origin((k, k + 1)) for k in range(4)] == [(0, 2), (2, 3), (3, 5), (5, 6)]


def test_the_confusables_table_comes_from_the_unicode_data_and_keeps_dutch_letters():
    table = latin_confusables()
    assert len(table) > 400
    assert table["\u0456"] == "i" and table["\u043e"] == "o" and table["\u0406"] == "I"
    assert not {"é", "ë", "ï", "ö", "ü", "è", "ç"} & set(table)


def test_a_long_ordinary_word_is_not_decoded_as_base64():
    assert encoded_texts("Arbeidsongeschiktheidsverzekering") == []


def test_random_bytes_in_base64_are_not_decoded_as_text():
    token = base64.b64encode(bytes(range(200, 250))).decode()
    assert encoded_texts(token) == []


@pytest.mark.parametrize(
    "text, span",
    [
        ("Betrokkene 111222\u0417\u0417\u0417 belt", (11, 20)),  # Cyrillic Ze for 3
        ("nummer 1l1222333", (7, 16)),  # l for 1
        ("nummer 111 222 \u0417\u0417\u0417 bellen", (7, 18)),  # a group of look-alikes
        ("nummer 1_1_1_2_2_2_3_3_3 bellen", (7, 24)),  # an odd separator
        ("nummer 111\u3164222\u3164333", (7, 18)),  # Hangul filler, a letter that renders as nothing
    ],
)
def test_a_bsn_written_with_look_alike_letters_or_odd_separators_is_caught(guard, text, span):
    assert spans(guard, text, "privacy.bsn") == [span]


@pytest.mark.parametrize(
    "text",
    ["10 lampen en 111 liter water", "Kamer 1O1 op 2-hoog", "2 of 3 keer per week", "Blok I, nr 12"],
)
def test_letters_next_to_numbers_are_not_read_as_digits_without_a_bsn(guard, text):
    assert guard.scan_text(text) == []
