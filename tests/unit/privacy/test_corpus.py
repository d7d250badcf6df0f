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


def _scores(guard, path):
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    counts = {rule: {"tp": 0, "fp": 0, "fn": 0} for rule in ("bsn", "medical")}
    for row in rows:
        verdict = guard.scan(row["text"]).to_dict()
        for rule, c in counts.items():
            want, got = bool(row[rule]), verdict[rule]
            if want and got:
                c["tp"] += 1
            elif got:
                c["fp"] += 1
            elif want:
                c["fn"] += 1
    return {
        rule: (c["tp"] / ((c["tp"] + c["fp"]) or 1), c["tp"] / ((c["tp"] + c["fn"]) or 1))
        for rule, c in counts.items()
    }


@pytest.mark.parametrize("name", ["holdout.jsonl", "holdout2.jsonl"])
def test_the_held_out_corpora_meet_the_issue_targets(guard, name):
    scores = _scores(guard, CORPUS.parent / name)
    bsn_precision, bsn_recall = scores["bsn"]
    medical_precision, medical_recall = scores["medical"]
    assert bsn_recall == 1.0 and bsn_precision >= 0.99, scores
    assert medical_recall >= 0.95 and medical_precision >= 0.90, scores
