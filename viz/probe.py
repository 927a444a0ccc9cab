"""The reordering probes' rule, in one place: does a target word's attention peak on the
source word a hand-marked link pairs it with, where the two languages order words
differently?  ``python -m training.probe`` counts it over a pair's classic sentences, and
the explorer shows it, link by link, on the sentence it draws.

Words are the app's words (``models.text``: punctuation at a word's end is a word of
its own) and the matrix is the explorer's word matrix (``viz.matrix.attention_view``).
The peak is taken among the source words that are not punctuation alone, ``</s>`` left
out likewise: the question is which source word a target word looks at, and a
clause-final German verb sits next to the full stop, whose column would often win.  The
weight on the linked word and on ``</s>`` are kept beside it, since a peak among words
can hide a row that mostly looks at the end token.  Plain numpy: the page imports it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from models.text import is_punctuation_word
from models.trace import DecodeTrace

from .links import parse_links
from .matrix import attention_view

# What each pair's hand links mark (the pairs without a probe have no links).
ABOUT = {
    "en-fr": "Bahdanau et al. 2015, Figure 3: French puts these adjectives after their "
    "nouns (zone économique européenne <- European Economic Area), and the paper's "
    "attention crosses to follow them.",
    "en-de": "German moves these verbs to the end of the clause (Ich habe das Haus gesehen "
    "<- I have seen the house): the attention has to go back to the English verb.",
}
# How a model card's count is named (``card["reorder_probe"]``).
COUNTED = {"en-fr": "Figure 3 inversions found", "en-de": "verb-final links found"}


@dataclass(frozen=True)
class LinkCheck:
    """One hand link, target word ``target`` <- source word ``source`` (word indices)."""

    target: int
    source: int
    target_word: str
    source_word: str
    found: bool  # the row's peak among the content words is the linked word
    weight: float  # the row's weight on the linked word
    peak_word: str  # the row's peak among the content words
    peak_weight: float
    end_weight: float  # the row's weight on </s>


def word_weights(trace: DecodeTrace) -> tuple[np.ndarray, np.ndarray]:
    """(target words x source words, weight of each target word on </s>), both cut
    from the explorer's word matrix (``viz.matrix.attention_view``)."""
    view = attention_view(trace, 0, "words")
    rows = [i for i, w in enumerate(view.row_words) if w >= 0]
    cols = [j for j, w in enumerate(view.col_words) if w >= 0]
    end = [j for j, w in enumerate(view.col_words) if w < 0]
    return view.z[np.ix_(rows, cols)], view.z[np.ix_(rows, end)].sum(1)


def parse_hand_links(links: str, n_source: int, n_target: int) -> set[tuple[int, int]]:
    """Pharaoh ``source-target`` hand links -> {(target word, source word)}; a link
    outside the sentence is an error (the links were written for these words)."""
    gold, problems = parse_links(links, n_source, n_target)
    if problems:
        raise ValueError(f"bad probe links {links!r}: {'; '.join(problems)}")
    return gold


def check_links(trace: DecodeTrace, links: str) -> list[LinkCheck]:
    """Each hand link of ``links`` checked on the best hypothesis of ``trace`` (the
    reference forced, for the probes), in (target, source) order."""
    if trace.best.alphas is None:
        raise ValueError("this model has no attention")
    src_words, tgt_words = list(trace.source.words), list(trace.best.words)
    gold = parse_hand_links(links, len(src_words), len(tgt_words))
    z, end = word_weights(trace)
    content = [s for s, w in enumerate(src_words) if not is_punctuation_word(w)]
    out = []
    for t, s in sorted(gold):
        peak = content[int(z[t, content].argmax())]
        out.append(
            LinkCheck(t, s, tgt_words[t], src_words[s], peak == s, round(float(z[t, s]), 3),
                      src_words[peak], round(float(z[t, peak]), 3), round(float(end[t]), 3))
        )  # fmt: skip
    return out


def checks_count(checks: list[LinkCheck]) -> str:
    """How many of the checked links are found, as the page says it."""
    return f"Hand-marked links: {sum(c.found for c in checks)} of {len(checks)} found"


def checks_line(checks: list[LinkCheck]) -> str:
    """The checked links in one line of plain text: the count, then each link."""
    each = ", ".join(f"{c.target_word} ← {c.source_word} {'✓' if c.found else '✗'}" for c in checks)
    return f"{checks_count(checks)} ({each})"


def checks_html(checks: list[LinkCheck]) -> str:
    """The checked links as an escaped HTML table (words are user text, never markup):
    found or not, the link, the row's weight on the linked word, its peak, its weight
    on ``</s>``."""
    head = "".join(
        f'<th style="text-align: {a}; padding: 2px 8px">{h}</th>'
        for h, a in (("", "left"), ("link (target ← source)", "left"), ("α on it", "right"),
                     ("the row's peak", "left"), ("on &lt;/s&gt;", "right"))
    )  # fmt: skip
    rows = []
    for c in checks:
        mark = "✓ found" if c.found else "✗ missed"
        colour = "#1e7b34" if c.found else "#b03a2e"
        cells = [
            f'<td style="color: {colour}; white-space: nowrap; padding: 2px 8px">{mark}</td>',
            f'<td style="padding: 2px 8px">{html.escape(c.target_word)} ← '
            f"{html.escape(c.source_word)}</td>",
            f'<td style="text-align: right; padding: 2px 8px">{c.weight:.2f}</td>',
            f'<td style="padding: 2px 8px">{html.escape(c.peak_word)} ({c.peak_weight:.2f})</td>',
            f'<td style="text-align: right; padding: 2px 8px">{c.end_weight:.2f}</td>',
        ]
        rows.append(f'<tr class="probe-row" data-found="{int(c.found)}">{"".join(cells)}</tr>')
    return (
        '<table class="probe-links" style="border: none; font-size: 0.9em; '
        f'font-variant-numeric: tabular-nums"><tr>{head}</tr>{"".join(rows)}</table>'
    )
