"""The gold-alignment view's figure: the heatmap with the gold links drawn on it."""

from __future__ import annotations

import plotly.graph_objects as go

from .heatmap import heatmap_figure
from .links import LINK_COLOUR, link_cells
from .matrix import AttentionView


def gold_figure(view: AttentionView, gold: set[tuple[int, int]]) -> go.Figure:
    """The word-level heatmap with an open orange square on every gold link."""
    fig = heatmap_figure(view)
    cells = link_cells(view, gold)
    if cells:
        fig.add_trace(
            go.Scatter(
                x=[c for _, c in cells],
                y=[r for r, _ in cells],
                mode="markers",
                name="gold",
                showlegend=False,
                marker={
                    "symbol": "square-open",
                    "size": 26,
                    "color": LINK_COLOUR,
                    "line": {"width": 3},
                },
                hoverinfo="skip",
            )
        )
    return fig
