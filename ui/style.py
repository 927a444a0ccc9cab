"""The page's own style sheet (``page.css``), added once per run."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

CSS = Path(__file__).resolve().parent / "page.css"


@functools.cache
def _css() -> str:
    return CSS.read_text(encoding="utf-8")


def page_style() -> None:
    """A style element only: it takes no room on the page."""
    st.html(f"<style>{_css()}</style>")
