"""Attention heatmaps (Plotly), as pure functions of an ``AttentionView``: the views
that are read, not clicked (beam, diagnostics, export, Inside \u03b1's bottleneck).  The
clickable ones are drawn by the page's own component from ``viz.grid``.  The target
words are the y axis' tick labels, whose margin grows to fit them.
"""

from __future__ import annotations

import plotly.graph_objects as go

from .labels import (
    FONT,
    MIN_FONT_PX,
    PLOT_BACKGROUND,
    TITLE_PX,
    fit_title,
    plotly_text,
    title_band,
)
from .matrix import AttentionView

CELL_PX = 40  # the largest cell
MIN_CELL_PX = 16  # below this the figure grows wider than max_width instead
MIN_PLOT_PX = 90  # a matrix of one or two rows is drawn this tall: room for its colour bar
MAX_LABEL_PX = 200  # the left margin for the target words, at most (it grows if need be)
RED = "#c0392b"  # the selected row
COLORBAR_PX = 90
MAX_WIDTH = 1000


def layout_sizes(n_rows: int, n_cols: int, longest: int, max_width: int = MAX_WIDTH) -> dict:
    """Cell sizes, fonts and margins so that labels never overlap: long sentences get
    narrower cells, smaller fonts and vertical column labels."""
    room = max_width - 110 - COLORBAR_PX  # about 110 px for the target words
    cell_w = max(MIN_CELL_PX, min(CELL_PX, room / max(n_cols, 1)))
    font = MIN_FONT_PX + 1 if cell_w >= 22 else MIN_FONT_PX
    cell_h = max(MIN_FONT_PX + 7, min(CELL_PX, cell_w))
    angle = -60 if cell_w >= 22 else -90
    top = int(min(200, max(60, 0.62 * font * min(longest, 24) + 20)))
    return {"cell_w": cell_w, "cell_h": cell_h, "font": font, "angle": angle, "top": top}


def heatmap_figure(
    view: AttentionView, selected: int | None = None, title: str = "", max_width: int = MAX_WIDTH
) -> go.Figure:
    n_rows, n_cols = view.z.shape
    size = layout_sizes(n_rows, n_cols, max((len(c) for c in view.cols), default=1), max_width)
    hover = [
        [
            f"{plotly_text(view.rows[r])} \u2190 {plotly_text(view.cols[c])}: {view.z[r, c]:.3f}"
            for c in range(n_cols)
        ]
        for r in range(n_rows)
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            z=view.z,
            x=list(range(n_cols)),
            y=list(range(n_rows)),
            zmin=0.0,
            zmax=1.0,
            colorscale="Blues",
            showscale=True,
            text=hover,
            hoverinfo="text",
            colorbar={"thickness": 10, "len": 0.6, "title": {"text": "\u03b1"}},
        )
    )
    if selected is not None and 0 <= selected < n_rows:
        fig.add_shape(
            type="rect",
            x0=-0.5,
            x1=n_cols - 0.5,
            y0=selected - 0.5,
            y1=selected + 0.5,
            line={"color": "#c0392b", "width": 2},
        )
    label_px = min(MAX_LABEL_PX, int(0.6 * size["font"] * max(map(len, view.rows), default=1)) + 16)
    row_ticks = [plotly_text(r) for r in view.rows]
    if selected is not None and 0 <= selected < n_rows:  # our own markup around the escaped word
        row_ticks[selected] = f'<span style="color:{RED}"><b>{row_ticks[selected]}</b></span>'

    width = int(label_px + size["cell_w"] * n_cols + COLORBAR_PX)
    band = TITLE_PX if title else 0
    fig.update_layout(
        font=FONT,
        title=title_band(fit_title(title, width)) if title else None,
        width=width,
        height=int(size["top"] + band + max(size["cell_h"] * n_rows, MIN_PLOT_PX) + 10),
        margin={"l": label_px, "r": 10, "t": size["top"] + band, "b": 10},
        dragmode=False,
        plot_bgcolor=PLOT_BACKGROUND,
        xaxis={
            "tickmode": "array",
            "tickvals": list(range(n_cols)),
            "ticktext": [plotly_text(c) for c in view.cols],
            "side": "top",
            "tickangle": size["angle"],
            "tickfont": {"size": size["font"]},
            "range": [-0.5, n_cols - 0.5],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
        yaxis={
            # target words as tick labels: the margin grows to fit them however narrow
            # the column squeezes the figure (text points inside the plot were cut off)
            "tickmode": "array",
            "tickvals": list(range(n_rows)),
            "ticktext": row_ticks,
            "tickfont": {"size": max(size["font"], MIN_FONT_PX)},
            "automargin": True,
            "range": [n_rows - 0.5, -0.5],
            "ticks": "",
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
    )
    return fig
