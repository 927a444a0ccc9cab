"""The corpus view's figure: BLEU by source length for every model of a pair, from
their cards (Bahdanau et al. 2015, Fig. 2)."""

from __future__ import annotations

import html
import math
import re

import plotly.graph_objects as go
from plotly.colors import qualitative

from .labels import FONT, plotly_text

LEGEND_LINE = 22  # pixels a line of the legend takes
LONG_SET = "long sentences"  # what a card's ``long`` evaluation is called on the figure
UNNAMED_SET = "another test set"  # a card's long-sentence set that names no corpus


def bucket_range(bucket: str) -> tuple[int, float] | None:
    """The lengths a card's bucket spans ("11-20" -> (11, 20), "51+" -> (51, inf)), or
    None for a name that is not such a range."""
    found = re.fullmatch(r"(\d+)(?:-(\d+)|\+)", bucket)
    if found is None:
        return None
    low, high = found.groups()
    return int(low), float(high) if high else math.inf


def bucket_low(bucket: str) -> float:
    """The first length of a card's bucket ("11-20" -> 11, "51+" -> 51); a name that is
    not a range goes last."""
    span = bucket_range(html.unescape(bucket))  # the figure's labels are escaped
    return span[0] if span else math.inf


MIN_BUCKET_SENTENCES = 20  # a bucket's BLEU over fewer sentences is left off the figure


def _measured(rows, left_out: dict | None = None) -> list[dict]:
    """The buckets with a BLEU over at least ``MIN_BUCKET_SENTENCES`` sentences; the
    smaller ones measured go into ``left_out`` (bucket -> sentences)."""
    rows = [r for r in rows or [] if r.get("n") and r.get("bleu") is not None]
    if left_out is not None:
        left_out.update({r["bucket"]: r["n"] for r in rows if r["n"] < MIN_BUCKET_SENTENCES})
    return [r for r in rows if r["n"] >= MIN_BUCKET_SENTENCES]


def bleu_by_length_figure(cards: dict[str, dict]) -> go.Figure | None:
    """One line per model card with a ``test.by_length`` table, and a dashed one in the
    same colour for its ``long`` evaluation where it has one (a long-sentence test set,
    its corpus named); None when no card has a table.  The x axis holds every bucket
    measured, in order of length."""
    fig = go.Figure()
    colours = qualitative.Plotly
    left_out: dict[str, dict] = {"test sentences": {}, LONG_SET: {}}
    long_sets: set[str] = set()
    for k, (name, card) in enumerate(sorted(cards.items())):
        rows = _measured((card.get("test") or {}).get("by_length"), left_out["test sentences"])
        if not rows:
            continue
        colour = colours[k % len(colours)]
        group = f"model {k}"  # a model's two lines show and hide together
        fig.add_trace(_line(rows, plotly_text(name), colour, "test sentences", group))
        long = card.get("long") or {}
        long_rows = _measured((long.get("greedy") or {}).get("by_length"), left_out[LONG_SET])
        if long_rows:  # in the legend with its model's line (one entry: the legend fits)
            corpus = long.get("corpus", UNNAMED_SET)
            long_sets.add(corpus)
            what = f"{LONG_SET} ({corpus})"
            label = plotly_text(f"{name}, {what}")
            line = _line(long_rows, label, colour, plotly_text(what), group, dash="dash")
            fig.add_trace(line.update(showlegend=False))
    if not fig.data:
        return None
    buckets = sorted({x for trace in fig.data for x in trace.x}, key=bucket_low)
    # the legend at the foot of the figure, where a narrow screen (a phone) keeps the
    # plot its width: room for a line of it per two models (two entries fit a phone)
    lines = (sum(t.showlegend is not False for t in fig.data) + 1) // 2
    fig.update_layout(
        font=FONT,
        height=340 + LEGEND_LINE * lines,
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "xanchor": "left",
            "x": 0,
        },  # fmt: skip
        xaxis={
            "title": {"text": "source length (words, punctuation marks included)"},
            "categoryorder": "array",
            "categoryarray": buckets,
        },
        yaxis={"title": {"text": "BLEU (greedy)"}},
        margin={"l": 50, "r": 10, "t": 20, "b": 56 + LEGEND_LINE * lines},
        meta={
            "left_out": {k: v for k, v in left_out.items() if v},
            "long_sets": sorted(long_sets),
        },  # fmt: skip
    )
    return fig


def _line(rows, name: str, colour: str, what: str, group: str, dash: str = "solid"):
    return go.Scatter(
        x=[plotly_text(r["bucket"]) for r in rows],
        y=[r["bleu"] for r in rows],
        mode="lines+markers",
        name=name,
        legendgroup=group,
        line={"color": colour, "dash": dash},
        customdata=[r["n"] for r in rows],  # a bucket of 3 sentences says so
        hovertemplate=f"%{{x}} words: BLEU %{{y}} over %{{customdata}} {what}<extra></extra>",
    )


def left_out_note(fig: go.Figure) -> str:
    """Which buckets ``bleu_by_length_figure`` left off (too few sentences), or ""."""
    left_out = ((fig.layout.meta or {}).get("left_out")) or {}
    parts = [
        f"{bucket} words on the {'solid' if what == 'test sentences' else 'dashed'} lines "
        f"({n} {what})"
        for what, buckets in left_out.items()
        for bucket, n in sorted(buckets.items(), key=lambda item: bucket_low(item[0]))
    ]
    if not parts:
        return ""
    return (
        f"Left off: {', '.join(parts)}; a BLEU over fewer than {MIN_BUCKET_SENTENCES} "
        "sentences says little."
    )


def length_figure_note(fig: go.Figure) -> str:
    """The notes under ``bleu_by_length_figure``: its dashed lines, its left-off buckets."""
    return " ".join(note for note in (long_set_note(fig), left_out_note(fig)) if note)


def long_set_note(fig: go.Figure) -> str:
    """What the dashed lines of ``bleu_by_length_figure`` are, or "" without them."""
    if not any(trace.line.dash == "dash" for trace in fig.data):
        return ""
    named = ", ".join((fig.layout.meta or {}).get("long_sets") or []) or UNNAMED_SET
    return (
        f"Dashed: the same models (in their colours) on a long-sentence test set of another "
        f"domain ({named}), so compare the dashed lines with each other, not with the solid "
        "ones."
    )
