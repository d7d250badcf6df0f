"""Property-based tests: every valid BSN in every format is caught; look-alikes are not."""

import string

from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.nl import bsn as stdnum_bsn

from consent.privacy.bsn import _is_date, find_bsn, find_bsn_in_int

SEPARATORS = [" ", "\u00a0", "\u202f", ".", "-", " - ", "  "]


@st.composite
def valid_bsns(draw, length=9):
    body = draw(st.text(alphabet=string.digits, min_size=length - 1, max_size=length - 1))
    for check in string.digits:
        if stdnum_bsn.is_valid(body + check):
            return body + check
    assume(False)


@st.composite
def grouped(draw, digits):
    """Split ``digits`` into 1..9 groups joined by arbitrary separators."""
    cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), max_size=len(digits) - 1)))
    parts = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
    seps = [draw(st.sampled_from(SEPARATORS)) for _ in parts[1:]]
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=True):
        out += sep + part
    return out


PREFIXES = [
    "",
    "BSN ",
    "bsn: ",
    "BSN:",
    "bsn-nr. ",
    "sofinummer ",
    "Burgerservicenummer ",
    "Melding over meneer, ",
    "huisnummer 12, ",
    "(",
    "nr ",
    "\n",
]
SUFFIXES = ["", ".", ",", " ", ")", " is bekend", "\n", "; graag contact"]


@given(valid_bsns(), st.data())
def test_every_valid_bsn_in_every_grouping_is_caught(number, data):
    written = data.draw(grouped(number))
    text = data.draw(st.sampled_from(PREFIXES)) + written + data.draw(st.sampled_from(SUFFIXES))
    spans = find_bsn(text)
    assert any("".join(c for c in text[a:b] if c.isdigit()) == number for a, b in spans), (text, spans)


@given(valid_bsns(length=8), st.sampled_from(PREFIXES[:6]))
def test_every_valid_eight_digit_bsn_with_a_keyword_or_no_date_reading_is_caught(number, prefix):
    assume(stdnum_bsn.is_valid(number))
    text = prefix + number
    if "bsn" in prefix.lower() or "sofi" in prefix.lower() or "burger" in prefix.lower():
        assert find_bsn(text)
    elif not _is_date(number):
        assert find_bsn(text)


@given(valid_bsns())
def test_every_valid_bsn_as_a_json_integer_is_caught(guard, number):
    # An integer keeps at most the one implied leading zero of an 8-digit BSN.
    assume(len(str(int(number))) >= 8)
    verdict = guard.scan({"data": {"n": int(number)}})
    assert verdict.bsn
    assert verdict.findings[0].field == "/data/n"


@given(st.text(alphabet=string.digits, min_size=9, max_size=9), st.data())
def test_numbers_failing_the_eleven_proof_are_never_caught(number, data):
    assume(not stdnum_bsn.is_valid(number))
    assert find_bsn(data.draw(grouped(number))) == []
    assert find_bsn_in_int(int(number)) == []


@given(
    valid_bsns(),
    st.text(alphabet=string.digits, min_size=1, max_size=6),
    st.text(alphabet=string.digits, max_size=6),
)
def test_a_valid_bsn_inside_a_longer_digit_string_is_not_caught(number, before, after):
    longer = before + number + after
    # Only check texts in which no 9-digit window other than the embedded one is the point.
    assert find_bsn(longer) == []
    assert find_bsn("€ " + number[:3] + "." + number[3:6] + "." + number[6:] + ",00") == []


@given(valid_bsns(), st.sampled_from(["a", "F", "x", "Z"]))
def test_a_bsn_glued_to_letters_of_a_code_is_not_caught(number, letter):
    assert find_bsn(f"{letter}{number}") == []
    assert find_bsn(f"{number}{letter}") == []


@given(st.text(alphabet=string.digits, min_size=8, max_size=8))
def test_dutch_mobile_numbers_are_never_caught(number):
    assert find_bsn(f"06-{number}") == []
    assert find_bsn(f"+31 6 {number[:4]} {number[4:]}") == []
    assert find_bsn(f"06 {number[:4]} {number[4:]}") == []


@given(
    valid_bsns(), st.text(alphabet=string.digits, min_size=1, max_size=4), st.sampled_from(["-", "/", "."])
)
def test_a_nine_digit_bsn_joined_to_a_prefix_or_suffix_number_is_caught(number, other, sep):
    for text in (f"{other}{sep}{number}", f"{number}{sep}{other}", f"kenmerk {other}{sep}{number}."):
        spans = find_bsn(text)
        assert any(text[a:b] == number for a, b in spans), (text, spans)


@given(
    valid_bsns(),
    st.sampled_from(["BSN", "bsn:", "BSN-nummer", "sofi-nr", "Sofinr.", "burgerservicenummer", "bsnnr"]),
    st.sampled_from(["", " ", ".", "-"]),
)
def test_a_bsn_glued_to_its_keyword_is_caught_in_any_grouping(number, keyword, sep):
    written = sep.join((number[:3], number[3:6], number[6:])) if sep else number
    spans = find_bsn(keyword + written)
    assert any("".join(c for c in (keyword + written)[a:b] if c.isdigit()) == number for a, b in spans)


@given(
    st.text(alphabet=string.digits, min_size=7, max_size=7),
    st.text(alphabet=string.digits, min_size=8, max_size=8),
)
def test_a_list_of_a_landline_and_a_mobile_number_is_never_caught(landline, mobile):
    text = f"tel 020 {landline[:3]} {landline[3:5]} {landline[5:]} / 06 {mobile[:4]} {mobile[4:]}"
    assert find_bsn(text) == [], text
    assert find_bsn(f"tel 020-{landline} / 06-{mobile}") == []
