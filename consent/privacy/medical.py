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
from consent.privacy.medical_context import RULES, VETOES, Token
from consent.privacy.medical_usage import PLACE_SUFFIXES, place_use

# "10 mg", "2,5mg", "50 microgram", "3x daags"; millilitres are left out ("een blik van 500 ml").
_DOSAGE = (
    r"\d+(?:[.,]\d+)?\s?(?:mg|milligram|mcg|µg|microgram)\b|\b\d\s?[x×]\s?daags\b"
    r"|\b[1-6]\s?dd\b(?:\s?\d\b)?"  # "2dd 1", "3 dd": the prescription shorthand
)
# ICD-10 codes with a subcode ("F20.0", "G40.3"); bare codes and DSM numbers need a keyword.
_ICD_SUB = r"\b[A-TV-Z]\d{2}\.\d{1,2}\b"
_CODE_WITH_KEYWORD = (
    r"(?i:\b(?:icd(?:-?1[01])?|dsm(?:-?(?:iv|5|iv-tr))?|diagnosecode|diagnose|classificatie)"
    r"[\s:.\-]*)(?:[A-TV-Z]\d{2}(?:\.\d{1,2})?\b|\d{3}\.\d{1,2}\b)"
)
_PATTERN_RE = re.compile(rf"{_DOSAGE}|{_ICD_SUB}|{_CODE_WITH_KEYWORD}", re.IGNORECASE)
_CODE_ONLY_RE = re.compile(rf"{_ICD_SUB}|{_CODE_WITH_KEYWORD}")
_CLAUSE_END_RE = re.compile(r"\s*(?:[.!?;:)\]\"]|$)")
_DIGIT_RE = re.compile(r"\d")

_PRODUCT_WORDS = "Teams|Office|Word|Excel|Outlook|DOS|Access|Edge|Forms|Paint|Project|Visio|SQL"
_SHOUT_WINDOW = 30
# Compounds ending in "kliniek" are clinics ("Valeriuskliniek", "eetstoornissenkliniek") unless
# the first part says what else is repaired or treated there.
_CLINIC_ENDINGS = ("kliniek", "klinieken")
_NON_CARE_CLINICS = frozenset(
    """dieren fiets fietsen poppen bomen boom schoonheids haar huid taal reken computer pc
    telefoon auto kleding schoen schoenen tuin muziek voetbal""".split()
)

_MIN_COMPOUND = 8
_DIMINUTIVES = ("etjes", "etje", "tjes", "tje", "jes", "je")
# Compound verdicts per token are cached: reports reuse their words, and the check is the one
# part of matching that is not a plain set lookup. The cap bounds memory on adversarial input.
_COMPOUND_CACHE_MAX = 100_000


class MedicalMatcher:
    """Spans of medical data in a string, from a built :class:`Lexicon`."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lex = lexicon
        self._triggers = lexicon.triggers | frozenset(RULES)
        self._heads = frozenset(lexicon.heads)
        self._head_lengths = sorted({len(h) for h in lexicon.heads})
        self._modifiers = frozenset(lexicon.modifiers)
        self._modifier_lengths = sorted({len(m) for m in lexicon.modifiers})
        self._compound_cache: dict[str, bool] = {}
        # "MS Teams", "MS Word": a product, not multiple sclerosis.
        self._case_re = (
            re.compile(
                r"\b(?:{})\b(?![\s-]*(?:{})\b)".format(
                    "|".join(map(re.escape, sorted(lexicon.case_words))), _PRODUCT_WORDS
                )
            )
            if lexicon.case_words
            else None
        )

    def find(self, text: str) -> list[tuple[int, int]]:
        if not self._may_match(text):
            return []
        spans = self._lexical_spans(text)
        spans.extend(self._pattern_spans(text))
        return merge_spans(spans)

    # -- gate ------------------------------------------------------------------------------
    def _may_match(self, text: str) -> bool:
        words = fold(" ".join(WORD_RE.findall(text))).split()
        if not self._triggers.isdisjoint(words):
            return True
        if any(len(w) >= _MIN_COMPOUND and self._compound(w) for w in words):
            return True
        if self._case_re is not None and self._case_re.search(text):
            return True
        return _DIGIT_RE.search(text) is not None and _PATTERN_RE.search(text) is not None

    # -- token walk ------------------------------------------------------------------------
    def _lexical_spans(self, text: str) -> list[tuple[int, int]]:
        lex = self._lex
        matches = list(WORD_RE.finditer(text))
        folded = fold(" ".join(m.group() for m in matches)).split()
        tokens: list[Token] = [(w, m.start(), m.end()) for w, m in zip(folded, matches, strict=True)]
        spans: list[tuple[int, int]] = []
        triggers = self._triggers

        def clause_end(i: int) -> bool:
            return _CLAUSE_END_RE.match(text, tokens[i][2]) is not None

        skip_until = -1
        for i, word in enumerate(folded):
            if i <= skip_until or not (
                word in triggers or (len(word) >= _MIN_COMPOUND and self._compound(word))
            ):
                continue
            start, end = tokens[i][1], tokens[i][2]
            if word in lex.phrases:
                found = self._phrase_at(tokens, i)
                if found is not None:
                    spans.append((tokens[found[0]][1], tokens[found[1]][2]))
                    skip_until = found[1]
                    continue
            if word in lex.near_words:
                continue
            if word in lex.words:
                veto = VETOES.get(word)
                if veto is None or not veto(tokens, i, clause_end):
                    if not (word.endswith(PLACE_SUFFIXES) and place_use(tokens, i, clause_end)):
                        spans.append((start, end))
            elif word in RULES:
                if RULES[word](tokens, i, clause_end):
                    spans.append((start, end))
            elif len(word) >= _MIN_COMPOUND and self._compound(word):
                if not (word.endswith(PLACE_SUFFIXES) and place_use(tokens, i, clause_end)):
                    spans.append((start, end))
        if self._case_re is not None:
            spans.extend(m.span() for m in self._case_re.finditer(text) if not _shouted(text, m))
        return spans

    def _phrase_at(self, tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
        """(first, last) token index of the longest phrase anchored at token i."""
        for phrase, anchor in self._lex.phrases[tokens[i][0]]:
            first = i - anchor
            last = first + len(phrase) - 1
            if first < 0 or last >= len(tokens):
                continue
            if all(tokens[first + k][0] == phrase[k] for k in range(len(phrase))):
                return first, last
        return None

    def _compound(self, word: str) -> bool:
        cached = self._compound_cache.get(word)
        if cached is None:
            cached = self._is_compound(word)
            if len(self._compound_cache) >= _COMPOUND_CACHE_MAX:
                self._compound_cache.clear()
            self._compound_cache[word] = cached
        return cached

    def _is_compound(self, word: str) -> bool:
        """A compound whose head is a lexicon term ("borstkanker") or whose first part is one
        and whose rest names the condition's care ("psychosegevoelig", "diabetespatient")."""
        if word in self._lex.near_words:
            return False
        for ending in _CLINIC_ENDINGS:
            if word.endswith(ending) and len(word) > len(ending) + 2:
                prefix = word[: -len(ending)]
                return prefix not in _NON_CARE_CLINICS and prefix.rstrip("s") not in _NON_CARE_CLINICS
        for suffix in _DIMINUTIVES:
            # "pilletjes", "lorazepammetjes": Dutch speaks of medication in diminutives.
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                stem = word[: -len(suffix)]
                if stem in self._lex.words or stem[:-1] in self._lex.words:
                    return True
        n = len(word)
        for k in self._head_lengths:
            if n - k < 3:
                break
            if word[n - k :] in self._heads:
                return True
        for k in self._modifier_lengths:
            if k >= n:
                break
            if word[:k] in self._modifiers:
                rest = word[k:]
                if rest in COMPOUND_RESTS or (rest[:1] in ("s", "e") and rest[1:] in COMPOUND_RESTS):
                    return True
        return False

    @staticmethod
    def _pattern_spans(text: str) -> list[tuple[int, int]]:
        if _DIGIT_RE.search(text) is None:
            return []
        spans = []
        for m in _PATTERN_RE.finditer(text):
            if m.group()[:1].isalpha() and not _CODE_ONLY_RE.fullmatch(m.group()):
                # IGNORECASE let a lowercase "f20.0"-like token through; codes are upper case.
                continue
            spans.append(m.span())
        return spans


def _shouted(text: str, match: re.Match[str]) -> bool:
    """A case-sensitive abbreviation ("ALS", "MS") inside text written in capitals ("ALS U NIET
    REAGEERT") is an ordinary word."""
    around = (
        text[max(0, match.start() - _SHOUT_WINDOW) : match.start()]
        + text[match.end() : match.end() + _SHOUT_WINDOW]
    )
    upper = sum(1 for c in around if c.isupper())
    lower = sum(1 for c in around if c.islower())
    return upper >= 4 and upper > lower


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
