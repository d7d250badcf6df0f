"""Throughput of the privacy guard on ~300-character texts, on one core.

Usage: python bench/bench_privacy.py [--texts N] [--corpus tests/data/privacy/corpus.jsonl]

Texts are built by joining sentences of the labelled corpus into ~300-character reports, so the
mix of clean, medical and BSN-bearing texts is realistic. The baseline, measured in the same run
over the same texts, is one ``re.findall(r"\\w+", text)`` per text: the cost of merely
tokenising. The figure to watch is texts/s (target >= 5,000) and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from pathlib import Path

from consent.privacy import PrivacyGuard

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "tests/data/privacy/corpus.jsonl"
TARGET_LENGTH = 300


def build_texts(corpus: Path, count: int, seed: int = 5) -> list[str]:
    sentences = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8") if line.strip()]
    rnd = random.Random(seed)
    texts = []
    for _ in range(count):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < TARGET_LENGTH - 40:
            parts.append(rnd.choice(sentences))
        texts.append(" ".join(parts)[: TARGET_LENGTH + 40])
    return texts


def _best_of(fn, texts: list[str], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--texts", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()

    texts = build_texts(args.corpus, args.texts)
    guard = PrivacyGuard.default()
    guard.scan_text("warm-up: de lexicon wordt hier gebouwd")
    word_re = re.compile(r"\w+")

    baseline = _best_of(word_re.findall, texts, args.repeats)
    scan_text = _best_of(guard.scan_text, texts, args.repeats)
    scan = _best_of(guard.scan, texts, args.repeats)
    avg_len = sum(map(len, texts)) / len(texts)
    flagged = sum(1 for t in texts if guard.scan_text(t))

    print(f"texts: {len(texts)}  average length: {avg_len:.0f} chars  flagged: {flagged}")
    print(f"baseline re.findall(\\w+): {len(texts) / baseline:12,.0f} texts/s")
    for name, seconds in (("guard.scan_text", scan_text), ("guard.scan", scan)):
        print(
            f"{name:24s}: {len(texts) / seconds:12,.0f} texts/s  "
            f"({seconds / baseline:.1f}x the baseline time)"
        )


if __name__ == "__main__":
    main()
