"""Attention matrices at piece or word level (pure numpy, no plotting)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from models.trace import DecodeTrace

from .pieces import piece_label

END = "</s>"
LEVELS = ("words", "pieces")  # what a view's rows and columns are (``attention_view``)


@dataclass
class AttentionView:
    """A matrix ready to draw: rows = target units, columns = source units."""

    z: np.ndarray  # rows x columns
    rows: list[str]  # target labels
    cols: list[str]  # source labels
    row_words: list[int]  # word index of each row (-1: special)
    col_words: list[int]


def word_groups(piece_to_word: list[int]) -> list[list[int]]:
    """Piece indices per unit, in order: the consecutive pieces of one word (the word
    rule of ``models.text``) form a group; each special piece (-1, ``</s>``) is its own."""
    groups: list[list[int]] = []
    for i, w in enumerate(piece_to_word):
        if groups and w >= 0 and piece_to_word[groups[-1][0]] == w:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def word_matrix(
    alphas: np.ndarray, row_piece_to_word: list[int], col_piece_to_word: list[int]
) -> np.ndarray:
    """Piece attention -> word attention, the one way every view and probe does it.

    ``alphas``: (target pieces T, source pieces S), each row a distribution.
    Returns (target units, source units), units as ``word_groups`` makes them (words,
    and each special piece on its own, such as the ``</s>`` column): a source word's
    pieces are summed (a row stays a distribution), a target word's pieces averaged.
    Any piece -> unit map works, e.g. gold-file tokens instead of words.
    """
    col_groups, row_groups = word_groups(col_piece_to_word), word_groups(row_piece_to_word)
    cols = np.stack([alphas[:, g].sum(1) for g in col_groups], axis=1)
    return np.stack([cols[g].mean(0) for g in row_groups], axis=0)


def attention_view(trace: DecodeTrace, hyp: int = 0, level: str = "words") -> AttentionView:
    """The hypothesis' alphas as pieces, or as words (``word_matrix``: columns summed
    over a word's source pieces, rows averaged over a word's target pieces).  Words
    follow the one word rule, so "gelesen." is the row of "gelesen" and the row of "."
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
    col_groups, row_groups = word_groups(src.piece_to_word), word_groups(h.piece_to_word)
    return AttentionView(
        word_matrix(h.alphas, h.piece_to_word, src.piece_to_word),
        [_word(h.words, h.piece_to_word, g, h.pieces) for g in row_groups],
        [_word(src.words, src.piece_to_word, g, src.pieces) for g in col_groups],
        [h.piece_to_word[g[0]] for g in row_groups],
        [src.piece_to_word[g[0]] for g in col_groups],
    )


def _word(words: list[str], p2w: list[int], group: list[int], pieces: list[str]) -> str:
    w = p2w[group[0]]
    return words[w] if w >= 0 else pieces[group[0]]


def carry_row(words_before: list[int], row: int, words_after: list[int]) -> int:
    """The row of the same target unit in the other level's view (``row_words`` of
    both): a word's first piece, or a piece's word; a special piece (``</s>``) keeps its
    place among the specials.  0 when there is none."""
    if not 0 <= row < len(words_before) or not words_after:
        return 0
    word = words_before[row]
    if word >= 0:
        return words_after.index(word) if word in words_after else 0
    nth = words_before[:row].count(-1)
    specials = [i for i, w in enumerate(words_after) if w == -1]
    return specials[min(nth, len(specials) - 1)] if specials else 0


PILL_CHARS = 40  # a word button shows at most this many characters


VIRAMA = 9  # the canonical combining class of a virama (Devanagari ``्``)
JOINERS = "\u200c\u200d"  # zero width non-joiner and joiner: they bind to what follows


def can_cut_before(label: str, i: int) -> bool:
    """Whether ``label`` may be cut before its character ``i`` without splitting a
    letter from what it draws with: never before a combining mark (a vowel sign such as
    ``ि``, a variation selector), never after a virama (``क्|ष`` is one conjunct) or a
    joiner.  Cutting there would show another syllable, or a dangling mark."""
    if i <= 0 or i >= len(label):
        return True
    if unicodedata.category(label[i]).startswith("M"):
        return False
    before = label[i - 1]
    return unicodedata.combining(before) != VIRAMA and before not in JOINERS


def clip_label(label: str, limit: int = PILL_CHARS) -> str:
    """``label`` cut to at most ``limit`` characters, the cut marked with an ellipsis
    (a very long word would push a button out of its column, a title off its figure).
    The cut falls between whole letters (``can_cut_before``): "मिठाइयाँ" never
    becomes "म…", which reads as another syllable."""
    if len(label) <= limit:
        return label
    cut = max(limit - 1, 0)
    while not can_cut_before(label, cut):
        cut -= 1
    return label[:cut] + "\u2026"


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
