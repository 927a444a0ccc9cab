"""The heatmaps of the probes' sentences as SVG files, for the docs:

    python -m training.figures --checkpoint checkpoints/en-fr-bahdanau [...] [--out docs/figures]

For each checkpoint, each of its pair's classic sentences with hand links
(``training.examples.CLASSIC``: Figure 3 of Bahdanau et al. 2015 for en-fr, the
verb-final sentences for en-de) is decoded with its reference forced, as the probe
(``training.probe``) reads it, and drawn as the explorer's word matrix
(``viz.matrix.attention_view``) with the hand-linked cells outlined: where the outline
sits on the darkest cell of its row, the probe counts the link as found.  Writes
``<out>/<checkpoint>-<n>.svg`` (n: the sentence's place among the pair's linked ones).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from models.checkpoint import load_checkpoint
from models.engine import Translator
from viz.grid import heatmap_grid
from viz.links import link_cells
from viz.matrix import attention_view
from viz.svg import heatmap_svg

from .examples import CLASSIC
from .probe import hand_links


def sentence_figure(translator: Translator, source: str, reference: str, links: str) -> str:
    """The SVG of one probe sentence: reference forced, hand links outlined."""
    gold = hand_links(translator.tokenizer, source, reference, links)
    view = attention_view(translator.translate(source, force=reference), 0, "words")
    title = f"{translator.name}: the reference forced; outlined: the hand links"
    return heatmap_svg(heatmap_grid(view, title), link_cells(view, gold))


def write_figures(folder: Path, out: Path) -> list[Path]:
    loaded = load_checkpoint(folder)
    if not loaded.model.has_attention:
        return []
    translator = Translator(loaded.model, loaded.tokenizer, loaded.name)
    linked = [row for row in CLASSIC.get(loaded.config.pair, []) if row[2]]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for n, (source, reference, links) in enumerate(linked, start=1):
        path = out / f"{loaded.name}-{n}.svg"
        path.write_text(sentence_figure(translator, source, reference, links), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.figures", description=__doc__)
    p.add_argument("--checkpoint", type=Path, nargs="+", required=True)
    p.add_argument("--out", type=Path, default=Path("docs/figures"))
    args = p.parse_args(argv)
    for folder in args.checkpoint:
        for path in write_figures(folder, args.out):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
