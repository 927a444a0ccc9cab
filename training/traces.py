"""Store, in each checkpoint folder, the model's trace of the sentence the page opens with:

    python -m training.traces --checkpoint checkpoints/en-fr-bahdanau [...]

The sentence is the pair's first classic example (``training.examples.CLASSIC``, the
first classic row of ``examples/<pair>.tsv``), decoded greedily with the page's default
settings on the CPU; ``models.stored`` writes it as ``traces.json`` with the sha256 of
the weights and the tokenizer, and reads it back only while both are unchanged.  Run
it again after a checkpoint is retrained (a test checks every shipped one).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from models.checkpoint import load_checkpoint
from models.engine import Translator
from models.options import DecodeSettings
from models.stored import write_traces

from .examples import CLASSIC


def first_sentence(pair: str) -> str | None:
    """The sentence the page opens with for ``pair``."""
    rows = CLASSIC.get(pair) or []
    return rows[0][0] if rows else None


def store(folder: Path) -> Path | None:
    loaded = load_checkpoint(folder, "cpu")
    text = first_sentence(loaded.config.pair)
    if text is None:
        return None
    translator = Translator(loaded.model, loaded.tokenizer, loaded.name)
    settings = DecodeSettings()
    return write_traces(folder, [translator.translate(text, settings)], settings)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.traces", description=__doc__)
    p.add_argument("--checkpoint", type=Path, nargs="+", required=True)
    args = p.parse_args(argv)
    for folder in args.checkpoint:
        print(store(folder) or f"{folder}: its pair has no classic sentence")
    return 0


if __name__ == "__main__":
    sys.exit(main())
