"""The explorer's clickable heatmap: inline SVG drawn by ``heatmap.js`` from
``viz.grid.heatmap_grid`` data.  A click on a cell or a target word, or an arrow key,
sends the row back as a trigger value, numbered (``svg_heatmap``); the page then reruns
the explorer fragment."""

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


def _picked(key: str) -> dict:
    """What a click or key press sent: ``{"row": int, "seq": int}`` (empty without one)."""
    result = st.session_state.get(key)
    sent = result.get("row") if result is not None else None
    return sent if isinstance(sent, dict) else {}


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def clicked_row(key: str) -> int | None:
    """The row a click or key press sent, read in the component's callback (None
    without one)."""
    return _whole(_picked(key).get("row"))


def _seq_key(key: str) -> str:
    return f"{key}:seq"


def svg_heatmap(
    drawing: dict, selected: int, key: str, on_row: Callable[[], None], label: str = ""
) -> None:
    """Mount the heatmap of ``svg_drawing`` with ``selected`` marked, as wide as its
    column (the browser sizes the cells to it).  ``label``: its accessible name, where
    several on a page would share the default one.

    Every pick carries a number; the number of the last one taken goes back with
    ``selected``, so the browser can tell a reply drawn before its latest pick (quick
    key presses overtake the runs) and keep the newer row it shows."""

    def on_pick() -> None:
        seq = _whole(_picked(key).get("seq"))
        if seq is not None:
            st.session_state[_seq_key(key)] = seq
        on_row()

    data = {
        **drawing,
        "selected": selected,
        "seq": st.session_state.get(_seq_key(key), 0),
        "label": label,
    }
    _component()(key=key, data=data, on_row_change=on_pick, width="stretch")
