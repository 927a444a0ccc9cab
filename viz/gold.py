"""The gold-alignment view's figure: the heatmap with the gold links drawn on it."""

from __future__ import annotations

import plotly.graph_objects as go

from .heatmap import heatmap_figure
from .links import LINK_COLOUR, link_cells
from .matrix import AttentionView

# (trace name, square size, line width): a sure link's square is bold, a possible one's
# thin and smaller, so the two kinds read apart in one colour.
MARKS = (("gold", 26, 3), ("possible", 18, 1.5))


def gold_figure(
    view: AttentionView,
    gold: set[tuple[int, int]] | frozenset[tuple[int, int]],
    possible: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset(),
) -> go.Figure:
    """The word-level heatmap with an open orange square on every gold (sure) link and
    a thinner, smaller one on every link that is only possible."""
    fig = heatmap_figure(view)
    for (name, size, width), links in zip(MARKS, (set(gold), set(possible) - set(gold))):
        cells = link_cells(view, links)
        if not cells:
            continue
        fig.add_trace(
            go.Scatter(
                x=[c for _, c in cells],
                y=[r for r, _ in cells],
                mode="markers",
                name=name,
                showlegend=False,
                marker={
                    "symbol": "square-open",
                    "size": size,
                    "color": LINK_COLOUR,
                    "line": {"width": width},
                },
                hoverinfo="skip",
            )
        )
    return fig
