"""Precision and recall of the privacy guard on a labelled JSONL corpus.

Usage: python bench/eval_privacy.py CORPUS.jsonl [--show-errors]
Each line: {"text": <string or JSON document>, "bsn": bool, "medical": bool}.
"""

from __future__ import annotations

import argparse
import json
import sys

from consent.privacy import PrivacyGuard


def _score(tp: int, fp: int, fn: int) -> tuple[float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def evaluate(path: str, show_errors: bool = False) -> dict[str, dict[str, float]]:
    guard = PrivacyGuard.default()
    counts = {rule: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for rule in ("bsn", "medical")}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            verdict = guard.scan(row["text"]).to_dict()
            for rule, c in counts.items():
                want, got = bool(row[rule]), verdict[rule]
                key = {(True, True): "tp", (False, True): "fp", (True, False): "fn"}.get((want, got), "tn")
                c[key] += 1
                if show_errors and key in ("fp", "fn"):
                    print(f"{key.upper()} {rule}: {json.dumps(row['text'], ensure_ascii=False)}")
    report = {}
    for rule, c in counts.items():
        precision, recall = _score(c["tp"], c["fp"], c["fn"])
        report[rule] = {"precision": precision, "recall": recall, **c}
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    report = evaluate(args.corpus, args.show_errors)
    for rule, r in report.items():
        print(
            f"{rule:8s} precision {r['precision']:.3f}  recall {r['recall']:.3f}  "
            f"(tp {r['tp']}, fp {r['fp']}, fn {r['fn']}, tn {r['tn']})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
