"""Word alignments as links: parsing Pharaoh text, attention argmax links, AER."""

from __future__ import annotations

import re

import numpy as np

from .matrix import AttentionView

LINK_COLOUR = "#e67e22"  # gold and hand links, in every figure (ui/heatmap.css: .link-mark)
LINK = re.compile(r"^(\d{1,4})-(\d{1,4})$")


def parse_links(text: str, n_source: int, n_target: int) -> tuple[set[tuple[int, int]], list[str]]:
    """Pharaoh ``source-target`` word indices (0-based) -> ({(target, source)}, problems)."""
    links, problems = set(), []
    for token in text.split()[:5000]:
        m = LINK.match(token)
        if not m:
            problems.append(f"'{token[:20]}' is not i-j")
            continue
        s, t = int(m.group(1)), int(m.group(2))
        if s >= n_source or t >= n_target:
            problems.append(f"{token} is outside the sentence ({n_source} x {n_target} words)")
            continue
        links.add((t, s))
    return links, problems


def argmax_links(view: AttentionView) -> set[tuple[int, int]]:
    """(target word, source word) per target word: the source word with most attention.
    Special rows and columns (</s>) take no part."""
    rows = [i for i, w in enumerate(view.row_words) if w >= 0]
    cols = [j for j, w in enumerate(view.col_words) if w >= 0]
    if not cols:
        return set()
    sub = view.z[np.ix_(rows, cols)]
    return {
        (view.row_words[r], view.col_words[cols[int(sub[k].argmax())]]) for k, r in enumerate(rows)
    }


def link_cells(view: AttentionView, links: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """(target word, source word) links -> the (row, column) cells of ``view`` that show
    them, sorted: one cell each in a word view, every piece of the two words in a piece
    view.  A link to a word the view lacks has no cell."""
    rows: dict[int, list[int]] = {}
    cols: dict[int, list[int]] = {}
    for i, w in enumerate(view.row_words):
        rows.setdefault(w, []).append(i)
    for j, w in enumerate(view.col_words):
        cols.setdefault(w, []).append(j)
    return sorted(
        (i, j)
        for t, s in links
        if t >= 0 and s >= 0
        for i in rows.get(t, ())
        for j in cols.get(s, ())
    )


def to_pharaoh(links: set[tuple[int, int]]) -> str:
    """{(target, source)} -> "source-target ..." sorted by source then target."""
    return " ".join(f"{s}-{t}" for t, s in sorted(links, key=lambda x: (x[1], x[0])))


def crossing(links: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The links of one sentence that cross another of its links: word order changes
    there (a German verb at the end linked to an English verb in the middle)."""
    return {(t, s) for t, s in links if any((t - t2) * (s - s2) < 0 for t2, s2 in links)}


def alignment_scores(predicted: set, gold: set) -> dict:
    """Sure links only: AER = 1 - 2|A n S| / (|A| + |S|)."""
    hit = len(predicted & gold)
    return {
        "aer": 1 - 2 * hit / max(len(predicted) + len(gold), 1),
        "precision": hit / max(len(predicted), 1),
        "recall": hit / max(len(gold), 1),
    }
