"""Attention matrices at piece or word level (pure numpy, no plotting)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from models.trace import DecodeTrace

END = "</s>"


@dataclass
class AttentionView:
    """A matrix ready to draw: rows = target units, columns = source units."""

    z: np.ndarray  # rows x columns
    rows: list[str]  # target labels
    cols: list[str]  # source labels
    row_words: list[int]  # word index of each row (-1: special)
    col_words: list[int]


def _groups(piece_to_word: list[int]) -> list[list[int]]:
    """Consecutive pieces of one word form a group; each special piece is its own."""
    groups: list[list[int]] = []
    for i, w in enumerate(piece_to_word):
        if groups and w >= 0 and piece_to_word[groups[-1][0]] == w:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def is_punctuation(piece: str) -> bool:
    """A piece that is only punctuation (the word-start mark aside)."""
    text = piece.replace("\u2581", "")
    return not text or all(unicodedata.category(ch).startswith("P") for ch in text)


def content_pieces(group: list[int], pieces: list[str]) -> list[int]:
    """A word's pieces that are not punctuation (all of them if every one is)."""
    return [i for i in group if not is_punctuation(pieces[i])] or group


def piece_label(piece: str) -> str:
    """SentencePiece's word-start mark shown as a thin marker."""
    return piece.replace("\u2581", "\u00b7") if piece != "\u2581" else "\u00b7"


def attention_view(trace: DecodeTrace, hyp: int = 0, level: str = "words") -> AttentionView:
    """The hypothesis' alphas as pieces, or as words: columns summed over a word's
    source pieces (still a distribution), rows averaged over a word's target pieces.

    A target word's row leaves out its attached punctuation ("gelesen." is the row of
    "gelesen"): the full stop attends to the source's full stop, and averaged in it
    would pull the verb's row towards whatever word carries that full stop.
    """
    h, src = trace.hypotheses[hyp], trace.source
    if h.alphas is None:
        raise ValueError("this model has no attention")
    if level == "pieces":
        return AttentionView(
            h.alphas,
            [piece_label(p) for p in h.pieces],
            [piece_label(p) for p in src.pieces],
            list(h.piece_to_word),
            list(src.piece_to_word),
        )
    col_groups, row_groups = _groups(src.piece_to_word), _groups(h.piece_to_word)
    cols = np.stack([h.alphas[:, g].sum(1) for g in col_groups], axis=1)
    z = np.stack([cols[content_pieces(g, h.pieces)].mean(0) for g in row_groups], axis=0)
    return AttentionView(
        z,
        [_word(h.words, h.piece_to_word, g, h.pieces) for g in row_groups],
        [_word(src.words, src.piece_to_word, g, src.pieces) for g in col_groups],
        [h.piece_to_word[g[0]] for g in row_groups],
        [src.piece_to_word[g[0]] for g in col_groups],
    )


def _word(words: list[str], p2w: list[int], group: list[int], pieces: list[str]) -> str:
    w = p2w[group[0]]
    return words[w] if w >= 0 else pieces[group[0]]


def unique_labels(labels: list[str]) -> list[str]:
    """Plotly merges equal category labels: make repeated words distinct (zero-width
    spaces, invisible when drawn)."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        n = seen.get(label, 0)
        seen[label] = n + 1
        out.append(label + "\u200b" * n)
    return out
