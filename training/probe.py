"""The reordering probe: does the attention find the verbs that German moves to the end?

    python -m training.probe --checkpoint checkpoints/en-de-*

For each of the app's classic en-de examples (``training.examples.CLASSIC``) the
reference is forced, and each hand-marked link (an English verb and the clause-final
German verb it becomes) counts as found when that German word's attention peaks on
that English word (the ``argmax`` links of the evaluation: ``</s>`` excluded).  The
weight on the English verb and on ``</s>`` are reported beside it, since a peak among
words can hide a row that mostly looks at the end token.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from models.checkpoint import load_checkpoint
from models.engine import Translator
from viz.links import argmax_links, parse_links
from viz.matrix import END, attention_view

from .examples import CLASSIC


def probe_sentence(translator: Translator, source: str, reference: str, links: str) -> list[dict]:
    """One row per hand link: found?, the weight on the English word and on </s>."""
    gold, problems = parse_links(links, len(source.split()), len(reference.split()))
    if problems:
        raise ValueError(f"bad probe links for {source!r}: {problems}")
    view = attention_view(translator.translate(source, force=reference), 0, "words")
    found = argmax_links(view)
    end_col = view.cols.index(END) if END in view.cols else None
    rows = []
    for t, s in sorted(gold):
        r, c = view.row_words.index(t), view.col_words.index(s)
        rows.append({
            "source": source, "target_word": reference.split()[t],
            "source_word": source.split()[s], "found": (t, s) in found,
            "weight": round(float(view.z[r, c]), 3),
            "end_weight": None if end_col is None else round(float(view.z[r, end_col]), 3),
        })  # fmt: skip
    return rows


def reorder_probe(translator: Translator, pair: str = "en-de") -> dict | None:
    """Summary over the pair's probe sentences; None where the pair has none."""
    items = [row for s, r, links in CLASSIC.get(pair, []) if links
             for row in probe_sentence(translator, s, r, links)]  # fmt: skip
    if not items:
        return None
    return {
        "found": sum(row["found"] for row in items),
        "of": len(items),
        "mean_weight": round(float(np.mean([row["weight"] for row in items])), 3),
        "mean_end_weight": round(float(np.mean([row["end_weight"] or 0.0 for row in items])), 3),
        "items": items,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.probe", description=__doc__)
    p.add_argument("--checkpoint", type=Path, nargs="+", required=True)
    args = p.parse_args(argv)
    for folder in args.checkpoint:
        loaded = load_checkpoint(folder)
        if not loaded.model.has_attention:
            continue
        result = reorder_probe(Translator(loaded.model, loaded.tokenizer, loaded.name),
                               loaded.config.pair)  # fmt: skip
        if result is None:
            continue
        print(f"{loaded.name}: {result['found']}/{result['of']} found, "
              f"weight {result['mean_weight']}, on </s> {result['mean_end_weight']}")  # fmt: skip
        for row in result["items"]:
            mark = "+" if row["found"] else "-"
            print(f"  {mark} {row['target_word']:<16} <- {row['source_word']:<12} "
                  f"{row['weight']:.2f} (</s> {row['end_weight']})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
