"""The statistical aligner's AER on a hand-aligned set (the reference line for attention
as alignment), beside the diagonal baseline on the same sentences.

    python -m training.baseline --gold DIR [--corpus CORPUS] [--out FILE]

The gold folder says the pair (:mod:`training.gold`: de-en Europarl -> en-de, Hansards ->
en-fr). The aligner learns only from the training split of the corpus the recipe trains
that pair's models on (:func:`training.recipe.pair_corpus`; ``--corpus`` names another),
lowercased, punctuation split off like the gold tokens, and then aligns the gold
sentences without learning from them. Writes ``docs/results/aligner-<pair>.json`` by default.
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
from .evaluate import aer
from .gold import diagonal_links, read_gold_set
from .recipe import pair_corpus

TOKEN = re.compile(r"\w+(?:[-']\w+)*|[^\w\s]", re.UNICODE)


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.baseline", description=__doc__)
    p.add_argument("--corpus", type=Path, help="default: the recipe's corpus of the pair")
    p.add_argument("--gold", type=Path, required=True)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--out", type=Path, help="default: docs/results/aligner-<pair>.json")
    args = p.parse_args(argv)
    start = time.time()
    pair, gold = read_gold_set(args.gold)
    corpus = args.corpus or Path(pair_corpus(pair) or f"corpora/{pair}")
    rows = read_tsv(corpus / "train.tsv")
    pairs = [(tokenize(src), tokenize(tgt)) for src, tgt in rows]
    model = DiagonalIBM2().fit([(s, t) for s, t in pairs if s and t], args.iterations)
    predicted = [model.align(g.source, g.target) for g in gold]
    diagonal = [diagonal_links(len(g.source), len(g.target)) for g in gold]
    target = pair.split("-")[1]
    result = {
        "aligner": f"IBM Model 2 with fast_align's diagonal prior (target {target} -> source en)",
        "gold": args.gold.name,
        "trained_on": f"corpora/{corpus.name}/train.tsv ({len(pairs)} pairs)",
        "iterations": args.iterations,
        **aer(predicted, gold),
        "diagonal_aer": aer(diagonal, gold)["aer"],
        "seconds": round(time.time() - start, 1),
    }
    args.out = args.out or Path("docs/results") / f"aligner-{pair}.json"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
