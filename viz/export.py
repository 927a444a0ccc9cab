"""What the export buttons download: the matrix as CSV / JSON and the whole trace as
JSON, every number rounded to ``DIGITS`` decimals.

Weights come from float32 tensors; written as they are, 0.414756 reads
0.41475600004196167 (the float32 nearest to it, printed as a float64).  Rounding the
float64 value gives the short form back.
"""

from __future__ import annotations

import json
import math
import unicodedata
from typing import TYPE_CHECKING

import numpy as np

from .matrix import AttentionView

if TYPE_CHECKING:
    import pandas as pd

DIGITS = 6


def rounded(value, digits: int = DIGITS):
    """``value`` with every float (numpy's too, in arrays, lists and dicts) rounded to
    ``digits`` decimals as a Python float; infinities and NaN become None (JSON has none)."""
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(v, digits) for v in value]
    if isinstance(value, np.ndarray):
        return rounded(value.tolist(), digits)
    if isinstance(value, float | np.floating):
        number = float(value)
        return round(number, digits) if math.isfinite(number) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


def matrix_frame(view: AttentionView) -> pd.DataFrame:
    """Rows = target units, columns = source units, weights rounded (float64)."""
    import pandas as pd  # here, not at the top: the first view needs no pandas

    z = np.round(np.asarray(view.z, dtype=np.float64), DIGITS)
    return pd.DataFrame(z, index=view.rows, columns=view.cols)


def matrix_csv(view: AttentionView) -> str:
    return matrix_frame(view).to_csv()


def matrix_json(view: AttentionView) -> str:
    matrix = {"rows": view.rows, "columns": view.cols, "alphas": rounded(view.z)}
    return json.dumps(matrix, ensure_ascii=False)


def trace_json(trace, target_notes: list[str] | None = None) -> str:
    """The whole ``DecodeTrace`` (its ``to_dict``), numbers rounded; ``target_notes``:
    what reading did to a forced target (``models.unknown.target_notes``), as the
    command line's ``--json`` writes them."""
    data = rounded(trace.to_dict())
    if target_notes is not None:
        data["target_notes"] = target_notes
    return json.dumps(data, ensure_ascii=False, indent=1)


SLUG_WORDS = 4  # words of the source a file name carries


def export_stem(model: str, mode: str, source: str, level: str = "") -> str:
    """A file name stem that tells exports apart: the model, what its rows are (its own
    greedy or beam output, or a forced target), the level where it matters, and the
    source's first words ("en-fr-bahdanau-forced-words-turn-off-the-lights")."""
    kept = "".join(  # letters, their marks (Devanagari vowel signs) and digits, any script
        ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in source.lower()
    )
    words = kept.split()[:SLUG_WORDS]
    return "-".join([model, mode, *([level] if level else []), *words])


def figure_title(model: str, mode: str, source: str) -> str:
    """The title a saved figure carries: the model, what its rows are, the whole
    sentence (the figure cuts it where its width ends: ``viz.labels.fit_title``)."""
    what = {"forced": "forced target", "beam": "beam search"}.get(mode, mode)
    return f"{model} ({what}): {source}"
