"""A statistical word aligner as the reference line for attention-as-alignment.

IBM Model 2 with fast_align's diagonal prior (Dyer et al. 2013): p(f_i | e) is learnt by
EM on the training corpus; the position prior favours links near the diagonal.  It is
trained on the training split only and then aligns new sentences without learning
from them.  Direction: each target word f_i picks one source word e_j (or none).
"""

from __future__ import annotations

import math
from collections import defaultdict

Sentence = list[str]
NULL = "<null>"


def diagonal(i: int, j: int, m: int, n: int, tension: float) -> float:
    """Unnormalised prior of linking target position i (of m) to source position j (of n)."""
    return math.exp(-tension * abs(i / m - j / n))


class DiagonalIBM2:
    def __init__(self, tension: float = 4.0, p_null: float = 0.08) -> None:
        self.tension = tension
        self.p_null = p_null
        self.t: dict[str, dict[str, float]] = {}  # t[e][f] = p(f | e)

    def fit(self, pairs: list[tuple[Sentence, Sentence]], iterations: int = 5) -> DiagonalIBM2:
        """EM over (source words, target words) pairs."""
        vocab_f = {f for _, tgt in pairs for f in tgt}
        uniform = 1.0 / max(len(vocab_f), 1)
        self.t = defaultdict(lambda: defaultdict(lambda: uniform))
        for _ in range(iterations):
            counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
            for src, tgt in pairs:
                for i, f in enumerate(tgt):
                    post = self._posterior(src, tgt, i, f)
                    for e, p in post:
                        counts[e][f] += p
            self.t = self._normalise(counts, uniform)
        return self

    def _normalise(self, counts, uniform: float):
        t: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(lambda: uniform))
        for e, row in counts.items():
            total = sum(row.values())
            t[e] = defaultdict(lambda: 1e-7, {f: c / total for f, c in row.items()})
        return t

    def _prob(self, e: str, f: str) -> float:
        row = self.t.get(e)
        return row.get(f, 1e-7) if row is not None else 1e-7

    def _posterior(self, src: Sentence, tgt: Sentence, i: int, f: str) -> list[tuple[str, float]]:
        m, n = len(tgt), len(src)
        prior = [diagonal(i + 0.5, j + 0.5, m, n, self.tension) for j in range(n)]
        z = sum(prior)
        scores = [(NULL, self.p_null * self._prob(NULL, f))]
        scores += [(e, (1 - self.p_null) * p / z * self._prob(e, f)) for e, p in zip(src, prior)]
        total = sum(s for _, s in scores) or 1.0
        return [(e, s / total) for e, s in scores]

    def align(self, src: Sentence, tgt: Sentence) -> set[tuple[int, int]]:
        """Viterbi links (target index, source index); NULL-aligned words get none."""
        links = set()
        m, n = len(tgt), len(src)
        for i, f in enumerate(tgt):
            best, best_j = self.p_null * self._prob(NULL, f), -1
            z = sum(diagonal(i + 0.5, j + 0.5, m, n, self.tension) for j in range(n))
            for j, e in enumerate(src):
                p = (1 - self.p_null) * diagonal(i + 0.5, j + 0.5, m, n, self.tension) / z
                p *= self._prob(e, f)
                if p > best:
                    best, best_j = p, j
            if best_j >= 0:
                links.add((i, best_j))
        return links
