"""Find burgerservicenummers (BSN) in free text and in numbers.

A BSN is 9 digits (or 8 with an implied leading zero) passing the 11-proof. People write them
bare or grouped with spaces, non-breaking spaces, dots and dashes, in any grouping. The detector
therefore works on *runs*: maximal stretches of digit groups joined by separators. A run whose
digits add up to 8 or 9 is a candidate as a whole; inside a longer run only groups split off by
whitespace are candidates (``huisnummer 12 111222333``), because dots and dashes inside a longer
number mean one number (an amount, a date, an account), and the 11-proof passing by chance inside
it is no BSN. Before that, shapes that are known to be something else (IBAN, phone numbers with a
country code, UUIDs) are blanked out. See docs/privacy-rules.md for the full policy.
"""

from __future__ import annotations

import re
from datetime import date

from stdnum.nl import bsn as stdnum_bsn

# Separators people put between digit groups. Whitespace of any width (including NBSP U+00A0,
# narrow NBSP U+202F, thin space U+2009, figure space U+2007) or a dot/dash/slash that may be
# padded with one space ("111 - 222 - 333").
_WS = "[ \t\u00a0\u202f\u2009\u2007\u2002\u2003\u200b\r\n]"
_SEP = rf"(?:{_WS}{{1,3}}|{_WS}?[.\-\u2010\u2011\u2012\u2013\u2014/]{_WS}?)"
_RUN_RE = re.compile(rf"\d+(?:{_SEP}\d+)*")
_GROUP_RE = re.compile(r"\d+")
_WS_ONLY_RE = re.compile(rf"{_WS}+")
_DIGIT_RE = re.compile(r"\d")

# Shapes blanked out before looking for runs; each is a longer identifier that may contain an
# 11-proof-passing stretch by chance.
_MASKS = (
    # UUIDs (CloudEvents ids): digit stretches between hex letters are not numbers.
    re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
    # IBAN, compact or in groups of four ("NL91 ABNA 0417 1643 00").
    re.compile(r"\b[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]{4}){2,7}(?:[ \u00a0]?[A-Z0-9]{1,3})?\b"),
    # Dutch numbers with country code: +31 / 0031 and exactly nine national digits.
    re.compile(rf"(?:\+|\b00)31{_WS}?(?:\(0\){_WS}?)?\d(?:{_SEP}?\d){{8}}(?!\d)"),
    # Other international numbers.
    re.compile(rf"\+[1-9]\d{{0,2}}{_WS}?(?:\(0\){_WS}?)?\d(?:{_SEP}?\d){{5,12}}(?!\d)"),
)

# Reference numbers of the shape prefix-year-serial ("ZK-2026-111222333", "PV/2024/…"): a letter
# prefix and a year in front make the serial part of a zaak or dossier number. The pattern starts
# at the separator after the prefix (letters are everywhere); _mask checks the prefix.
_REFERENCE_RE = re.compile(r"(?<=[A-Za-z])([-/_.])(?:19|20)\d{2}\1\d{5,12}(?:-\d{1,3})?(?![\w-])")
_REFERENCE_PREFIX_RE = re.compile(r"(?<![\w-])[A-Za-z]{1,6}$")
_REFERENCE_PREFIX_MAX = 7

_KEYWORD_RE = re.compile(
    r"(?:bsn|burger\s?service\s?n(?:umme)?r|sofi(?:nummer|nr)?|sofi-nummer|persoonsnummer)"
    r"[\s.:#\-]*(?:n(?:umme)?r\.?|no\.?)?[\s.:#\-]*$",
    re.IGNORECASE,
)
# Keyword letters glued to the digits ("BSN111222333") do not make the run part of a code.
_GLUE_KEYWORD_RE = re.compile(r"(?:bsn|sofi|nr|nummer)$", re.IGNORECASE)
_KVK_RE = re.compile(r"(?:kvk|k\.v\.k\.|kamer\s+van\s+koophandel|handelsregister)", re.IGNORECASE)
_CURRENCY_BEFORE_RE = re.compile(r"(?:€|eur|euro|eu|\$|£)\s*[.:]?\s*$", re.IGNORECASE)
_CURRENCY_AFTER_RE = re.compile(r"^(?:,\d|,-|\s*(?:euro|eur)\b)", re.IGNORECASE)

_KVK_LOOKBEHIND = 40
_KEYWORD_LOOKBEHIND = 30


def _is_date(digits: str) -> bool:
    """True when 8 digits read as YYYYMMDD or DDMMYYYY in the years 1900-2099."""
    for y, m, d in ((digits[:4], digits[4:6], digits[6:]), (digits[4:], digits[2:4], digits[:2])):
        year = int(y)
        if 1900 <= year <= 2099:
            try:
                date(year, int(m), int(d))
            except ValueError:
                continue
            return True
    return False


def _mask(text: str) -> str:
    if not any(c in text for c in "+-/_.ABCDEFGHIJKLMNOPQRSTUVWXYZ0"):
        return text
    for pattern in _MASKS:
        text = pattern.sub(lambda m: "#" * len(m.group()), text)
    for m in _REFERENCE_RE.finditer(text):
        start = m.start()
        prefix = _REFERENCE_PREFIX_RE.search(text, max(0, start - _REFERENCE_PREFIX_MAX), start)
        if prefix is not None:
            text = text[: prefix.start()] + "#" * (m.end() - prefix.start()) + text[m.end() :]
    return text


def _glued_to_code(text: str, start: int, end: int) -> bool:
    """A run attached to letters is part of an alphanumeric code, unless the letters are a
    BSN keyword written without a space."""
    if end < len(text) and text[end].isalpha():
        return True
    if start > 0 and text[start - 1].isalpha():
        return not _GLUE_KEYWORD_RE.search(text, 0, start)
    return False


def _has_keyword(text: str, start: int) -> bool:
    return bool(_KEYWORD_RE.search(text[max(0, start - _KEYWORD_LOOKBEHIND) : start]))


def _is_amount(text: str, start: int, end: int) -> bool:
    return bool(
        _CURRENCY_BEFORE_RE.search(text[max(0, start - 6) : start])
        or _CURRENCY_AFTER_RE.match(text[end : end + 7])
    )


def _bsn_like(groups: list[tuple[int, int]]) -> bool:
    """Groups split off a longer run read as one number only in a few sizable groups; a list of
    single digits or house numbers ("2 4 6 8 10 12") is not a grouped BSN."""
    return len(groups) <= 4 and all(end - start >= 2 for start, end in groups)


def _candidates(run: str) -> list[tuple[int, int]]:
    """(start, end) offsets within ``run`` of the digit stretches that may be a BSN."""
    groups = [(m.start(), m.end()) for m in _GROUP_RE.finditer(run)]
    total = sum(e - s for s, e in groups)
    if total in (8, 9):
        return [(0, len(run))]
    if total < 8 or len(groups) == 1:
        return []
    # A single stretch of exactly nine digits is a candidate whatever joins it to its
    # neighbours ("12-111222333", "2023-111222333", "111222333/1"): nine digits in one piece
    # are not a fragment of a grouped amount, date or phone number, and a BSN must not slip
    # through.
    found = [(start, end) for start, end in groups if end - start == 9]
    if total == 10 and run[0] == "0" and 2 <= groups[0][1] - groups[0][0] <= 4:
        # A national phone number in groups: "020 123 45 67", "06 1234 5678".
        return found
    # seps[k] is the separator before group k. A run splits where the separator is whitespace
    # ("huisnummer 12 111222333") or a dot/dash/slash padded with whitespace ("111.222.333 -
    # 12-03-1975"): a spaced separator between two numbers, not inside one.
    seps = [""] + [run[groups[k - 1][1] : groups[k][0]] for k in range(1, len(groups))]
    splittable = (
        [True] + [_WS_ONLY_RE.fullmatch(sep) is not None or sep != sep.strip() for sep in seps[1:]] + [True]
    )
    kinds = [sep.strip() for sep in seps] + [""]
    n = len(groups)
    for i in range(n):
        digits = 0
        for j in range(i, n):
            digits += groups[j][1] - groups[j][0]
            if digits > 9:
                break
            if splittable[i] and splittable[j + 1]:
                # Eight digits split off a longer run only as a single group: anything else is
                # too often a piece of a grouped phone, card or account number.
                if (
                    (digits == 9 or (digits == 8 and i == j))
                    and _bsn_like(groups[i : j + 1])
                    and _one_kind(seps[i + 1 : j + 1])
                ):
                    found.append((groups[i][0], groups[j][1]))
            elif digits == 9 and j > i and _bsn_like(groups[i : j + 1]):
                # Nine digits grouped with one dot/dash/slash kind, set off by another kind
                # ("111.222.333/12-03-1975"): a change of separator starts a new number.
                inner = set(kinds[i + 1 : j + 1])
                tight = all(not splittable[k] for k in range(i + 1, j + 1))
                if tight and len(inner) == 1:
                    left = i == 0 or splittable[i] or kinds[i] not in inner
                    right = j == n - 1 or splittable[j + 1] or kinds[j + 1] not in inner
                    if left and right:
                        found.append((groups[i][0], groups[j][1]))
    return sorted(set(found))


def _one_kind(seps: list[str]) -> bool:
    """A stretch inside a longer run that crosses a spaced dot/dash/slash must use that
    separator throughout ("111 - 222 - 333"); "45 67 / 06" mixes two numbers."""
    padded = {sep.strip() for sep in seps if sep.strip() and sep != sep.strip()}
    if not padded:
        return True
    return len(padded) == 1 and all(sep.strip() in padded for sep in seps)


def find_bsn(text: str, hint: str = "") -> list[tuple[int, int]]:
    """Spans of BSNs in ``text``. ``hint`` is the name of the field holding the text; a field
    named after the KvK number makes an 8-digit value a KvK number rather than a BSN."""
    if _DIGIT_RE.search(text) is None:
        return []
    masked = _mask(text)
    kvk_field = "kvk" in hint.lower()
    spans: list[tuple[int, int]] = []
    for run in _RUN_RE.finditer(masked):
        r_start, r_end = run.span()
        if _glued_to_code(masked, r_start, r_end) and not _has_keyword(masked, r_start):
            continue
        for c_start, c_end in _candidates(run.group()):
            start, end = r_start + c_start, r_start + c_end
            digits = "".join(ch for ch in masked[start:end] if ch.isdigit())
            if not stdnum_bsn.is_valid(digits):
                continue
            if _has_keyword(masked, start):
                spans.append((start, end))
                continue
            if _is_amount(masked, start, end):
                continue
            if len(digits) == 8 and (
                kvk_field
                or _is_date(digits)
                or _KVK_RE.search(masked, max(0, start - _KVK_LOOKBEHIND), start)
            ):
                continue
            spans.append((start, end))
    return spans


def find_bsn_in_int(value: int, hint: str = "") -> list[tuple[int, int]]:
    """Spans (in ``str(value)``) when a JSON integer is a BSN. Integers lose leading zeros, so an
    8-digit integer is a BSN with its zero dropped; dates are not excluded here because an
    integer-typed date is far rarer than a BSN stored as a number."""
    text = str(value)
    digits = text.lstrip("-")
    if len(digits) not in (8, 9) or not stdnum_bsn.is_valid(digits):
        return []
    if len(digits) == 8 and "kvk" in hint.lower():
        return []
    return [(len(text) - len(digits), len(text))]
