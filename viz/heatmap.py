"""Clickable attention heatmaps (Plotly), as pure functions of an ``AttentionView``.

Plotly heatmaps emit no selection events in Streamlit, so a transparent scatter of
cell centres lies over the colours, and target words are drawn as text points at
x = -1 (tick labels cannot be clicked).  Both carry ``customdata = [row, col]``.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .labels import plotly_text
from .matrix import AttentionView

CELL_PX = 40  # the largest cell
MIN_CELL_PX = 16  # below this the figure grows wider than max_width instead
MIN_FONT_PX = 13  # no label is smaller
LABEL_PX = 110  # room for the clickable target words, inside the plot
COLORBAR_PX = 90
MAX_WIDTH = 1000


def layout_sizes(n_rows: int, n_cols: int, longest: int, max_width: int = MAX_WIDTH) -> dict:
    """Cell sizes, fonts and margins so that labels never overlap: long sentences get
    narrower cells, smaller fonts and vertical column labels."""
    cell_w = max(MIN_CELL_PX, min(CELL_PX, (max_width - LABEL_PX - COLORBAR_PX) / max(n_cols, 1)))
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
    xs, ys = np.meshgrid(np.arange(n_cols), np.arange(n_rows))
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
            hoverinfo="skip",
            colorbar={"thickness": 10, "len": 0.6, "title": {"text": "\u03b1"}},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=xs.ravel(),
            y=ys.ravel(),
            mode="markers",
            marker={
                "size": max(min(size["cell_w"], size["cell_h"]) - 2, 6),
                "color": "rgba(0,0,0,0)",
                "symbol": "square",
            },
            customdata=np.stack([ys.ravel(), xs.ravel()], axis=1).tolist(),
            text=[h for row in hover for h in row],
            hoverinfo="text",
            # the clicked cell is tinted by the browser itself: no redraw needed
            selected={"marker": {"opacity": 1, "color": "rgba(192,57,43,0.35)"}},
            unselected={"marker": {"opacity": 0}},
            name="cells",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[-0.6] * n_rows,
            y=list(range(n_rows)),
            mode="text",
            text=[plotly_text(r) for r in view.rows],
            textposition="middle left",
            customdata=[[r, -1] for r in range(n_rows)],
            hoverinfo="text",
            hovertext=[f"target: {plotly_text(r)}" for r in view.rows],
            textfont={
                "color": ["#c0392b" if r == selected else "#222" for r in range(n_rows)],
                "size": max(size["font"], MIN_FONT_PX),
            },
            # a click selects a point, and plotly then fades every unselected point of
            # every trace: the target words keep their own colours
            selected={"textfont": {"color": "#c0392b"}},
            unselected={"textfont": {"color": "#222"}},
            name="target words",
            showlegend=False,
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
    fig.update_layout(
        title={"text": plotly_text(title)} if title else None,
        width=int(LABEL_PX + size["cell_w"] * n_cols + COLORBAR_PX),
        height=int(size["top"] + (30 if title else 0) + size["cell_h"] * n_rows + 10),
        margin={"l": 10, "r": 10, "t": size["top"] + (30 if title else 0), "b": 10},
        hoverdistance=-1,
        dragmode=False,
        clickmode="event+select",
        plot_bgcolor="white",
        xaxis={
            "tickmode": "array",
            "tickvals": list(range(n_cols)),
            "ticktext": [plotly_text(c) for c in view.cols],
            "side": "top",
            "tickangle": size["angle"],
            "tickfont": {"size": size["font"]},
            "range": [-(LABEL_PX - 10) / size["cell_w"] - 0.5, n_cols - 0.5],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
        yaxis={
            "range": [n_rows - 0.5, -0.5],
            "showticklabels": False,
            "ticks": "",
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
    )
    return fig


def selection_to_row(selection) -> int | None:
    """The target row of a Streamlit Plotly selection event, or None.

    ``selection`` looks like ``{"selection": {"points": [{"customdata": [row, col], ...}]}}``
    (an attribute-style object in Streamlit).  Empty selections (a second click on the
    same point, a double click) give None: the caller keeps its last choice.
    """
    try:
        points = selection["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for point in points or []:
        row = _first(point.get("customdata") if hasattr(point, "get") else None)
        if row is not None:
            return row
    return None


def _first(data) -> int | None:
    """customdata arrives as a list, or as an index-keyed object ({"0": row, "1": col})."""
    if hasattr(data, "get"):
        data = [data.get(k) for k in sorted(data, key=lambda k: int(k) if str(k).isdigit() else 99)]
    if not isinstance(data, list | tuple) or not data:
        return None
    try:
        return int(data[0])
    except (TypeError, ValueError):
        return None
