"""Spellings that hide a word or a number from the rules, undone on normalised text.

- digits and signs used as letters inside a word ("psych0se", "5chizofrenie", "p$ychose");
- letters spaced out ("s c h i z o f r e n i e", "s.c.h.i.z.o", "A.D.H.D");
- letters used as digits and digits spaced out with odd separators in a number ("111222ЗЗЗ",
  "1_1_1_2_2_2_3_3_3"), for the BSN rule;
- base64 tokens that decode to text.

Each reading is a :class:`~consent.privacy.normalise.Normalised` whose ``changed`` spans say
where it differs, so a rule counts only what the reading revealed. The gates are cheap ASCII
regexes: most texts have none of these and pay a few microseconds.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import unicodedata
from collections.abc import Mapping

from consent.privacy.normalise import Normalised, TextBuilder, digit_confusables

# Digits and signs that stand for letters in a word ("ps1ch0se", "@dhd", "p$ychose").
_LEET = {"0": "o", "1": "i", "2": "z", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "b",
         "9": "g", "@": "a", "$": "s", "!": "i", "|": "l"}
_STROKES = frozenset("1!|")
_LEET_STROKE_AS_L = {**_LEET, "1": "l", "!": "l", "|": "i"}
# Where a word mixes letters with digits or signs. Confusables are Latin by now, so ASCII will
# do; a digit or sign is looked at first, because letters are everywhere and digits are not.
_LEET_GATE_RE = re.compile(r"[0-9@$!|](?:(?<=[A-Za-z][0-9])|(?=[A-Za-z]))")
_LEET_WORD_RE = re.compile(r"[A-Za-z0-9@$!|]*[A-Za-z0-9]")
_LEET_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@$!|")
_MIN_LEET_LETTERS = 3
_HEX_TOKEN_CHARS = frozenset("0123456789abcdefABCDEF-")
#: A UUID, or a run of at least 8 hexadecimal characters mixing digits and letters.
_HEX_TOKEN_RE = re.compile(
    r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"
    r"|(?=[0-9a-fA-F-]*[0-9])(?=[0-9a-fA-F-]*[a-fA-F])[0-9a-fA-F][0-9a-fA-F-]{7,}")

# Three or more single letters (or digits standing for letters) set apart by spaces, dots,
# dashes and the like: "s c h i z o", "s.c.h.i.z.o", "p-s-y-c-h-o-s-e". The gate (two single
# letters between separators) is cheap; the full pattern runs only where it matched.
_SEP = r"[\t\n\r .\-_*·•/+~:\u00a0\u202f\u2009\u2007\u2002\u2003]"
_SPACED_GATE_RE = re.compile(rf"{_SEP}[A-Za-z0-9]{_SEP}{{1,3}}[A-Za-z0-9](?:{_SEP}|$)")
_SPACED_RE = re.compile(rf"(?<![^\W_])[^\W_](?:{_SEP}{{1,3}}[^\W_](?![^\W_])){{2,}}")
# base64 (standard or URL-safe alphabet, padding optional) of at least 9 bytes.
# (The look-behind keeps the engine from retrying inside every long word.)
_BASE64_RE = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{12,}={0,2}")
_MAX_ENCODED_TOKENS = 20
_MIN_TEXT = 0.9
_NOT_TEXT = frozenset({"Cc", "Cn", "Co", "Cs"})


# A number written with letters that look like digits ("111222ЗЗЗ", "1l1 222 333") or with
# single digits set apart by separators the BSN rule does not know ("1_1_1_2_2_2_3_3_3").
_WORD_RE = re.compile(r"[^\W_]+")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_ODD_SPACED_DIGITS_RE = re.compile(r"(?<![^\W_])[0-9](?:[_*·•~:+|#=]{1,3}[0-9](?![^\W_])){7,8}")
_NUMBER_SEPARATOR_RE = re.compile(r"[ .\-/\u00a0]{1,3}")
# The cheap gate: an ASCII look-alike ("l", "O", "I") or an odd separator right next to a digit.
# Look-alikes set apart by a space ("111 222 ЗЗЗ") are looked for in non-ASCII text only.
# (Two odd separators in a row, so that "14:30" and "2+2" do not open the gate.)
_ASCII_NUMBER_GATE_RE = re.compile(
    r"[0-9](?:[lOI]|(?<=[lOI][0-9])|[_*·•~:+|#=][0-9][_*·•~:+|#=][0-9])"
)


def readings(text: str) -> list[Normalised]:
    """Readings of ``text`` with spaced-out letters joined and digits used as letters folded;
    empty when there is nothing to undo. A stroke ("1", "!", "|") is read once as "i" and once
    as "l"."""
    runs = _disguised_runs(text)
    if not runs:
        return []
    variants = []
    for leet in (_LEET, _LEET_STROKE_AS_L):
        variant, strokes = _undisguise(text, runs, leet)
        if variant is None:
            break
        variants.append(variant)
        if not strokes:
            break
    return variants


def _disguised_runs(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, spaced) of the spaced-out runs and the words mixing letters and digits."""
    runs: list[tuple[int, int, bool]] = []
    if _SPACED_GATE_RE.search(text) is not None:
        runs.extend((*m.span(), True) for m in _SPACED_RE.finditer(text))
    last_end = -1
    for m in _LEET_GATE_RE.finditer(text):
        start = m.start()
        if start < last_end:
            continue
        while start > 0 and text[start - 1] in _LEET_WORD_CHARS:
            start -= 1
        word = _LEET_WORD_RE.match(text, start)
        if word is None:
            continue
        last_end = word.end()
        if _in_hex_token(text, start, last_end):
            continue
        if not any(s < last_end and start < e for s, e, _ in runs):
            runs.append((start, last_end, False))
    return sorted(runs)


def _in_hex_token(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is part of a machine identifier written in hexadecimal (a
    UUID, a hash): its digits are no disguise ("1cde" in a UUID is not "icde")."""
    while start > 0 and text[start - 1] in _HEX_TOKEN_CHARS:
        start -= 1
    while end < len(text) and text[end] in _HEX_TOKEN_CHARS:
        end += 1
    return _HEX_TOKEN_RE.fullmatch(text, start, end) is not None


def _undisguise(
    text: str, runs: list[tuple[int, int, bool]], leet: Mapping[str, str]
) -> tuple[Normalised | None, bool]:
    """``text`` with every disguised run undone, and whether a stroke was read as a letter."""
    out = TextBuilder()
    pos = 0
    strokes = False
    for start, end, joined in runs:
        chars = [(k, c) for k, c in enumerate(text[start:end], start) if not joined or c.isalnum()]
        n_leet = sum(1 for _, c in chars if c in leet)
        letters = len(chars) - n_leet
        if letters < _MIN_LEET_LETTERS or letters <= n_leet or not (joined or n_leet):
            continue
        out.same(text, pos, start)
        previous = start
        for k, c in chars:
            # A separator vanishes into the letter after it.
            out.add(leet.get(c, c), previous if joined else k, k + 1, joined or c in leet)
            strokes = strokes or (c in _STROKES)
            previous = k + 1
        pos = end
    if not out.changed:
        return None, False
    out.same(text, pos, len(text))
    return out.build(), strokes


def encoded_texts(text: str) -> list[tuple[tuple[int, int], str]]:
    """(span, decoded text) for each base64 token in ``text`` that decodes to readable text."""
    found: list[tuple[tuple[int, int], str]] = []
    for m in _BASE64_RE.finditer(text):
        token = m.group()
        start, end = m.span()
        if (start and (text[start - 1].isalnum() or text[start - 1] in "+/=-_")) or (
            end < len(text) and text[end].isalnum()
        ):
            continue  # part of a longer word of letters from outside the alphabet
        if token.isalpha() and (token.islower() or token[1:].islower()):
            continue  # an ordinary (long) word
        decoded = _decode(token)
        if decoded is not None:
            found.append((m.span(), decoded))
            if len(found) >= _MAX_ENCODED_TOKENS:
                break
    return found


def _decode(token: str) -> str | None:
    body = token.rstrip("=")
    if len(body) % 4 == 1:
        return None
    padded = body + "=" * (-len(body) % 4)
    try:
        if "-" in padded or "_" in padded:
            raw = base64.urlsafe_b64decode(padded)
        else:
            raw = base64.b64decode(padded, validate=True)
        decoded = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    # Text, not bytes that happen to be valid UTF-8: (almost) no control characters.
    controls = sum(1 for c in decoded if unicodedata.category(c) in _NOT_TEXT and c not in "\t\r\n")
    if not decoded or controls > (1 - _MIN_TEXT) * len(decoded):
        return None
    return decoded


def number_reading(text: str) -> Normalised | None:
    """``text`` with look-alike letters in numbers read as digits and oddly spaced digits
    joined, for the BSN rule; None when there is nothing to undo."""
    lookalikes = digit_confusables()
    if _ASCII_NUMBER_GATE_RE.search(text) is None and (
        text.isascii()
        or not any(c in lookalikes for c in _NON_ASCII_RE.findall(text))
        or _number_gate(frozenset(lookalikes)).search(text) is None
    ):
        return None
    out = TextBuilder()
    pos = 0
    for m in _ODD_SPACED_DIGITS_RE.finditer(text):
        start, end = m.span()
        out.same(text, pos, start)
        previous = start
        for k in range(start, end):
            if text[k].isdigit():
                out.add(text[k], previous, k + 1, True)
                previous = k + 1
        pos = end
    for start, end in _lookalike_words(text, lookalikes):
        if start < pos:
            continue
        out.same(text, pos, start)
        for k in range(start, end):
            char = text[k]
            out.add(lookalikes.get(char, char), k, k + 1, char in lookalikes)
        pos = end
    if not out.changed:
        return None
    out.same(text, pos, len(text))
    return out.build()


@functools.cache
def _number_gate(lookalikes: frozenset[str]) -> re.Pattern[str]:
    """A digit next to a look-alike letter (across a separator of up to three characters), or
    two digits across an odd separator."""
    look = "[" + "".join(re.escape(c) for c in sorted(lookalikes)) + "]"
    sep = r"[ .\-/\u00a0]"
    # Every branch starts at a digit (rare) rather than at a look-alike ("l" is everywhere).
    behind = "|".join(rf"(?<={look}{sep}{{{n}}}[0-9])" for n in range(4))
    return re.compile(rf"[0-9](?:{sep}{{0,3}}{look}|[_*·•~:+|#=]{{1,3}}[0-9]|{behind})")


def _lookalike_words(text: str, lookalikes: Mapping[str, str]) -> list[tuple[int, int]]:
    """Words of digits and look-alike letters with at least one of each ("111222ЗЗЗ"), and words
    of look-alikes only grouped with a number ("111 222 ЗЗЗ")."""
    words = []
    for m in _WORD_RE.finditer(text):
        word = m.group()
        if word.isdigit():
            kind = "digits"
        elif not all(c.isdigit() or c in lookalikes for c in word):
            continue
        else:
            kind = "mixed" if any(c.isdigit() for c in word) else "look"
        words.append((m.start(), m.end(), kind))
    found = []
    for k, (start, end, kind) in enumerate(words):
        if kind == "mixed":
            found.append((start, end))
        elif kind == "look":
            for j in (k - 1, k + 1):
                if 0 <= j < len(words) and words[j][2] != "look":
                    gap = text[words[j][1] : start] if j < k else text[end : words[j][0]]
                    if _NUMBER_SEPARATOR_RE.fullmatch(gap):
                        found.append((start, end))
                        break
    return found
