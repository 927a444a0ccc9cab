"""The reordering probes: does the attention follow the words that change places?

    python -m training.probe --checkpoint checkpoints/en-de-*   # verbs German moves to the end
    python -m training.probe --checkpoint checkpoints/en-fr-*   # Bahdanau et al. 2015, Figure 3

For each of a pair's classic examples with hand links (``training.examples.CLASSIC``) the
reference is forced, and each hand-marked link counts as found when that target word's
attention peaks on that source word (the rule: ``viz.probe``, which the explorer shows
link by link): for en-de an English verb and the clause-final German verb it becomes;
for en-fr the adjective-noun inversions of Figure 3 of Bahdanau et al. 2015 under forced
decoding of the paper's references (zone <- Area, économique <- Economic, européenne <-
European; environnement marin <- marine environment; armes chimiques <- chemical
weapons), the crossing pattern of the paper's heatmaps.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from models.checkpoint import load_checkpoint
from models.engine import Translator
from models.text import split_words
from models.tokenizer import Tokenizer
from viz.probe import check_links, parse_hand_links

from .examples import CLASSIC


def pair_words(tokenizer: Tokenizer, source: str, reference: str) -> tuple[list[str], list[str]]:
    """The app's words of a source and its reference as a model with ``tokenizer``
    groups them (each side's language decides whether French elided words stand apart:
    ``Tokenizer.source_elides``, ``target_elides``)."""
    return (split_words(source, tokenizer.source_elides),
            split_words(reference, tokenizer.target_elides))  # fmt: skip


def hand_links(
    tokenizer: Tokenizer, source: str, reference: str, links: str
) -> set[tuple[int, int]]:
    """A classic example's hand links as (target word, source word) pairs, checked
    against the app's words of both sentences."""
    src_words, tgt_words = pair_words(tokenizer, source, reference)
    return parse_hand_links(links, len(src_words), len(tgt_words))


def probe_sentence(translator: Translator, source: str, reference: str, links: str) -> list[dict]:
    """One row per hand link: found?, the weight on the English word and on </s>."""
    trace = translator.translate(source, force=reference)
    if trace.hypotheses[0].alphas is None:
        raise ValueError("this model has no attention")
    words = pair_words(translator.tokenizer, source, reference)
    if (list(trace.source.words), list(trace.best.words)) != words:
        raise ValueError(f"the model's words of {source!r} are not the links' words")
    return [
        {"source": source, "target_word": c.target_word, "source_word": c.source_word,
         "found": c.found, "weight": c.weight, "end_weight": c.end_weight,
         "peak_word": c.peak_word, "peak_weight": c.peak_weight}
        for c in check_links(trace, links)
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
            peak = "" if row["found"] else f", peak {row['peak_word']} {row['peak_weight']:.2f}"
            print(f"  {mark} {row['target_word']:<16} <- {row['source_word']:<12} "
                  f"{row['weight']:.2f} (</s> {row['end_weight']}{peak})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
