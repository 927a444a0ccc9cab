"""The explorer's clickable heatmap: inline SVG drawn by ``heatmap.js`` from
``viz.grid.heatmap_grid`` data.  A click on a cell or a target word sends the row back
as a trigger value; the page then reruns the explorer fragment."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from viz.signature import signature

HERE = Path(__file__).resolve().parent
NAME = "attention_heatmap"


@functools.cache
def _component():
    """Registered once per process, on first use (the runtime exists by then)."""
    js = (HERE / "heatmap.js").read_text(encoding="utf-8")
    css = (HERE / "heatmap.css").read_text(encoding="utf-8")
    return st.components.v2.component(NAME, js=js, css=css)


def svg_drawing(grid: dict) -> dict:
    """The component's data for one matrix, with a short digest of it: the browser
    redraws only when the digest changes.  Built once per matrix (the explorer keeps it).

    The grid goes as JSON text: Streamlit looks at every dict or list handed to a
    component for a data frame, and that look imports pandas, which the first view
    does without (half a second of it on a 2-core machine)."""
    drawn = [grid["rows"], grid["cols"], grid["values"], grid["title"], grid.get("marks", [])]
    return {"grid": json.dumps(grid, ensure_ascii=False), "signature": signature(drawn)}


def clicked_row(key: str) -> int | None:
    """The row a click sent, read in the component's callback (None without a click)."""
    result = st.session_state.get(key)
    row = result.get("row") if result is not None else None
    return row if isinstance(row, int) and not isinstance(row, bool) else None


def svg_heatmap(drawing: dict, selected: int, key: str, on_row: Callable[[], None]) -> None:
    """Mount the heatmap of ``svg_drawing`` with ``selected`` marked, as wide as its
    column (the browser sizes the cells to it)."""
    _component()(
        key=key, data={**drawing, "selected": selected}, on_row_change=on_row, width="stretch"
    )
