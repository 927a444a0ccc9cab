"""Word alignments as links: parsing Pharaoh text, attention argmax links, AER."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .matrix import AttentionView, clip_label

LINK_COLOUR = "#e67e22"  # gold and hand links, in every figure (ui/heatmap.css: .link-mark)
# ``source-target`` 0-based word indices; the mark between them says the link's kind, as
# aligners and gold sets write it: ``-`` sure (Pharaoh), ``?`` possible (Och & Ney's
# S/P convention in Pharaoh text), ``p`` possible (the Hansards gold set's ``ipj``).
LINK = re.compile(r"^(\d{1,4})([-?pP])(\d{1,4})$")
SURE_MARK = "-"
SURE_FORM = "i-j"  # how a sure link is typed
POSSIBLE_FORMS = ("i?j", "ipj")  # how a possible link is typed
AER_FORMULA = "AER = 1 − (|A∩S| + |A∩P|) / (|A| + |S|)"  # what alignment_scores computes
MAX_LINKS = 5000  # tokens read from one text
TOKEN_CHARS = 20  # a token that cannot be read is named up to this long, cut with "…"


@dataclass(frozen=True)
class GoldLinks:
    """Hand links of one sentence as (target word, source word): the sure ones S and
    the possible ones P, which hold the sure ones too (S ⊆ P, Och & Ney 2003)."""

    sure: frozenset[tuple[int, int]]
    possible: frozenset[tuple[int, int]]

    def __bool__(self) -> bool:
        return bool(self.possible)


def parse_gold(text: str, n_source: int, n_target: int) -> tuple[GoldLinks, list[str]]:
    """``source-target`` word indices (0-based), sure (``i-j``) or possible (``i?j``,
    ``ipj``) -> (links, problems).  A pair typed both ways is sure."""
    sure: set[tuple[int, int]] = set()
    possible: set[tuple[int, int]] = set()
    problems = []
    for token in text.split()[:MAX_LINKS]:
        m = LINK.match(token)
        if not m:
            problems.append(
                f"'{clip_label(token, TOKEN_CHARS)}' is not {SURE_FORM} (a sure link) or "
                f"{' / '.join(POSSIBLE_FORMS)} (a possible link): i a source word, j a target "
                "word, counted from 0"
            )
            continue
        s, t = int(m.group(1)), int(m.group(3))
        if s >= n_source or t >= n_target:
            problems.append(f"{token} is outside the sentence ({n_source} x {n_target} words)")
            continue
        (sure if m.group(2) == SURE_MARK else possible).add((t, s))
    return GoldLinks(frozenset(sure), frozenset(sure | possible)), problems


def parse_links(text: str, n_source: int, n_target: int) -> tuple[set[tuple[int, int]], list[str]]:
    """Hand links whose kind does not matter (the probes' links) -> ({(target, source)},
    problems): every link :func:`parse_gold` reads, sure or possible."""
    gold, problems = parse_gold(text, n_source, n_target)
    return set(gold.possible), problems


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


def alignment_scores(predicted: set, sure: set, possible: set | None = None) -> dict:
    """AER, precision and recall of the links A against sure links S and possible links
    P (Och & Ney 2003; P holds S, so a sure link is possible too; without P, P = S):
    precision = |A∩P| / |A|, recall = |A∩S| / |S|, :data:`AER_FORMULA`.  The one
    definition: the Gold alignment tab scores one sentence with it and
    ``training.gold.aer`` a gold set, its links pooled over the sentences."""
    a, s = set(predicted), set(sure)
    p = s | set(possible or ())
    return {
        "aer": 1 - (len(a & s) + len(a & p)) / max(len(a) + len(s), 1),
        "precision": len(a & p) / max(len(a), 1),
        "recall": len(a & s) / max(len(s), 1),
    }
