"""Two models' attention on one shared target: difference map and agreement figures."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .bars import bar_figure
from .diagnostics import argmax_agreement, argmax_matches, js_divergence
from .labels import FONT, TITLE_PX, plotly_texts, title_band
from .matrix import AttentionView


def compare_views(a: AttentionView, b: AttentionView) -> dict:
    """Per-row Jensen-Shannon divergence and argmax agreement of two same-shape views:
    ``agreed`` rows of ``rows`` share their most-attended column, a share of
    ``agreement``."""
    if a.z.shape != b.z.shape:
        raise ValueError("the two matrices must share source and target")
    return {
        "js": js_divergence(a.z, b.z),
        "agreement": argmax_agreement(a.z, b.z),
        "agreed": int(argmax_matches(a.z, b.z).sum()),
        "rows": int(a.z.shape[0]),
    }


def difference_figure(a: AttentionView, b: AttentionView, name_a: str, name_b: str) -> go.Figure:
    diff = a.z - b.z
    fig = go.Figure(
        go.Heatmap(
            z=diff,
            x=plotly_texts(_distinct(a.cols)),
            y=plotly_texts(_distinct(a.rows)),
            zmin=-1,
            zmax=1,
            colorscale="RdBu",
            reversescale=True,
            colorbar={"title": {"text": "Δα"}, "thickness": 10},
            hovertemplate="%{y} ← %{x}: %{z:+.3f}<extra></extra>",
        )
    )
    # the column labels, turned 60 degrees, take about 0.6 em a character times sin 60;
    # the title keeps its own band above them
    longest = max(map(len, a.cols), default=1)
    top = TITLE_PX + int(0.6 * FONT["size"] * longest * 0.87) + 16
    fig.update_layout(
        font=FONT,
        title=title_band(f"{name_a} − {name_b}"),
        width=140 + 34 * diff.shape[1],
        height=top + 40 + 30 * diff.shape[0],
        margin={"l": 100, "r": 10, "t": top, "b": 10},
        xaxis={"side": "top", "tickangle": -60},
        yaxis={"autorange": "reversed"},
    )
    return fig


def js_figure(rows: list[str], js: np.ndarray) -> go.Figure:
    title = "Jensen–Shannon divergence per target row"
    return bar_figure(rows, js, title, "JS (bits)", (0.0, 1.0), " bits")


def _distinct(labels: list[str]) -> list[str]:
    from .matrix import unique_labels

    return unique_labels(labels)
