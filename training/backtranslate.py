"""Back-translation (Sennrich, Haddow and Birch 2016): a corpus's target sentences that
have no source in the back-translator's output language get one, written by a model of
the opposite direction.

    python -m training.backtranslate --checkpoint checkpoints/en-hi-bahdanau \\
        --corpus corpora/hi-en-fr --out corpora/hi-en-fr-bt

hi-en learns from 2.3k Hindi pairs beside French-English ones (``corpora/hi-en-fr``).
en-hi translates the English of the French pairs into Hindi, and each (synthetic Hindi,
English) pair joins the training split: the Hindi is the model's, imperfect; the English,
what hi-en learns to write, is a person's.  Dev and test are copied unchanged, so a
checkpoint is still picked on real Hindi.  What it does to hi-en: docs/TRAINING.md.

An existing ``--out`` written from the same checkpoint weights, corpus and search is
kept (``--force`` writes it again); another is written again: the recipe asks for the
corpus before each of the pair's models, and a retrained en-hi or a rebuilt corpus must
not leave hi-en on old sentences.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import torch

from models.checkpoint import load_checkpoint
from models.engine import Translator
from models.folder import TOKENIZER, WEIGHTS
from models.stored import file_digest
from models.text import UNKNOWN_TEXT
from models.unknown import script_note

from .corpus import Row, read_tsv
from .evaluate import translate_all
from .train import joined_credits

COPIED = ("dev.tsv", "test.tsv")  # the splits a checkpoint is picked and scored on
LOOP = 3  # a word this many times in a row: the decoder went round in a loop


def wanted(rows: list[Row], language: str) -> list[str]:
    """The targets, each once and sorted, of the rows whose source has no letter in
    ``language``'s script (``models.unknown.script_note``): the French pairs' English of
    hi-en's corpus, for a back-translator that writes Hindi."""
    return sorted({target for source, target in rows if script_note(source, language)})


def rejected(synthetic: str) -> str | None:
    """Why a synthetic source is left out, or None: empty, with an unknown piece, or a
    word repeated ``LOOP`` times in a row."""
    words = synthetic.split()
    if not words:
        return "empty"
    if UNKNOWN_TEXT in synthetic:
        return "unknown piece"
    if any(len(set(words[i : i + LOOP])) == 1 for i in range(len(words) - LOOP + 1)):
        return "loop"
    return None


def synthetic_pairs(sources: list[str], targets: list[str]) -> tuple[list[Row], dict[str, int]]:
    """(synthetic source, target) rows that pass :func:`rejected`, and the count left out
    by each reason."""
    kept, dropped = [], Counter()
    for source, target in zip(sources, targets, strict=True):
        reason = rejected(source)
        if reason:
            dropped[reason] += 1
        else:
            kept.append((source, target))
    return kept, dict(sorted(dropped.items()))


def provenance(checkpoint: Path, corpus: Path, beam: int) -> dict:
    """What the synthetic sentences depend on: the translator's weights and tokenizer,
    every split of the corpus (dev and test are copied), and the search."""
    files = {"weights": checkpoint / WEIGHTS, "tokenizer": checkpoint / TOKENIZER}
    files |= {name: corpus / name for name in ("train.tsv", *COPIED)}
    return {"sha256": {k: file_digest(p) for k, p in files.items()}, "beam": beam}


def up_to_date(out: Path, checkpoint: Path, corpus: Path, beam: int) -> bool:
    """Whether ``out`` was written from these (``provenance``)."""
    stats = out / "stats.json"
    if not (out / "train.tsv").exists() or not stats.exists():
        return False
    written = json.loads(stats.read_text(encoding="utf-8")).get("back_translation", {})
    return written.get("provenance") == provenance(checkpoint, corpus, beam)


def build(checkpoint: Path, corpus: Path, out: Path, beam: int = 1, threads: int = 0) -> dict:
    """Write ``out``: ``corpus``'s train split with the synthetic pairs after it, its dev
    and test splits, and ``stats.json`` (the corpus's, its train split counted again,
    with the back-translation's counts, provenance and credit).  Written in a temporary
    folder that then takes the place of ``out`` (an old ``out`` is moved aside first and
    removed after), so a reader finds the old corpus or the new one whole."""
    if threads:
        torch.set_num_threads(threads)
    started = time.perf_counter()
    loaded = load_checkpoint(checkpoint)
    translator = Translator(loaded.model, loaded.tokenizer, loaded.name)
    train = read_tsv(corpus / "train.tsv")
    targets = wanted(train, loaded.config.tgt_lang)
    sources = translate_all(translator, targets, beam)
    added, dropped = synthetic_pairs(sources, targets)
    base = corpus / "stats.json"
    stats = json.loads(base.read_text(encoding="utf-8")) if base.exists() else {}
    train_pairs = len(train) + len(added)
    stats.setdefault("splits", {})["train"] = {"pairs": train_pairs, "synthetic": len(added)}
    # the back-translator's own data, since its output carries what it learnt
    credit = f"back-translations by {loaded.name}; {loaded.card.get('credit', '')}"
    stats.update(
        pair=out.name,
        credit=joined_credits(stats.get("credit", ""), credit),
        back_translation={
            "checkpoint": loaded.name,
            "from_corpus": f"corpora/{corpus.name}",
            "search": "greedy" if beam == 1 else f"beam {beam}",
            "sentences": len(targets),
            "kept": len(added),
            "dropped": dropped,
            "train_pairs": train_pairs,
            "seconds": round(time.perf_counter() - started, 1),
            "provenance": provenance(checkpoint, corpus, beam),
        },
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    staging.chmod(0o755)  # as a folder made with mkdir
    try:
        shutil.copyfile(corpus / "train.tsv", staging / "train.tsv")
        with (staging / "train.tsv").open("a", encoding="utf-8", newline="\n") as handle:
            handle.writelines(f"{source}\t{target}\n" for source, target in added)
        for name in COPIED:
            shutil.copyfile(corpus / name, staging / name)
        text = json.dumps(stats, indent=2, ensure_ascii=False, sort_keys=True)
        (staging / "stats.json").write_text(text + "\n", encoding="utf-8")
        old = out.parent / f".{out.name}-old"
        shutil.rmtree(old, ignore_errors=True)
        if out.exists():
            os.replace(out, old)
        os.replace(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return stats


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.backtranslate", description=__doc__)
    p.add_argument("--checkpoint", type=Path, required=True, help="the back-translator")
    p.add_argument("--corpus", type=Path, required=True, help="the corpus it adds to")
    p.add_argument("--out", type=Path, required=True, help="the corpus folder to write")
    p.add_argument("--beam", type=int, default=1, help="1: greedy")
    p.add_argument("--threads", type=int, default=0, help="CPU threads (0: torch default)")
    p.add_argument("--force", action="store_true", help="write --out again if it exists")
    args = p.parse_args(argv)
    for needed in (args.checkpoint / "config.json", args.corpus / "train.tsv"):
        if not needed.exists():
            print(f"error: {needed} not found", file=sys.stderr)
            return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # the pair's models may ask for it side by side (``training.recipe --jobs``): one
    # writes it, the others wait and keep it
    with open(args.out.parent / f".{args.out.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not args.force and up_to_date(args.out, args.checkpoint, args.corpus, args.beam):
            print(f"{args.out} is up to date: kept (--force writes it again)", file=sys.stderr)
            return 0
        stats = build(args.checkpoint, args.corpus, args.out, args.beam, args.threads)
    info = stats["back_translation"]
    print(
        f"{args.out}: {info['kept']:,} synthetic pairs of {info['sentences']:,} sentences "
        f"({info['search']}; left out: {info['dropped'] or 'none'}), "
        f"{info['train_pairs']:,} training pairs, {info['seconds']} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
