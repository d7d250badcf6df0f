"""Load the medical lexicon (data files in ``lexicon/``) into lookup structures.

Matching is token based: text and terms are split into letter-only tokens, lowercased and folded
(diacritics removed), so "Paranoïde" and "paranoide" are one token, and hyphens and apostrophes
split ("PDD-NOS" is the phrase ``pdd nos``). Everything expensive happens here, once per process;
the matcher then needs only set lookups. See lexicon/README.md for the file format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

WORD_RE = re.compile(r"[^\W\d_]+")

_FOLD = str.maketrans(
    "áàâäãåéèêëíìîïóòôöõúùûüýÿçñ",
    "aaaaaaeeeeiiiiooooouuuuyycn",
)

# Forms a Dutch noun or adjective takes; "-nis" doubles its s ("stoornissen").
_SUFFIXES = ("s", "en", "e", "n", "es")
_MIN_FUZZY = 8
_MIN_HEAD = 6
_MIN_MODIFIER = 5
_MIN_COMPOUND_REST = 3

# Second parts that make a compound about the condition itself ("psychosegevoelig",
# "diabetespatiënt", "methadonverstrekking").
COMPOUND_RESTS = frozenset(
    """patient patiente patienten patientje medicatie medicijnen medicijn behandeling
    behandelingen behandeld diagnose klachten klacht aanval aanvallen opname opnames zorg
    gevoelig gevoelige achtig achtige gerelateerd gerelateerde problematiek verpleegkundige arts
    artsen kliniek afdeling poli spiegel gebruik gebruiker injectie injecties prik therapie episode
    episodes beeld lijder lijders verschijnselen symptomen team spreekuur controle recept
    voorschrift dosis dosering pillen pil tabletten tablet programma post verstrekking pomp
    spuit pen""".split()
)


def fold(text: str) -> str:
    """Lowercase and strip the diacritics Dutch text uses."""
    return text.lower().translate(_FOLD)


def tokens_of(term: str) -> tuple[str, ...]:
    return tuple(fold(t) for t in WORD_RE.findall(term))


def _inflections(word: str) -> set[str]:
    forms = {word}
    forms.update(word + s for s in _SUFFIXES)
    if word.endswith("nis"):
        forms.add(word + "sen")
    if word.endswith("ief"):
        forms.add(word[:-1] + "ve")
    return forms


def _misspellings(word: str) -> set[str]:
    """One dropped, doubled or swapped letter: the typos seen in hand-written reports."""
    out: set[str] = set()
    for i in range(len(word)):
        out.add(word[:i] + word[i + 1 :])
        out.add(word[:i] + word[i] + word[i:])
        if i + 1 < len(word) and word[i] != word[i + 1]:
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    out.discard(word)
    return out


@dataclass(frozen=True)
class Lexicon:
    """Lookup structures built from the data files."""

    words: frozenset[str]  # folded single tokens, with inflections and typos
    case_words: frozenset[str]  # tokens matched with their exact case ("ALS", "RM")
    # anchor token -> (token sequence, index of the anchor in it). The anchor is the phrase's
    # longest token, so that function words ("in", "de") never send a text to the slow path.
    phrases: dict[str, tuple[tuple[tuple[str, ...], int], ...]]
    heads: tuple[str, ...]  # compound endings: "borst|kanker", "winter|depressie"
    modifiers: tuple[str, ...]  # compound beginnings: "psychose|gevoelig"
    near_words: frozenset[str]  # tokens that look medical but are not (never match)

    @property
    def triggers(self) -> frozenset[str]:
        return self.words | frozenset(self.phrases)


def parse_line(line: str) -> tuple[list[str], set[str]] | None:
    """``term | variant ; flag flag`` -> (variants, flags); None for blanks and comments."""
    line = line.split("#", 1)[0].strip()
    if not line:
        return None
    body, _, flag_text = line.partition(";")
    variants = [v.strip() for v in body.split("|") if v.strip()]
    return variants, set(flag_text.split())


def _data_files() -> list[tuple[str, str]]:
    root = resources.files("consent.privacy") / "lexicon"
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in root.iterdir()
        if entry.name.endswith(".txt")
    )


def build_lexicon(files: list[tuple[str, str]] | None = None) -> Lexicon:
    files = _data_files() if files is None else files
    near_words: set[str] = set()
    words: set[str] = set()
    case_words: set[str] = set()
    phrases: dict[str, set[tuple[tuple[str, ...], int]]] = {}
    heads: set[str] = set()
    modifiers: set[str] = set()

    for name, text in files:
        for raw in text.splitlines():
            parsed = parse_line(raw)
            if parsed is None:
                continue
            variants, flags = parsed
            if name == "near_words.txt":
                near_words.update(fold(v) for v in variants)
                continue
            exact = "exact" in flags or "case" in flags
            for variant in variants:
                if "case" in flags:
                    case_words.update(WORD_RE.findall(variant)[:1])
                    continue
                toks = tokens_of(variant)
                if not toks:
                    continue
                last_forms = {toks[-1]} if exact else _inflections(toks[-1])
                if len(toks) > 1:
                    for form in last_forms:
                        phrase = toks[:-1] + (form,)
                        anchor = max(range(len(phrase)), key=lambda k: (len(phrase[k]), k))
                        phrases.setdefault(phrase[anchor], set()).add((phrase, anchor))
                    continue
                word = toks[0]
                words.update(last_forms)
                if not exact and "nofuzzy" not in flags and len(word) >= _MIN_FUZZY:
                    words.update(_misspellings(word))
                if exact or "nocompound" in flags:
                    continue
                if len(word) >= _MIN_HEAD:
                    heads.add(word)
                if len(word) >= _MIN_MODIFIER:
                    modifiers.add(word)

    words -= near_words
    return Lexicon(
        words=frozenset(words),
        case_words=frozenset(case_words),
        phrases={k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in phrases.items()},
        heads=tuple(sorted(heads)),
        modifiers=tuple(sorted(modifiers)),
        near_words=frozenset(near_words),
    )
