"""The no-BSN rule on strings and numbers."""

import pytest

from consent.privacy.bsn import find_bsn, find_bsn_in_int

BSN = "111222333"  # passes the 11-proof
EIGHT = "12345672"  # 8 digits, passes the 11-proof with an implied leading zero


@pytest.mark.parametrize(
    "text",
    [
        f"bsn {BSN}",
        f"BSN:{BSN}",
        f"BSN{BSN}",
        "bsn-nr. 111 222 333",
        "sofinummer 111.222.333",
        "burgerservicenummer: 111-222-333",
        "1112 22 333",
        "111\u00a0222\u00a0333",
        "111\u202f222\u202f333",
        "111 - 222 - 333",
        f"huisnummer 12, bsn {BSN}",
        f"huisnummer 12 {BSN}",
        f"{BSN} is het nummer",
        f"het nummer is {BSN}",
        f"tel 06-12345678 en {BSN}",
    ],
)
def test_a_bsn_in_any_written_form_is_caught(text):
    spans = find_bsn(text)
    assert spans, text
    start, end = spans[0]
    assert "".join(c for c in text[start:end] if c.isdigit()) == BSN


def test_a_bsn_with_dots_is_caught():
    assert find_bsn("111.222.333") == [(0, 11)]


def test_the_span_covers_exactly_the_number():
    text = "Melding over bsn 111 222 333 vandaag"
    assert find_bsn(text) == [(17, 28)]


def test_an_eight_digit_number_passing_the_eleven_proof_is_a_bsn():
    assert find_bsn(f"nummer {EIGHT}") == [(7, 15)]


@pytest.mark.parametrize(
    "text",
    [
        "111222334",  # fails the 11-proof
        "NL91 ABNA 0417 1643 00",
        "NL91ABNA0417164300",
        "06-12345678",
        "020-1234567",
        "020 123 45 67",
        "+31 6 1234 5678",
        "+31 20 111 222 33",
        "0031 6 11122233",
        "2026-11-20",
        "20-11-2026",
        "20261120",
        "€ 111.222.333",
        "111.222.333,00 euro",
        "€111222333",
        "5b7c1c7e-5f0b-4a7e-9d0e-2f1f4c3b2a10",
        "1111222333",
        "1112223330",
        "00000001111222333000",
        "8711112223331",
        "urn:nld:kvk:12345672:systeem:crm",
        "KvK-nummer 12345672",
        "kenmerk ZK111222333",
        "Postcode 1012 AB, huisnummer 14",
        "om 09:30 uur",
        "huisnummers 2 4 6 8 10 12 14 16",
    ],
)
def test_numbers_that_look_like_a_bsn_but_are_something_else_are_not_caught(text):
    assert find_bsn(text) == [], text


def test_eight_digits_read_as_a_date_are_not_a_bsn_unless_a_bsn_keyword_precedes():
    date_like = "20000108"  # 8 January 2000, and passes the 11-proof
    assert find_bsn(f"datum {date_like}") == []
    assert find_bsn(f"BSN {date_like}") == [(4, 12)]


def test_an_integer_bsn_is_caught_with_its_span_in_the_decimal_string():
    assert find_bsn_in_int(111222333) == [(0, 9)]
    assert find_bsn_in_int(-111222333) == [(1, 10)]
    assert find_bsn_in_int(int(EIGHT)) == [(0, 8)]


def test_an_integer_that_fails_the_eleven_proof_or_is_too_long_is_not_a_bsn():
    assert find_bsn_in_int(111222334) == []
    assert find_bsn_in_int(1111222333) == []
    assert find_bsn_in_int(42) == []


def test_an_eight_digit_integer_in_a_kvk_field_is_a_kvk_number():
    assert find_bsn_in_int(int(EIGHT), hint="kvk_nummer") == []
    assert find_bsn(EIGHT, hint="kvk") == []


@pytest.mark.parametrize(
    "text",
    [
        "12-111222333",
        "Kenmerk uit het oude systeem: 12-111222333.",
        "Dossier 2023-111222333 is gekoppeld.",
        "111222333-1",
        "111222333/1",
        "ref 7.111222333",
    ],
)
def test_nine_digits_in_one_piece_are_a_bsn_whatever_joins_them_to_another_number(text):
    spans = find_bsn(text)
    assert [text[a:b] for a, b in spans] == [BSN], spans


@pytest.mark.parametrize(
    "text",
    [
        "BSN111222333",
        "bsn:111222333",
        "BSN-nummer111222333",
        "sofi-nr111.222.333",
        "burgerservicenummer111222333",
        "BSNnr111222333",
        "Sofinr.111 222 333",
        "bsn#111222333",
    ],
)
def test_a_keyword_glued_to_the_number_does_not_make_it_a_code(text):
    spans = find_bsn(text)
    assert spans, text
    assert "".join(c for c in text[spans[0][0] : spans[0][1]] if c.isdigit()) == BSN


@pytest.mark.parametrize(
    "text",
    [
        "BSN 111.222.333 - 12-03-1975",
        "bsn 111 222 333 / 06-12345678",
        "111-222-333 / 2024-0183",
        "BSN 111.222.333/12-03-1975",
        "geboren 12-03-2024/111.222.333",
        "Bsn 111222333e",
    ],
)
def test_a_grouped_bsn_next_to_another_number_behind_another_separator_is_caught(text):
    spans = find_bsn(text)
    assert spans, text
    assert "".join(c for c in text[spans[0][0] : spans[0][1]] if c.isdigit()) == BSN


@pytest.mark.parametrize(
    "text",
    [
        "tel 020 123 45 67 / 06 123 456 78",
        "020-1234567 / 06-12345678",
        "06 - 123 456 78",
        "Oude meldingen: 2021-0014, 2022-0356, 2023-1102.",
        "Kenmerk 1111222333 (oud zaaksysteem, 10 cijfers).",
        "Zaaknummer ZK111222333 in Decos.",
    ],
)
def test_phone_lists_case_numbers_and_longer_numbers_near_separators_are_not_a_bsn(text):
    assert find_bsn(text) == [], text
