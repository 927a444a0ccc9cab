"""The reordering probes: does the attention follow the words that change places?

    python -m training.probe --checkpoint checkpoints/en-de-*   # verbs German moves to the end
    python -m training.probe --checkpoint checkpoints/en-fr-*   # Bahdanau et al. 2015, Figure 3

For each of a pair's classic examples with hand links (``training.examples.CLASSIC``) the
reference is forced, and each hand-marked link counts as found when that target word's
attention peaks on that source word: for en-de an English verb and the clause-final
German verb it becomes; for en-fr the adjective-noun inversions of Figure 3 of Bahdanau et
al. 2015 under forced decoding of the paper's references (zone <- Area, économique <-
Economic, européenne <- European; environnement marin <- marine environment; armes
chimiques <- chemical weapons), the crossing pattern of the paper's heatmaps.

Words are the app's words (``models.text``: punctuation at a word's
end is a word of its own, so the full stop of "gelesen." has its own row and no say in
the verb's) and the matrix is the explorer's word matrix (``viz.matrix.word_matrix``).
The peak is taken among the English words that are not punctuation alone, ``</s>``
left out likewise: the question is which English word a German verb looks at, and a
clause-final verb sits next to the full stop, whose column would often win.  The weight
on the English verb and on ``</s>`` are reported beside it, since a peak among words can
hide a row that mostly looks at the end token.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from models.checkpoint import load_checkpoint
from models.engine import Translator
from models.text import is_punctuation_word, split_words
from models.trace import DecodeTrace
from viz.links import parse_links
from viz.matrix import attention_view

from .examples import CLASSIC


def word_weights(trace: DecodeTrace) -> tuple[np.ndarray, np.ndarray]:
    """(target words x source words, weight of each target word on </s>), both cut
    from the explorer's word matrix (``viz.matrix.attention_view``)."""
    view = attention_view(trace, 0, "words")
    rows = [i for i, w in enumerate(view.row_words) if w >= 0]
    cols = [j for j, w in enumerate(view.col_words) if w >= 0]
    end = [j for j, w in enumerate(view.col_words) if w < 0]
    return view.z[np.ix_(rows, cols)], view.z[np.ix_(rows, end)].sum(1)


def hand_links(source: str, reference: str, links: str) -> set[tuple[int, int]]:
    """A classic example's hand links as (target word, source word) pairs, checked
    against the app's words of both sentences."""
    gold, problems = parse_links(links, len(split_words(source)), len(split_words(reference)))
    if problems:
        raise ValueError(f"bad probe links for {source!r}: {problems}")
    return gold


def probe_sentence(translator: Translator, source: str, reference: str, links: str) -> list[dict]:
    """One row per hand link: found?, the weight on the English word and on </s>."""
    src_words, ref_words = split_words(source), split_words(reference)
    gold = hand_links(source, reference, links)
    trace = translator.translate(source, force=reference)
    if trace.hypotheses[0].alphas is None:
        raise ValueError("this model has no attention")
    if len(trace.source.words) != len(src_words) or len(trace.best.words) != len(ref_words):
        raise ValueError(f"the model's words of {source!r} are not the links' words")
    z, end = word_weights(trace)
    content = [s for s, w in enumerate(src_words) if not is_punctuation_word(w)]
    return [
        {"source": source, "target_word": ref_words[t],
         "source_word": src_words[s], "found": content[int(z[t, content].argmax())] == s,
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
