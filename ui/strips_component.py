"""Inside alpha's heat strips in the page: ``strips.js`` draws ``viz.inside.strips_data``
(one image per vector, its values shown under the mouse).  Unlike ``st.html`` nothing is
parsed and sanitised as markup, so a step of a 256-wide model draws at once."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
NAME = "inside_strips"


@functools.cache
def _component():
    """Registered once per process, on first use (the runtime exists by then)."""
    js = (HERE / "strips.js").read_text(encoding="utf-8")
    css = (HERE / "strips.css").read_text(encoding="utf-8")
    return st.components.v2.component(NAME, js=js, css=css)


def heat_strips(data: dict, key: str) -> None:
    """Mount the strips of ``viz.inside.strips_data``; the browser redraws them only
    when their signature changes."""
    _component()(key=key, data=data, width="stretch")
