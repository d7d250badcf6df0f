"""The Unicode test set of issue 18: every format character, every decimal digit script Python
knows, every confusable letter, leet and spacing, against BSNs and diagnoses. 0 accepted.

The sets are built by iterating over ``unicodedata``, so a newer Python with more scripts
widens the test by itself."""

import base64
import sys
import unicodedata

import pytest
from stdnum.nl import bsn as stdnum_bsn

from consent.privacy.normalise import digit_confusables, latin_confusables

BSN = "111222333"
DIAGNOSES = ["schizofrenie", "psychose", "depressie", "dementie", "epilepsie", "zwanger", "abortus"]

FORMAT_CHARS = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
# The zero of every decimal digit script: its nine successors are the digits 1..9.
DIGIT_ZEROS = [
    chr(c)
    for c in range(sys.maxunicode + 1)
    if unicodedata.category(chr(c)) == "Nd" and unicodedata.decimal(chr(c)) == 0
]


def accepted(guard, texts, rule):
    """The texts the guard lets through for ``rule``."""
    return [t for t in texts if rule not in {r for r, _ in guard.scan_text(t)}]


def test_the_sets_cover_what_python_knows():
    assert len(FORMAT_CHARS) >= 150
    assert len(DIGIT_ZEROS) >= 60


def test_no_format_character_hides_a_bsn(guard):
    texts = []
    for char in FORMAT_CHARS:
        texts.append(f"nummer 111{char}222{char}333 graag bellen")
        texts.append("bsn " + char.join(BSN))
    assert accepted(guard, texts, "privacy.bsn") == []


def test_no_format_character_hides_a_diagnosis(guard):
    texts = [f"Hij heeft {word[:3]}{char}{word[3:]}." for char in FORMAT_CHARS for word in DIAGNOSES]
    assert accepted(guard, texts, "privacy.medical") == []


def test_no_digit_script_hides_a_bsn(guard):
    texts = []
    for zero in DIGIT_ZEROS:
        digits = "".join(chr(ord(zero) + int(d)) for d in BSN)
        texts.append(f"Betrokkene {digits} woont op 2-hoog.")
        texts.append(f"bsn: {digits[:3]} {digits[3:6]} {digits[6:]}")
        # Mixed with ASCII digits.
        texts.append(f"nummer {digits[:4]}{BSN[4:]}")
    assert accepted(guard, texts, "privacy.bsn") == []


def test_no_invisible_filler_hides_a_bsn(guard):
    fillers = ["\u115f", "\u1160", "\u3164", "\uffa0", "\u034f", "\u17b4", "\u180b", "\ufe0f"]
    texts = [f"nummer 111{c}222{c}333" for c in fillers]
    assert accepted(guard, texts, "privacy.bsn") == []


def _valid_bsn_with(digit: str) -> str:
    for n in range(100_000_000, 999_999_999, 7919):
        candidate = str(n)
        if digit in candidate and stdnum_bsn.is_valid(candidate):
            return candidate
    raise AssertionError(digit)


def test_no_letter_that_looks_like_a_digit_hides_a_bsn(guard):
    """Every letter Unicode lists as confusable with a digit, in place of that digit."""
    texts = []
    for char, digit in digit_confusables().items():
        number = _valid_bsn_with(digit)
        k = number.index(digit)
        disguised = number[:k] + char + number[k + 1 :]
        texts.append(f"Betrokkene {disguised} belt")
        texts.append(f"bsn {disguised[:3]} {disguised[3:6]} {disguised[6:]}")
    assert len(texts) >= 200
    assert accepted(guard, texts, "privacy.bsn") == []


@pytest.mark.parametrize("sep", ["_", "*", "·", "~", ":", "+", "|", "#", "="])
def test_no_odd_separator_between_single_digits_hides_a_bsn(guard, sep):
    assert accepted(guard, [f"nummer {sep.join(BSN)} bellen"], "privacy.bsn") == []


def _confusables_by_letter():
    by_letter: dict[str, list[str]] = {}
    for char, latin in latin_confusables().items():
        if len(latin) == 1:
            by_letter.setdefault(latin.lower(), []).append(char)
    return by_letter


def test_no_confusable_letter_hides_a_diagnosis(guard):
    """Each letter of each diagnosis replaced, one at a time, by every character Unicode lists
    as confusable with it."""
    by_letter = _confusables_by_letter()
    texts = []
    for word in DIAGNOSES:
        for k, letter in enumerate(word):
            for char in by_letter.get(letter, []):
                texts.append(f"Buurman heeft {word[:k]}{char}{word[k + 1:]} volgens zijn zus.")
    assert len(texts) > 700
    assert accepted(guard, texts, "privacy.medical") == []


def test_no_whole_word_in_look_alikes_hides_a_diagnosis(guard):
    """Every letter replaced at once: the first confusable for each letter, and the
    mathematical alphabets that NFKC folds."""
    by_letter = _confusables_by_letter()
    texts = []
    for word in DIAGNOSES:
        if all(letter in by_letter for letter in word):
            texts.append("Zij heeft " + "".join(by_letter[letter][0] for letter in word))
            texts.append("Zij heeft " + "".join(by_letter[letter][-1] for letter in word))
        for style in ("BOLD", "ITALIC", "BOLD ITALIC", "SANS-SERIF", "MONOSPACE", "DOUBLE-STRUCK"):
            try:
                styled = "".join(unicodedata.lookup(f"MATHEMATICAL {style} SMALL {c.upper()}") for c in word)
            except KeyError:
                continue
            texts.append(f"Zij heeft {styled}")
    assert len(texts) >= 30
    assert accepted(guard, texts, "privacy.medical") == []


LEET = {"o": "0", "i": "1", "e": "3", "a": "4", "s": "5", "t": "7", "z": "2"}


def test_no_leet_spelling_hides_a_diagnosis(guard):
    texts = []
    for word in DIAGNOSES:
        positions = [k for k, c in enumerate(word) if c in LEET]
        for k in positions:  # one letter replaced
            texts.append(f"Hij heeft {word[:k]}{LEET[word[k]]}{word[k + 1:]}.")
        # as many letters replaced as the word allows while staying mostly letters
        word_list = list(word)
        for k in positions[: (len(word) - 1) // 2]:
            word_list[k] = LEET[word[k]]
        texts.append("Hij heeft " + "".join(word_list) + ".")
    assert accepted(guard, texts, "privacy.medical") == []


@pytest.mark.parametrize("sep", [" ", "  ", ".", "-", "_", "*", " . ", "\u00a0", "\u2009", "/"])
def test_no_spacing_hides_a_diagnosis(guard, sep):
    texts = [f"Zij heeft {sep.join(word)} en schreeuwt." for word in DIAGNOSES]
    texts += [f"Zij heeft {sep.join(word.upper())}!" for word in DIAGNOSES]
    assert accepted(guard, texts, "privacy.medical") == []


@pytest.mark.parametrize("sep", [" ", ".", "-", "\u00a0", "\u2009", " - "])
def test_no_spacing_hides_a_bsn(guard, sep):
    assert accepted(guard, [f"nummer {sep.join(BSN)} bellen"], "privacy.bsn") == []


def test_no_base64_hides_a_bsn_or_a_diagnosis(guard):
    bsn_texts, medical_texts = [], []
    for prefix in ("", "bsn ", "Betrokkene: "):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            bsn_texts.append("data " + encode(f"{prefix}{BSN}".encode()).decode())
            bsn_texts.append(encode(f"{prefix}{BSN}".encode()).decode().rstrip("="))
    for word in DIAGNOSES:
        medical_texts.append(base64.b64encode(f"Zij heeft {word}.".encode()).decode())
    assert accepted(guard, bsn_texts, "privacy.bsn") == []
    assert accepted(guard, medical_texts, "privacy.medical") == []


def test_tricks_combined_are_caught(guard):
    texts = [
        "Hij heeft ps\u200d\u0443ch0se",  # joiner, Cyrillic and a digit in one word
        "Hij heeft s\u00ad c h \u0456 z o f r e n i e",  # soft hyphen, spacing and a Cyrillic letter
        base64.b64encode("Hij heeft schіzofrenie".encode()).decode(),  # Cyrillic inside base64
    ]
    assert accepted(guard, texts, "privacy.medical") == []
    bsn = "\u0661\u0661\u0661\u200d\u0968\u0968\u0968\u2060333"  # three scripts and two joiners
    assert accepted(guard, [bsn, base64.b64encode(bsn.encode()).decode()], "privacy.bsn") == []
