"""Step-through helpers: the state of decoding after t steps."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from models.trace import DecodeTrace

from .matrix import AttentionView
from .pieces import piece_label

if TYPE_CHECKING:
    import pandas as pd


def partial_output(trace: DecodeTrace, t: int, hyp: int = 0) -> str:
    """The output after t steps (pieces 0..t-1) as text; a word may still be unfinished."""
    h = trace.hypotheses[hyp]
    pieces = [p for p, w in zip(h.pieces[:t], h.piece_to_word[:t]) if w >= 0]
    return "".join(pieces).replace("\u2581", " ").strip()


def candidates_table(trace: DecodeTrace, t: int, hyp: int = 0) -> pd.DataFrame:
    """The top-k next pieces at step t with their probabilities; the chosen one marked."""
    import pandas as pd  # here, not at the top: the first view needs no pandas

    h = trace.hypotheses[hyp]
    chosen = h.pieces[t]
    return pd.DataFrame(
        [
            {"piece": piece_label(p), "probability": round(q, 4), "chosen": p == chosen}
            for p, q in h.candidates[t]
        ]
    )


NOT_YET = "\u2026"  # the label of a row not decoded yet: its piece is not known at step t


def filled_rows(z: np.ndarray, t: int) -> np.ndarray:
    """The matrix with rows after step t blanked (NaN draws as empty)."""
    out = z.astype(float).copy()
    out[t + 1 :] = np.nan
    return out


def view_at_step(view: AttentionView, t: int) -> AttentionView:
    """The pieces view as decoding stands after step t (0-based): the rows after t
    blank and unlabelled, since their pieces are not chosen yet."""
    rows = [*view.rows[: t + 1], *[NOT_YET] * max(len(view.rows) - t - 1, 0)]
    return replace(view, z=filled_rows(view.z, t), rows=rows)
