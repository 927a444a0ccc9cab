"""The gold-alignment view's figure: the heatmap with the gold links drawn on it."""

from __future__ import annotations

import plotly.graph_objects as go

from .heatmap import heatmap_figure
from .matrix import AttentionView

GOLD = "#e67e22"


def gold_cells(view: AttentionView, gold: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """(row, column) of the view's cell for each gold (target word, source word) link
    the view shows, sorted."""
    row_of = {w: i for i, w in enumerate(view.row_words) if w >= 0}
    col_of = {w: j for j, w in enumerate(view.col_words) if w >= 0}
    return sorted((row_of[t], col_of[s]) for t, s in gold if t in row_of and s in col_of)


def gold_figure(view: AttentionView, gold: set[tuple[int, int]]) -> go.Figure:
    """The word-level heatmap with an open orange square on every gold link."""
    fig = heatmap_figure(view)
    cells = gold_cells(view, gold)
    if cells:
        fig.add_trace(
            go.Scatter(
                x=[c for _, c in cells],
                y=[r for r, _ in cells],
                mode="markers",
                name="gold",
                showlegend=False,
                marker={"symbol": "square-open", "size": 26, "color": GOLD, "line": {"width": 3}},
                hoverinfo="skip",
            )
        )
    return fig
