"""The reordering probe: does the attention find the verbs that German moves to the end?

    python -m training.probe --checkpoint checkpoints/en-de-*

For each of the app's classic en-de examples (``training.examples.CLASSIC``) the
reference is forced, and each hand-marked link (an English verb and the clause-final
German verb it becomes) counts as found when that German word's attention peaks on
that English word.  Words are the text's whitespace words as in the app, but pieces
that are only punctuation take no part, like ``</s>``: in "gelesen." the full stop
attends to the English full stop, which is part of "book.", and would otherwise decide
where the verb links.  The weight on the English verb and on ``</s>`` are reported
beside it, since a peak among words can hide a row that mostly looks at the end token.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from models.checkpoint import load_checkpoint
from models.engine import Translator
from models.trace import DecodeTrace
from viz.links import parse_links
from viz.matrix import content_pieces

from .examples import CLASSIC


def _content(pieces: list[str], piece_to_word: list[int], word: int) -> list[int]:
    return content_pieces([i for i, w in enumerate(piece_to_word) if w == word], pieces)


def word_matrix(trace: DecodeTrace) -> tuple[np.ndarray, np.ndarray]:
    """(target words x source words, weight of each target word on </s>): a target
    word's content pieces averaged, a source word's content pieces summed."""
    h, src = trace.hypotheses[0], trace.source
    rows = [_content(h.pieces, h.piece_to_word, t) for t in range(len(h.words))]
    cols = [_content(src.pieces, src.piece_to_word, s) for s in range(len(src.words))]
    end = [i for i, w in enumerate(src.piece_to_word) if w < 0]
    z = np.array([[h.alphas[np.ix_(r, c)].sum(1).mean() for c in cols] for r in rows])
    return z, np.array([h.alphas[np.ix_(r, end)].sum(1).mean() for r in rows])


def probe_sentence(translator: Translator, source: str, reference: str, links: str) -> list[dict]:
    """One row per hand link: found?, the weight on the English word and on </s>."""
    gold, problems = parse_links(links, len(source.split()), len(reference.split()))
    if problems:
        raise ValueError(f"bad probe links for {source!r}: {problems}")
    trace = translator.translate(source, force=reference)
    if trace.hypotheses[0].alphas is None:
        raise ValueError("this model has no attention")
    z, end = word_matrix(trace)
    return [
        {"source": source, "target_word": reference.split()[t],
         "source_word": source.split()[s], "found": int(z[t].argmax()) == s,
         "weight": round(float(z[t, s]), 3), "end_weight": round(float(end[t]), 3)}
        for t, s in sorted(gold)
    ]  # fmt: skip


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
        "mean_end_weight": round(float(np.mean([row["end_weight"] for row in items])), 3),
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
