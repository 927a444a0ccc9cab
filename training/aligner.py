"""A statistical word aligner as the reference line for attention-as-alignment.

IBM Model 2 with fast_align's diagonal prior (Dyer et al. 2013): p(f_i | e) is learnt by
EM on the training corpus; the position prior favours links near the diagonal.  It is
trained on the training split only and then aligns new sentences without learning
from them.  Direction: each target word f_i picks one source word e_j (or none).

The EM runs on flat arrays with one entry per *cell*: a target token of a training pair
together with one of the pair's source words, or with NULL.  An iteration is a gather of
p(f | e) per cell, a sum per target token (the posterior's normaliser), a sum per distinct
(e, f) pair (the expected counts) and a sum per source word e (the new p(f | e)'s
normaliser): a training split of 177,000 sentence pairs is learnt in seconds.
"""

from __future__ import annotations

import math

import numpy as np

Sentence = list[str]
NULL = "<null>"
UNSEEN = 1e-7  # p(f | e) of a pair never seen together in training, or of an unknown word
CHUNK = 1 << 22  # word cells built at a time (bounds the temporaries of fit)


def diagonal(i: int, j: int, m: int, n: int, tension: float) -> float:
    """Unnormalised prior of linking target position i (of m) to source position j (of n)."""
    return math.exp(-tension * abs(i / m - j / n))


def distinct(code: np.ndarray, pack: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(code, return_inverse=True)`` for non-negative int64 ``code`` (shape (C,),
    overwritten): the distinct values, sorted (shape (K,)), and each entry's index among
    them (int32, shape (C,)).  With ``pack`` and where both fit in 63 bits, value and
    position are sorted as one int64, in place: faster than an argsort and less memory."""
    n = len(code)
    shift = max(n - 1, 0).bit_length()
    if pack and int(code.max(initial=0)).bit_length() + shift <= 63:
        code <<= shift
        code |= np.arange(n)
        code.sort()
        order = code & ((1 << shift) - 1)
        code >>= shift
    else:
        order = np.argsort(code)
        code[:] = code[order]
    first = np.empty(n, dtype=bool)
    first[:1] = True
    np.not_equal(code[1:], code[:-1], out=first[1:])
    index = np.empty(n, dtype=np.int32)
    index[order] = np.cumsum(first, dtype=np.int32) - 1
    return code[first], index


class DiagonalIBM2:
    """p(f | e) is kept as a sorted table: ``keys`` (int64, shape (K,)) names each (e, f)
    pair seen together in training as ``source_ids[e] * len(target_ids) + target_ids[f]``
    (NULL is source word 0) and ``t`` (float64, shape (K,)) holds its probability."""

    def __init__(self, tension: float = 4.0, p_null: float = 0.08) -> None:
        self.tension = tension
        self.p_null = p_null
        self.source_ids: dict[str, int] = {NULL: 0}
        self.target_ids: dict[str, int] = {}
        self.keys = np.zeros(0, dtype=np.int64)
        self.t = np.zeros(0)

    def fit(self, pairs: list[tuple[Sentence, Sentence]], iterations: int = 5) -> DiagonalIBM2:
        """EM over (source words, target words) pairs.

        The first E-step sees one p(f | e) for every pair (uniform over the target words);
        each M-step normalises the expected counts per source word e."""
        self.source_ids, self.target_ids = {NULL: 0}, {}
        self.keys, self.t = np.zeros(0, dtype=np.int64), np.zeros(0)
        if iterations <= 0 or not pairs:
            return self
        key, share, token, keys = self._cells(pairs)
        if not len(keys):
            return self
        key_e = (keys // max(len(self.target_ids), 1)).astype(np.int32)
        n_keys = len(keys)
        t = np.full(n_keys, 1.0 / max(len(self.target_ids), 1))
        for _ in range(iterations):
            post = t[key]
            post *= share  # the cell's score: its prior share times p(f | e)
            total = np.bincount(token, post)  # the NULL cells name every token
            total[total == 0] = 1.0
            post /= total[token]  # the posterior of the cell's link
            counts = np.bincount(key, post, minlength=n_keys)
            per_e = np.bincount(key_e, counts, minlength=len(self.source_ids))
            per_e[per_e == 0] = 1.0
            t = counts / per_e[key_e]
        self.keys, self.t = keys, t
        return self

    def _cells(
        self, pairs: list[tuple[Sentence, Sentence]]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The E-step's cells of ``pairs`` (filling ``source_ids`` and ``target_ids``).

        G target tokens give G NULL cells (cell g is token g's) followed by one word cell
        per target token and source word, in order of target token, then source position;
        C cells in all.  Returns ``key`` (int32, shape (C,)): the cell's (e, f) pair as an
        index into ``keys``; ``share`` (float64, (C,)): p_null for a NULL cell, (1 - p_null)
        times the diagonal prior normalised over the source positions for a word cell;
        ``token`` (int32, (C,)): the cell's target token; ``keys`` (int64, (K,)): the
        distinct pairs, sorted (see the class)."""
        src_ids, tgt_ids = self.source_ids, self.target_ids
        src = np.array([src_ids.setdefault(e, len(src_ids)) for s, _ in pairs for e in s])
        tgt = np.array([tgt_ids.setdefault(f, len(tgt_ids)) for _, t in pairs for f in t])
        src, tgt = src.astype(np.int64), tgt.astype(np.int64)
        n = np.array([len(s) for s, _ in pairs], dtype=np.int64)
        m = np.array([len(t) for _, t in pairs], dtype=np.int64)
        width = max(len(tgt_ids), 1)
        # one row per target token g: its pair, position i, the pair's m and n
        pair = np.repeat(np.arange(len(pairs)), m)
        n_tokens = len(pair)
        g_i = np.arange(n_tokens) - np.repeat(np.cumsum(m) - m, m)
        g_n, g_src = n[pair], (np.cumsum(n) - n)[pair]  # g_src: the pair's first source word
        g_x = (g_i + 0.5) / m[pair]
        ends = np.cumsum(g_n)  # word cells up to and including token g
        n_cells = n_tokens + int(ends[-1]) if n_tokens else 0
        if not n_cells:
            empty = np.zeros(0, dtype=np.int32)
            return empty, np.zeros(0), empty, np.zeros(0, dtype=np.int64)
        code = np.empty(n_cells, dtype=np.int64)
        share = np.empty(n_cells)
        token = np.empty(n_cells, dtype=np.int32)
        code[:n_tokens], share[:n_tokens], token[:n_tokens] = tgt, self.p_null, np.arange(n_tokens)
        # word cells, a chunk of whole target tokens at a time
        bounds = np.searchsorted(ends, np.arange(CHUNK, int(ends[-1]) + CHUNK, CHUNK), "right")
        first = 0
        for last in np.unique(np.append(bounds, n_tokens)):
            if last <= first:
                continue
            counts = g_n[first:last]
            local = np.repeat(np.arange(last - first), counts)  # the cell's token - first
            start = int(ends[first - 1]) if first else 0
            cells = slice(n_tokens + start, n_tokens + int(ends[last - 1]))
            j = np.arange(len(local)) - np.repeat(np.cumsum(counts) - counts, counts)
            g = local + first
            prior = np.exp(-self.tension * np.abs(g_x[g] - (j + 0.5) / g_n[g]))
            z = np.bincount(local, prior, minlength=last - first)
            share[cells] = (1 - self.p_null) * prior / z[local]
            code[cells] = src[g_src[g] + j] * width + tgt[g]
            token[cells] = g
            first = last
        keys, key = distinct(code)
        return key, share, token, keys

    def _table(self, src: Sentence, tgt: Sentence) -> np.ndarray:
        """p(f | e) for each target word f (rows) and source word e (columns), shape
        (len(tgt), len(src)); ``UNSEEN`` for a pair not seen together in training."""
        e = np.array([self.source_ids.get(w, -1) for w in src], dtype=np.int64)
        f = np.array([self.target_ids.get(w, -1) for w in tgt], dtype=np.int64)
        code = e[None, :] * max(len(self.target_ids), 1) + f[:, None]
        known = (e[None, :] >= 0) & (f[:, None] >= 0)
        if not len(self.keys):
            return np.full(code.shape, UNSEEN)
        at = np.minimum(np.searchsorted(self.keys, code), len(self.keys) - 1)
        return np.where(known & (self.keys[at] == code), self.t[at], UNSEEN)

    def prob(self, e: str, f: str) -> float:
        """p(f | e) as learnt (``e`` may be ``NULL``); ``UNSEEN`` for a pair not seen
        together in training."""
        return float(self._table([e], [f])[0, 0])

    def align(self, src: Sentence, tgt: Sentence) -> set[tuple[int, int]]:
        """Viterbi links (target index, source index); NULL-aligned words get none.

        A target word takes the first source word of the greatest probability, and none
        where NULL's is as great."""
        links = set()
        m, n = len(tgt), len(src)
        table = self._table([NULL, *src], tgt).tolist()
        for i in range(m):
            best, best_j = self.p_null * table[i][0], -1
            prior = [diagonal(i + 0.5, j + 0.5, m, n, self.tension) for j in range(n)]
            z = sum(prior)
            for j in range(n):
                p = (1 - self.p_null) * prior[j] / z
                p *= table[i][j + 1]
                if p > best:
                    best, best_j = p, j
            if best_j >= 0:
                links.add((i, best_j))
        return links
