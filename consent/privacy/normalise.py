"""The one normalisation in front of the privacy rules, shared by the guard and ``privacy check``.

People (and the occasional tester) hide a BSN or a diagnosis from a word list with characters
that a reader does not see or reads as something else. Before the rules run, every string is
brought back to what a reader sees:

1. Unicode compatibility forms are folded (NFKC: fullwidth digits, ligatures, mathematical
   letters, superscripts, "㎎").
2. Format characters (category Cf: zero-width joiner and non-joiner, word joiner, soft hyphen,
   byte-order mark, bidi controls, ...) and combining marks are removed; diacritics play no part
   in the rules, and a mark stacked on a digit or letter does not change what it is.
3. Decimal digits of every script (Arabic-Indic, Devanagari, Bengali, ...) become ASCII digits.
4. Letters confusable with a Latin letter (Cyrillic "і", Greek "ο", ...) become that letter, per
   the confusables data of Unicode TS #39 as shipped by the ``confusable-homoglyphs`` package.

:meth:`TextNormaliser.disguises` then gives the spellings only the medical rule needs: digits and
signs used for letters inside a word ("psych0se", "5chizofrenie") and spaced-out letters
("s c h i z o f r e n i e", "s.c.h.i.z.o"), and :func:`encoded_texts` the text inside base64
tokens. Every result keeps a map to the original string, so spans still point into what the
sender wrote. Plain ASCII text without digits in words, spaced letters or long tokens takes
none of the slow paths.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

# A Latin-looking character drawn with a vertical stroke is "l" in the TS #39 skeleton; a
# capital one (Cyrillic "І", Greek "Ι") reads as "I" in a word, which is what the lexicon needs.
_CAPITAL_STROKE = "I"

# Digits and signs that stand for letters in a word ("ps1ch0se", "@dhd", "p$ychose").
_LEET = {"0": "o", "1": "i", "2": "z", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "b",
         "9": "g", "@": "a", "$": "s", "!": "i", "|": "l"}
_STROKES = frozenset("1!|")
_LEET_STROKE_AS_L = {**_LEET, "1": "l", "!": "l", "|": "i"}
# Where a word mixes letters with digits or signs. Confusables are Latin by now, so ASCII will
# do; a digit or sign is looked at first, because letters are everywhere and digits are not.
_LEET_GATE_RE = re.compile(r"[0-9](?<=[A-Za-z].)|[0-9@$!|](?=[A-Za-z])")
_LEET_WORD_RE = re.compile(r"[A-Za-z0-9@$!|]*[A-Za-z0-9]")
_LEET_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@$!|")
_MIN_LEET_LETTERS = 3

# Three or more single letters (or digits standing for letters) set apart by spaces, dots,
# dashes and the like: "s c h i z o", "s.c.h.i.z.o", "p-s-y-c-h-o-s-e". The gate (two single
# letters between separators) is cheap; the full pattern runs only where it matched.
_SEP = r"[\t\n\r .\-_*·•/+~:]"
_SPACED_GATE_RE = re.compile(rf"{_SEP}[A-Za-z0-9]{_SEP}{{1,3}}[A-Za-z0-9](?:{_SEP}|$)")
_SPACED_RE = re.compile(rf"(?<![^\W_])[^\W_](?:{_SEP}{{1,3}}[^\W_](?![^\W_])){{2,}}")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")

# base64 (standard or URL-safe alphabet, padding optional) of at least 9 bytes.
_BASE64_RE = re.compile(r"[A-Za-z0-9+/_-]{12,}={0,2}")
_MAX_ENCODED_TOKENS = 20
_MIN_TEXT = 0.9
_NOT_TEXT = frozenset({"Cc", "Cn", "Co", "Cs"})

_CACHE_MAX = 20_000


@dataclass(frozen=True)
class Normalised:
    """A rewritten text with, per character, the span of source characters it came from.

    ``starts`` and ``ends`` are empty when the text is the source unchanged. ``changed`` lists
    the spans of ``text`` that differ from the source, so a rule can ask whether a finding owes
    anything to the rewrite."""

    text: str
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    changed: list[tuple[int, int]] = field(default_factory=list)

    def origin(self, span: tuple[int, int]) -> tuple[int, int]:
        """The span of the source that ``span`` (in :attr:`text`) was made from."""
        if not self.starts:
            return span
        start, end = span
        if end <= start:
            at = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return at, at
        return self.starts[start], self.ends[end - 1]

    def touches_change(self, span: tuple[int, int]) -> bool:
        start, end = span
        return any(c_start < end and start < c_end for c_start, c_end in self.changed)


class _Builder:
    """Accumulates rewritten text and its map back to the source."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.changed: list[tuple[int, int]] = []
        self.length = 0

    def add(self, piece: str, start: int, end: int, changed: bool) -> None:
        if not piece:
            return
        n = len(piece)
        self.parts.append(piece)
        self.starts.extend([start] * n)
        self.ends.extend([end] * n)
        if changed:
            if self.changed and self.changed[-1][1] == self.length:
                self.changed[-1] = (self.changed[-1][0], self.length + n)
            else:
                self.changed.append((self.length, self.length + n))
        self.length += n

    def same(self, text: str, start: int, end: int) -> None:
        """Copy ``text[start:end]`` unchanged, each character mapping to itself."""
        if start >= end:
            return
        self.parts.append(text[start:end])
        self.starts.extend(range(start, end))
        self.ends.extend(range(start + 1, end + 1))
        self.length += end - start

    def build(self) -> Normalised:
        return Normalised("".join(self.parts), self.starts, self.ends, self.changed)


@functools.cache
def latin_confusables() -> Mapping[str, str]:
    """Non-ASCII letters -> the Latin letters they are confusable with (Unicode TS #39 data).

    Built on first use from the ``confusable-homoglyphs`` data; the mapping holds only letters
    whose prototype is ASCII letters, so Latin letters with diacritics ("é", "ë") keep theirs."""
    from confusable_homoglyphs.utils import load

    table: dict[str, str] = {}
    for char, homoglyphs in load("confusables.json").items():
        if len(char) != 1 or char.isascii() or not unicodedata.category(char).startswith("L"):
            continue
        if unicodedata.normalize("NFKC", char).isascii():
            continue  # NFKC decides ("ſ" is "s", "𝐚" is "a")
        latin = [h["c"] for h in homoglyphs if h["c"].isascii() and h["c"].isalpha()]
        if not latin:
            continue
        same_case = [t for t in latin if t.isupper() == char.isupper()]
        target = (same_case or latin)[0]
        if target == "l" and char.isupper():
            target = _CAPITAL_STROKE
        table[char] = target
    return table


class TextNormaliser:
    """Brings a string back to what a reader sees (see the module docstring)."""

    def __init__(self, confusables: Mapping[str, str] | None = None) -> None:
        self._confusables = latin_confusables() if confusables is None else confusables
        self._chars: dict[str, str] = {}

    # -- Unicode -------------------------------------------------------------------------------
    def unicode(self, text: str) -> Normalised:
        """NFKC, format characters and marks removed, digits to ASCII, confusables to Latin."""
        if text.isascii():
            return Normalised(text)
        char_map = self._char_map
        if all(char_map(c) == c for c in _NON_ASCII_RE.findall(text)):
            return Normalised(text)
        out = _Builder()
        pos = 0
        for m in _NON_ASCII_RE.finditer(text):
            i = m.start()
            mapped = char_map(m.group())
            if mapped == m.group():
                continue
            out.same(text, pos, i)
            if mapped:
                out.add(mapped, i, i + 1, True)
            elif out.ends:
                out.ends[-1] = i + 1  # a removed mark or joiner belongs to what precedes it
            pos = i + 1
        out.same(text, pos, len(text))
        return out.build()

    def _char_map(self, char: str) -> str:
        mapped = self._chars.get(char)
        if mapped is None:
            mapped = self._map_char(char)
            if len(self._chars) >= _CACHE_MAX:
                self._chars.clear()
            self._chars[char] = mapped
        return mapped

    def _map_char(self, char: str) -> str:
        if unicodedata.category(char) == "Cf":
            return ""
        compatible = unicodedata.normalize("NFKC", char)
        if compatible.isascii():
            return compatible
        if char in self._confusables:
            # Before NFKC, which may turn a look-alike into a letter of its own script
            # (Greek lunate sigma "ϲ" into "ς") or into a mark (ypogegrammeni).
            return self._confusables[char]
        out = []
        for c in compatible:
            if c.isascii():
                out.append(c)
                continue
            category = unicodedata.category(c)
            if category == "Cf" or category.startswith("M"):
                continue
            digit = unicodedata.decimal(c, None)
            if digit is not None:
                out.append(str(digit))
            else:
                out.append(self._confusables.get(c, c))
        return "".join(out)

    # -- spellings that hide a word ------------------------------------------------------------
    def disguises(self, text: str) -> list[Normalised]:
        """Readings of ``text`` (already :meth:`unicode`-normalised) with spaced-out letters
        joined and digits used as letters folded; empty when there is nothing to undo. A stroke
        ("1", "!", "|") is read once as "i" and once as "l"."""
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
        if not any(s < last_end and start < e for s, e, _ in runs):
            runs.append((start, last_end, False))
    return sorted(runs)


def _undisguise(
    text: str, runs: list[tuple[int, int, bool]], leet: Mapping[str, str]
) -> tuple[Normalised | None, bool]:
    """``text`` with every disguised run undone, and whether a stroke was read as a letter."""
    out = _Builder()
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
