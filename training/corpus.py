"""Reading ``source<TAB>target`` corpora and turning them into id pairs."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

from data.tatoeba import read_anki
from models.text import InputError
from models.tokenizer import Tokenizer

Row = tuple[str, str]


def read_tsv(path: Path) -> list[Row]:
    """Rows with exactly one tab and text on both sides; other lines are skipped."""
    rows = []
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2 and parts[0].strip() and parts[1].strip():
                rows.append((parts[0], parts[1]))
    return rows


def is_dev(source: str, percent: int = 2) -> bool:
    """Deterministic split by a stable hash of the source text."""
    digest = hashlib.sha256(source.strip().encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < percent


def read_split(
    corpus: Path | None, tsv: Path | None, reverse: bool = False
) -> tuple[list[Row], list[Row], dict]:
    """(train rows, dev rows, a description of the data for the model card).

    A ``tsv`` may be a manythings.org/anki file as downloaded (``English<TAB>other<TAB>
    attribution``, or the ``.zip`` that holds it): the attribution column is ignored and the
    text cleaned by :func:`data.tatoeba.read_anki`; ``reverse`` makes its second column the
    source.
    """
    if corpus is not None:
        train, dev = read_tsv(corpus / "train.tsv"), read_tsv(corpus / "dev.tsv")
        info = {"data": f"corpora/{corpus.name} (train.tsv, dev.tsv)"}
        stats = corpus / "stats.json"
        if stats.exists():
            info["corpus_stats"] = json.loads(stats.read_text())
        return train, dev, info
    rows, counts = read_anki(tsv, swap=reverse)
    if not rows:
        raise InputError(f"{tsv.name}: no line with text in two tab-separated columns")
    train = [r for r in rows if not is_dev(r[0])]
    dev = [r for r in rows if is_dev(r[0])]
    column = "second" if reverse else "first"
    info = {"data": f"{tsv.name} (source: {column} column; 2% dev split by source hash)",
            "cleaning": counts}  # fmt: skip
    return train, dev, info


def encode_pairs(
    tokenizer: Tokenizer, rows: list[Row], max_pieces: int, kept: list[Row] | None = None
) -> list:
    """Id pairs (end token included); pairs longer than ``max_pieces`` are skipped.
    ``kept``, if given, receives the rows that were kept, in the same order."""
    out = []
    for source, target in rows:
        try:
            src = tokenizer.encode(source, max_pieces)
            tgt = tokenizer.encode(target, max_pieces)
        except InputError:
            continue
        if not (src.truncated or tgt.truncated):
            out.append((src.ids, tgt.ids))
            if kept is not None:
                kept.append((source, target))
    return out


def sample_pairs(
    tokenizer: Tokenizer, rows: list[Row], best: list, max_pieces: int, alpha: float, seed: int
) -> list:
    """``rows`` segmented afresh (:meth:`Tokenizer.sample_ids`), the draws fixed by
    ``seed`` (so a resumed epoch draws the same pieces).  ``rows`` and ``best`` are
    :func:`encode_pairs`'s kept rows and its pairs: pair ``i`` stays row ``i``, and a side
    drawn longer than ``max_pieces`` keeps its best segmentation."""
    rng = random.Random(seed)
    out = []
    for (source, target), (src_best, tgt_best) in zip(rows, best, strict=True):
        src = tokenizer.sample_ids(source, alpha, rng)
        tgt = tokenizer.sample_ids(target, alpha, rng)
        out.append((src if len(src) <= max_pieces + 1 else src_best,
                    tgt if len(tgt) <= max_pieces + 1 else tgt_best))  # fmt: skip
    return out
