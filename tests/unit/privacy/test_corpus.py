"""The labelled corpus: positives and hard negatives written for this rule set."""

import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "data" / "privacy" / "corpus.jsonl"
ROWS = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]


def test_the_corpus_is_large_and_balanced():
    assert len(ROWS) >= 300
    negatives = sum(1 for r in ROWS if not r["bsn"] and not r["medical"])
    assert 0.35 * len(ROWS) <= negatives <= 0.75 * len(ROWS)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["text"][:40])
def test_every_corpus_text_gets_its_label(guard, row):
    verdict = guard.scan(row["text"])
    assert (verdict.bsn, verdict.medical) == (row["bsn"], row["medical"])
