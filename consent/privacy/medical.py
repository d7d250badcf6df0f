"""Find medical data in free text: lexicon terms, context rules, dosages and diagnosis codes.

Most texts contain no medical data, so the matcher first asks a cheap question (does any token
of the text occur in the trigger set, is any long token a possible compound, is there a digit
pattern) using one ``findall`` and C-level set operations. Only texts that pass that gate are
walked token by token to compute spans and apply the context rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from consent.privacy.lexicon import COMPOUND_RESTS, WORD_RE, Lexicon, fold
from consent.privacy.medical_context import RULES, Token

# "10 mg", "2,5mg", "50 microgram", "3x daags"; millilitres are left out ("een blik van 500 ml").
_DOSAGE = r"\d+(?:[.,]\d+)?\s?(?:mg|milligram|mcg|µg|microgram)\b|\b\d\s?[x×]\s?daags\b"
# ICD-10 codes with a subcode ("F20.0", "G40.3"); bare codes and DSM numbers need a keyword.
_ICD_SUB = r"\b[A-TV-Z]\d{2}\.\d{1,2}\b"
_CODE_WITH_KEYWORD = (
    r"(?i:\b(?:icd(?:-?1[01])?|dsm(?:-?(?:iv|5|iv-tr))?|diagnosecode|classificatie|code|as\s?i)"
    r"[\s:.\-]*)(?:[A-TV-Z]\d{2}(?:\.\d{1,2})?\b|\d{3}\.\d{1,2}\b)"
)
_PATTERN_RE = re.compile(rf"{_DOSAGE}|{_ICD_SUB}|{_CODE_WITH_KEYWORD}", re.IGNORECASE)
_CODE_ONLY_RE = re.compile(rf"{_ICD_SUB}|{_CODE_WITH_KEYWORD}")
_CLAUSE_END_RE = re.compile(r"\s*(?:[.!?;:)\]\"]|$)")

_MIN_COMPOUND = 8


class MedicalMatcher:
    """Spans of medical data in a string, from a built :class:`Lexicon`."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lex = lexicon
        self._triggers = lexicon.triggers | frozenset(RULES)
        self._case_re = (
            re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, sorted(lexicon.case_words))))
            if lexicon.case_words
            else None
        )

    def find(self, text: str) -> list[tuple[int, int]]:
        if not self._may_match(text):
            return []
        spans = self._lexical_spans(text)
        spans.extend(self._pattern_spans(text))
        return _merge(spans)

    # -- gate ------------------------------------------------------------------------------
    def _may_match(self, text: str) -> bool:
        words = fold(" ".join(WORD_RE.findall(text))).split()
        if not self._triggers.isdisjoint(words):
            return True
        lex = self._lex
        for w in words:
            if len(w) >= _MIN_COMPOUND and (
                w.endswith(lex.heads) or w.startswith(lex.modifiers)
            ) and self._compound(w):
                return True
        if self._case_re is not None and self._case_re.search(text):
            return True
        return any(c.isdigit() for c in text) and _PATTERN_RE.search(text) is not None

    # -- token walk ------------------------------------------------------------------------
    def _lexical_spans(self, text: str) -> list[tuple[int, int]]:
        lex = self._lex
        tokens: list[Token] = [(fold(m.group()), m.start(), m.end()) for m in WORD_RE.finditer(text)]
        spans: list[tuple[int, int]] = []

        def clause_end(i: int) -> bool:
            return _CLAUSE_END_RE.match(text, tokens[i][2]) is not None

        i = 0
        while i < len(tokens):
            word, start, end = tokens[i]
            phrase_end = self._phrase_at(tokens, i)
            if phrase_end is not None:
                spans.append((start, tokens[phrase_end][2]))
                i = phrase_end + 1
                continue
            if word in lex.near_words:
                pass
            elif word in lex.words:
                spans.append((start, end))
            elif word in RULES:
                if RULES[word](tokens, i, clause_end):
                    spans.append((start, end))
            elif len(word) >= _MIN_COMPOUND and self._compound(word):
                spans.append((start, end))
            i += 1
        if self._case_re is not None:
            spans.extend(m.span() for m in self._case_re.finditer(text))
        return spans

    def _phrase_at(self, tokens: Sequence[Token], i: int) -> int | None:
        candidates = self._lex.phrases.get(tokens[i][0])
        if not candidates:
            return None
        for phrase in candidates:
            n = len(phrase)
            if i + n <= len(tokens) and all(tokens[i + k][0] == phrase[k] for k in range(1, n)):
                return i + n - 1
        return None

    def _compound(self, word: str) -> bool:
        """A compound whose head is a lexicon term ("borstkanker") or whose first part is one
        and whose rest names the condition's care ("psychosegevoelig", "diabetespatient")."""
        lex = self._lex
        if word in lex.near_words:
            return False
        if word.endswith(lex.heads):
            for head in lex.heads:
                if word.endswith(head) and len(word) - len(head) >= 3:
                    return True
        if word.startswith(lex.modifiers):
            for mod in lex.modifiers:
                if word.startswith(mod):
                    rest = word[len(mod) :]
                    if rest in COMPOUND_RESTS or (
                        rest[:1] in ("s", "e") and rest[1:] in COMPOUND_RESTS
                    ):
                        return True
        return False

    @staticmethod
    def _pattern_spans(text: str) -> list[tuple[int, int]]:
        if not any(c.isdigit() for c in text):
            return []
        spans = []
        for m in _PATTERN_RE.finditer(text):
            if m.group()[:1].isalpha() and not _CODE_ONLY_RE.fullmatch(m.group()):
                # IGNORECASE let a lowercase "f20.0"-like token through; codes are upper case.
                continue
            spans.append(m.span())
        return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
