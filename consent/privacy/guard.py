"""The privacy guard: walks any JSON value and applies the BSN and medical-data rules to every
string, number and object key in it."""

from __future__ import annotations

import hashlib
import os
import threading
from typing import ClassVar

from consent.errors import PrivacyViolation
from consent.privacy.bsn import find_bsn, find_bsn_in_int
from consent.privacy.disguise import encoded_texts, number_reading, readings
from consent.privacy.findings import BSN, MEDICAL, Finding, Verdict
from consent.privacy.lexicon import Lexicon, build_lexicon
from consent.privacy.medical import MedicalMatcher, merge_spans
from consent.privacy.normalise import TextNormaliser

# base64 inside base64 is unwrapped this many times, no more.
_MAX_ENCODING_DEPTH = 2

# Integral floats up to this size are checked as the integer they hold (111222333.0).
_MAX_INTEGRAL_FLOAT = 10**10

# Short strings repeat from message to message (field names, codes, enumerations, a source):
# their findings are remembered, so each is scanned once. Up to this length, this many of them;
# object keys (field names) by themselves when they hold nothing offending, values by a keyed
# digest (a value itself is not kept).
_MEMO_MAX_LEN = 64
_MEMO_SIZE = 8192


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _redact(key: str, spans: list[tuple[int, int]]) -> str:
    """A pointer must not repeat what it points at: offending characters of a key become '*'."""
    chars = list(key)
    for start, end in spans:
        chars[start:end] = "*" * (end - start)
    return "".join(chars)


class PrivacyGuard:
    """Applies the hard privacy rules (no BSN, no medical data) to JSON values."""

    _default: ClassVar[PrivacyGuard | None] = None
    _default_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, lexicon: Lexicon, normaliser: TextNormaliser | None = None) -> None:
        self._medical = MedicalMatcher(lexicon)
        self._normaliser = normaliser or TextNormaliser()
        self._key_memo: dict[str, tuple[tuple[str, tuple[int, int]], ...]] = {}
        self._value_memo: dict[bytes, tuple[tuple[str, tuple[int, int]], ...]] = {}
        self._memo_key = os.urandom(32)

    @classmethod
    def default(cls) -> PrivacyGuard:
        """The guard with the shipped lexicon, built on first use and shared by the process."""
        if cls._default is None:
            with cls._default_lock:
                if cls._default is None:
                    cls._default = cls(build_lexicon())
        return cls._default

    # -- public API ------------------------------------------------------------------------
    def scan_text(self, text: str, hint: str = "") -> list[tuple[str, tuple[int, int]]]:
        """(rule, span) pairs for one string; ``hint`` is the name of the field holding it.

        The rules run on the normalised text (see ``normalise.py``); spans point into ``text``."""
        if len(text) > _MEMO_MAX_LEN:
            return self._scan_text(text, hint, 0)
        digest = hashlib.blake2b(f"{len(hint)}:{hint}{text}".encode("utf-8", "surrogatepass"),
                                 key=self._memo_key, digest_size=16).digest()
        return self._remembered(self._value_memo, digest, text, hint)

    def _scan_key(self, key: str) -> list[tuple[str, tuple[int, int]]]:
        """``scan_text`` of an object key (a field name)."""
        if len(key) > _MEMO_MAX_LEN:
            return self._scan_text(key, "", 0)
        return self._remembered(self._key_memo, key, key, "", clean_only=True)

    def _remembered(self, memo: dict, memo_key: object, text: str, hint: str, *,
                    clean_only: bool = False) -> list[tuple[str, tuple[int, int]]]:
        """The findings of ``text`` from ``memo``, scanning it when it is not there yet; with
        ``clean_only`` (a memo keyed by the text itself) only a text without findings is kept."""
        found = memo.get(memo_key)
        if found is None:
            found = tuple(self._scan_text(text, hint, 0))
            if not (clean_only and found):
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                memo[memo_key] = found
        return list(found)

    def _scan_text(self, text: str, hint: str, depth: int) -> list[tuple[str, tuple[int, int]]]:
        norm = self._normaliser.unicode(text)
        plain = norm.text
        bsn = find_bsn(plain, hint)
        numbers = number_reading(plain)
        if numbers is not None:
            bsn = merge_spans(
                bsn + [numbers.origin(s) for s in find_bsn(numbers.text, hint) if numbers.touches_change(s)]
            )
        found = [(BSN, norm.origin(span)) for span in bsn]
        medical = self._medical.find(plain)
        variants = readings(plain)
        for variant in variants:
            medical.extend(
                variant.origin(span)
                for span in self._medical.find(variant.text)
                if variant.touches_change(span)
            )
        if variants:
            medical = merge_spans(medical)
        found.extend((MEDICAL, norm.origin(span)) for span in medical)
        if depth < _MAX_ENCODING_DEPTH:
            for span, decoded in encoded_texts(plain):
                rules = {rule for rule, _ in self._scan_text(decoded, hint, depth + 1)}
                found.extend((rule, norm.origin(span)) for rule in sorted(rules))
        return found

    def scan(self, value: object, pointer: str = "") -> Verdict:
        findings: list[Finding] = []
        self._walk(value, pointer, "", findings)
        return Verdict(tuple(findings))

    def enforce(self, value: object, pointer: str = "") -> None:
        verdict = self.scan(value, pointer)
        if not verdict.ok:
            raise PrivacyViolation(verdict.findings)

    # -- traversal -------------------------------------------------------------------------
    def _walk(self, value: object, pointer: str, hint: str, out: list[Finding]) -> None:
        if isinstance(value, str):
            out.extend(Finding(rule, pointer, span) for rule, span in self.scan_text(value, hint))
        elif isinstance(value, bool) or value is None:
            return
        elif isinstance(value, int):
            out.extend(Finding(BSN, pointer, span) for span in find_bsn_in_int(value, hint))
        elif isinstance(value, float):
            if value.is_integer() and abs(value) < _MAX_INTEGRAL_FLOAT:
                out.extend(Finding(BSN, pointer, s) for s in find_bsn_in_int(int(value), hint))
        elif isinstance(value, dict):
            for key, item in value.items():
                key = str(key)
                key_hits = self._scan_key(key)
                segment = _escape(_redact(key, [span for _, span in key_hits]) if key_hits else key)
                child = f"{pointer}/{segment}"
                out.extend(Finding(rule, child, span) for rule, span in key_hits)
                self._walk(item, child, key, out)
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                self._walk(item, f"{pointer}/{index}", hint, out)
