"""Deterministic, leak-free train / dev / test splits.

Everything here depends only on the text of the pairs and on SHA-256, never on Python's
salted ``hash()``, dict order of another run or the machine, so the same input gives the same
bytes everywhere.

* Pairs are grouped into connected components: two pairs belong together when they share a
  normalised source or a normalised target (:func:`norm_key`: case-folded, punctuation
  dropped). A component goes to one split as a whole, so no dev/test source or target text
  ever appears in train, and identical sources always land in the same split.
* Only *eligible* components (all members eligible, e.g. dictionary sentences) can be held
  out. Dev takes them in the order of ``sha256(salt/dev + key)`` until it holds ``dev_size``
  sources; test then takes the remaining ones in ``sha256(salt/test + key)`` order, first up
  to an optional per-length-bucket quota, then (if buckets run short) any bucket up to
  ``test_size``. Everything else is train.
* Held-out components keep one pair per normalised source (lowest ``rank``, then text), so
  a dev/test source has a single reference. Exact duplicates are removed from train.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from data import Pair, word_count

SPLIT_NAMES = ("train", "dev", "test")
LENGTH_BUCKETS = ((1, 10), (11, 20), (21, 30), (31, 40), (41, 50), (51, None))

_NON_WORD_RE = re.compile(r"[\W_]+")


def norm_key(text: str) -> str:
    """Normalised text used for grouping: case-folded words without punctuation."""
    return _NON_WORD_RE.sub(" ", text.casefold()).strip()


def stable_hash(text: str, salt: str) -> int:
    """A 64-bit hash of ``text`` that is identical on every machine and Python run."""
    digest = hashlib.sha256(f"{salt}\x1f{text}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def length_bucket(words: int) -> str:
    """Label of the source-length bucket ("1-10", ..., "51+") for a word count."""
    for low, high in LENGTH_BUCKETS:
        if high is None:
            return f"{low}+"
        if words <= high:
            return f"{low}-{high}"
    raise AssertionError("unreachable")


def bucket_labels() -> list[str]:
    """All bucket labels in ascending order."""
    return [length_bucket(high or low) for low, high in LENGTH_BUCKETS]


def source_bucket(pair: Pair) -> str:
    """Length bucket of a pair's source side."""
    return length_bucket(word_count(pair.src))


def _find(parent: list[int], node: int) -> int:
    """Union-find root with path halving."""
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


def group_pairs(pairs: Sequence[Pair]) -> list[list[int]]:
    """Connected components of pairs sharing a normalised source or target (index lists)."""
    parent = list(range(len(pairs)))
    first_seen: dict[tuple[str, str], int] = {}
    for index, pair in enumerate(pairs):
        for key in (("s", norm_key(pair.src)), ("t", norm_key(pair.tgt))):
            other = first_seen.setdefault(key, index)
            parent[_find(parent, index)] = _find(parent, other)
    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(pairs)):
        groups[_find(parent, index)].append(index)
    return list(groups.values())


def _group_key(pairs: Sequence[Pair], group: list[int]) -> str:
    """Stable identity of a group: its smallest normalised source."""
    return min(norm_key(pairs[i].src) for i in group)


def _held_out(pairs: Sequence[Pair], group: list[int]) -> list[Pair]:
    """One pair per normalised source of a held-out group (lowest rank, then text)."""
    best: dict[str, Pair] = {}
    for pair in sorted((pairs[i] for i in group), key=lambda p: (p.rank, p.src, p.tgt)):
        best.setdefault(norm_key(pair.src), pair)
    return sorted(best.values(), key=lambda p: (p.src, p.tgt))


def _ordered(keyed: list[tuple[str, list[int]]], salt: str) -> list[tuple[str, list[int]]]:
    """Groups in the order of their stable hash under ``salt`` (ties by key)."""
    return sorted(keyed, key=lambda item: (stable_hash(item[0], salt), item[0]))


def _take_test(
    candidates: list[list[Pair]],
    test_size: int,
    quotas: Mapping[str, int] | None,
    bucket: Callable[[Pair], str],
) -> list[int]:
    """Indices (into ``candidates``) for test: bucket quotas first, then fill up to size."""
    chosen: list[int] = []
    if quotas:
        filled: dict[str, int] = defaultdict(int)
        for index, held in enumerate(candidates):
            label = bucket(held[0])
            if filled[label] < quotas.get(label, 0):
                chosen.append(index)
                filled[label] += len(held)
    total = sum(len(candidates[i]) for i in chosen)
    taken = set(chosen)
    for index, held in enumerate(candidates):
        if total >= test_size:
            break
        if index not in taken:
            chosen.append(index)
            total += len(held)
    return chosen


def assign_splits(
    pairs: Sequence[Pair],
    *,
    dev_size: int,
    test_size: int,
    salt: str,
    eligible: Callable[[Pair], bool] = lambda pair: True,
    test_quotas: Mapping[str, int] | None = None,
    bucket: Callable[[Pair], str] = source_bucket,
) -> dict[str, list[Pair]]:
    """Split ``pairs`` into train / dev / test (see module docstring); input order is kept."""
    keyed = [(_group_key(pairs, group), group) for group in group_pairs(pairs)]
    is_eligible = [all(eligible(pairs[i]) for i in group) for _, group in keyed]
    candidates = [item for item, ok in zip(keyed, is_eligible, strict=True) if ok]
    dev_groups: list[list[int]] = []
    dev_count = 0
    for _, group in _ordered(candidates, f"{salt}/dev"):
        if dev_count >= dev_size:
            break
        dev_groups.append(group)
        dev_count += len(_held_out(pairs, group))
    dev_ids = {id(group) for group in dev_groups}
    rest = _ordered([item for item in candidates if id(item[1]) not in dev_ids], f"{salt}/test")
    held = [_held_out(pairs, group) for _, group in rest]
    test_groups = [rest[i][1] for i in _take_test(held, test_size, test_quotas, bucket)]
    return _collect(pairs, dev_groups, test_groups)


def _collect(
    pairs: Sequence[Pair], dev_groups: list[list[int]], test_groups: list[list[int]]
) -> dict[str, list[Pair]]:
    """Materialise the splits in input order; deduplicate train."""
    held_out_ids = {i for group in dev_groups + test_groups for i in group}
    chosen = {"dev": dev_groups, "test": test_groups}
    splits: dict[str, list[Pair]] = {}
    for name, groups in chosen.items():
        kept = {pair for group in groups for pair in _held_out(pairs, group)}
        splits[name] = [pair for pair in pairs if pair in kept]
        splits[name] = list(dict.fromkeys(splits[name]))
    seen: set[tuple[str, str]] = set()
    train = []
    for index, pair in enumerate(pairs):
        if index not in held_out_ids and (pair.src, pair.tgt) not in seen:
            seen.add((pair.src, pair.tgt))
            train.append(pair)
    return {"train": train, "dev": splits["dev"], "test": splits["test"]}


def hash_order(pairs: Sequence[Pair], salt: str) -> list[Pair]:
    """A machine-independent pseudo-random order (for files that should be shuffled)."""
    return sorted(pairs, key=lambda p: (stable_hash(f"{p.src}\t{p.tgt}", salt), p.src, p.tgt))


def spread_sample(rows: Sequence[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    """``n`` rows spread over source lengths, the same on every machine: sort by length
    (ties by SHA-256), take evenly spaced."""
    ranked = sorted(rows, key=lambda r: (len(r[0].split()), hashlib.sha256(r[0].encode()).digest()))
    step = max(len(ranked) / max(n, 1), 1.0)
    return [ranked[int(i * step)] for i in range(min(n, len(ranked)))]


def check_disjoint(splits: Mapping[str, Sequence[Pair]]) -> None:
    """Raise ``ValueError`` if a dev/test source or target also occurs in another split."""
    for side in ("src", "tgt"):
        keys = {name: {norm_key(getattr(p, side)) for p in split} for name, split in splits.items()}
        for held in ("dev", "test"):
            for other in keys:
                common = keys[held] & keys[other] if other != held and held in keys else set()
                if common:
                    raise ValueError(f"{held}/{other} share a {side} text: {min(common)!r}")
