"""Attention explorer: pick a model, type a sentence, click a target word.

Widgets and layout only: models come from ``models``, figures from ``viz``.
"""

from __future__ import annotations

from pathlib import Path

import pandas  # noqa: F401  (plotly checks sys.modules["pandas"]; import it before any rerun)
import streamlit as st

from models.device import describe, resolve_device
from models.engine import DecodeSettings, Translator
from models.registry import checkpoints_root, scan
from models.text import InputError
from viz.heatmap import heatmap_figure, selection_to_row
from viz.highlight import alpha_bars, escape_markdown, highlight_html
from viz.matrix import attention_view

MAX_CHARS = 5000
EXAMPLES = [
    "Turn off the lights.",
    "The children sat in front of the TV.",
    "I would like to book a table for two people.",
]


@st.cache_resource(show_spinner="Loading checkpoints ...")
def registry(root: str):
    device = resolve_device(None)
    return device, scan(Path(root), device)


@st.cache_data(max_entries=256, show_spinner=False)
def translate(root: str, name: str, text: str, beam: int):
    """Cached per (model, text, beam); returns the trace or an error message."""
    _, entries = registry(root)
    entry = next(e for e in entries if e.name == name)
    translator = Translator(entry.loaded.model, entry.loaded.tokenizer, name)
    try:
        return translator.translate(text, DecodeSettings(beam=beam)), None
    except InputError as exc:
        return None, str(exc)


def on_chart_select() -> None:
    row = selection_to_row(st.session_state.get("heatmap"))
    if row is not None:  # empty selections keep the last choice
        st.session_state["row"] = row
        st.session_state["pill"] = row


def on_pill() -> None:
    if st.session_state.get("pill") is not None:
        st.session_state["row"] = st.session_state["pill"]


def sidebar(root: str):
    device, entries = registry(root)
    st.sidebar.header("Model")
    available = [e.name for e in entries if e.available]
    for e in entries:
        if not e.available:
            st.sidebar.warning(f"**{e.name}** is unavailable: {e.error}")
    if not available:
        st.sidebar.error(f"No usable checkpoint in {root}.")
        return None, 1
    name = st.sidebar.selectbox("Checkpoint", available, key="model")
    beam = st.sidebar.slider("Beam size (1 = greedy)", 1, 16, 1, key="beam")
    st.sidebar.caption(f"Device: {describe(device)}")
    card = next(e for e in entries if e.name == name).loaded.card
    with st.sidebar.expander("Model card"):
        st.json(card, expanded=False)
    return name, beam


def source_input() -> str:
    example = st.selectbox("Example", ["(type your own)", *EXAMPLES], key="example")
    default = "" if example.startswith("(") else example
    text = st.text_area("Source sentence", value=default or EXAMPLES[0], key=f"src-{example}")
    if len(text) > MAX_CHARS:
        st.info(f"The text was cut to its first {MAX_CHARS:,} characters.")
        text = text[:MAX_CHARS]
    return text


def explorer(trace) -> None:
    hyp = trace.best
    st.subheader("Translation")
    st.text(hyp.text)  # st.text never interprets markup
    for note in trace.notes:
        st.info(f"Source {note}.")
    if not trace.has_attention:
        st.warning(
            "This model has no attention: one fixed context vector carries the whole "
            "source, so there are no alignment weights to show."
        )
        return
    view = attention_view(trace, 0, level="words")
    n_rows = len(view.rows)
    identity = (trace.model, trace.source.text, tuple(hyp.ids))
    if st.session_state.get("shown") != identity:  # a new translation: start at its first word
        st.session_state.update(shown=identity, row=0, pill=0)
    row = min(st.session_state.get("row", 0), n_rows - 1)
    st.pills(
        "Target word",
        options=list(range(n_rows)),
        format_func=lambda r: escape_markdown(view.rows[r]),
        key="pill",
        on_change=on_pill,
    )
    weights = view.z[row]
    # highlight_html escapes every word: user text is never markup.
    st.markdown(
        highlight_html(view.cols, weights, f"{view.rows[row]} attends to:"), unsafe_allow_html=True
    )
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(
            heatmap_figure(view, selected=row),
            key="heatmap",
            on_select=on_chart_select,
            selection_mode="points",
            config={"displayModeBar": False},
        )
    with right:
        st.plotly_chart(
            alpha_bars(view.cols, weights, f"\u03b1 for '{view.rows[row]}'"),
            config={"displayModeBar": False},
        )


def main() -> None:
    st.set_page_config(page_title="Attention explorer", layout="wide")
    st.title("Attention explorer")
    root = str(checkpoints_root())
    name, beam = sidebar(root)
    text = source_input()
    if name is None:
        return
    trace, error = translate(root, name, text, beam)
    if error:
        st.error(f"Cannot translate this text: {error}.")
        return
    explorer(trace)


main()
