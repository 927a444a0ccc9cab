"""Numbers about an attention matrix (rows = target units, columns = source units)."""

from __future__ import annotations

import numpy as np

from .matrix import END

EPS = 1e-12


def row_entropy(z: np.ndarray) -> np.ndarray:
    """Entropy of each row in bits: 0 = all weight on one source unit.  R x C -> R"""
    p = np.clip(z, EPS, 1.0)
    return -(z * np.log2(p)).sum(axis=1)


def max_entropy(n_cols: int) -> float:
    """The largest row entropy over ``n_cols`` source units, in bits: log2(n_cols), the
    entropy of a row that weighs them all alike (0 for one unit or none)."""
    return float(np.log2(n_cols)) if n_cols > 1 else 0.0


def coverage(z: np.ndarray) -> np.ndarray:
    """Column sums: how much attention each source unit received in total.  R x C -> C"""
    return z.sum(axis=0)


def js_divergence(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Jensen-Shannon divergence per row, in bits (0..1).  R x C, R x C -> R"""
    m = 0.5 * (p + q)

    def kl(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        mask = a > 0
        out = np.zeros_like(a)
        out[mask] = a[mask] * np.log2(a[mask] / np.clip(b[mask], EPS, None))
        return out.sum(axis=1)

    return np.clip(0.5 * kl(p, m) + 0.5 * kl(q, m), 0.0, 1.0)


def argmax_matches(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Per row: whether its most-attended column is the same in both matrices."""
    return p.argmax(axis=1) == q.argmax(axis=1)


def argmax_agreement(p: np.ndarray, q: np.ndarray) -> float:
    """Share of rows whose most-attended column is the same in both matrices."""
    if p.shape[0] == 0:
        return float("nan")
    return float(argmax_matches(p, q).mean())


def end_mass(z: np.ndarray, labels: list[str]) -> np.ndarray | None:
    """Each row's weight on the source end token ``</s>`` (its columns summed; shape
    (rows,) for a matrix, a number for one row), or ``None`` without such a column."""
    ends = [i for i, label in enumerate(labels) if label == END]
    return np.asarray(z, dtype=float)[..., ends].sum(axis=-1) if ends else None


def end_token_note(labels: list[str], weights) -> str | None:
    """A sentence for a row whose largest weight is on the source's end token ``</s>``
    (plain text: the caller escapes it), else ``None``: learners read a dark ``</s>``
    column as a bug, while RNN attention often parks weight there."""
    w = np.asarray(weights, dtype=float)
    end = end_mass(w, labels)
    words = [i for i, label in enumerate(labels) if label != END]
    if end is None or not words or end <= w[words].max():
        return None
    best = max(words, key=lambda i: w[i])
    return (
        f"{end:.2f} of this row rests on {END}, the end of the source, more than "
        f"on any word (the strongest is '{labels[best]}', {w[best]:.2f}). RNN attention "
        "often parks weight there when no single source word is needed; the Diagnostics "
        "tab shows it for every row."
    )
