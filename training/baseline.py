"""The statistical aligner's AER on the hand-aligned de-en sentences (the reference line
for attention as alignment).

    python -m training.baseline --corpus corpora/en-de --gold DIR [--out docs/results/aligner.json]

The aligner learns from the en-de training split only (lowercased, punctuation split
off like the gold tokens) and then aligns the gold sentences without learning from them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from .aligner import DiagonalIBM2
from .corpus import read_tsv
from .evaluate import aer, read_gold

TOKEN = re.compile(r"\w+(?:[-']\w+)*|[^\w\s]", re.UNICODE)


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.baseline", description=__doc__)
    p.add_argument("--corpus", type=Path, default=Path("corpora/en-de"))
    p.add_argument("--gold", type=Path, required=True)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--out", type=Path, default=Path("docs/results/aligner.json"))
    args = p.parse_args(argv)
    start = time.time()
    rows = read_tsv(args.corpus / "train.tsv")
    pairs = [(tokenize(en), tokenize(de)) for en, de in rows]
    model = DiagonalIBM2().fit([(e, d) for e, d in pairs if e and d], args.iterations)
    gold = read_gold(args.gold)
    predicted = [model.align(en, de) for en, de, _ in gold]
    result = {
        "aligner": "IBM Model 2 with fast_align's diagonal prior (target de -> source en)",
        "trained_on": f"corpora/{args.corpus.name}/train.tsv ({len(pairs)} pairs)",
        "iterations": args.iterations,
        **aer(predicted, [g for _, _, g in gold]),
        "seconds": round(time.time() - start, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
