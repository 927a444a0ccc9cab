"""Explorer: click a target word (pill or heatmap cell) to see its source words, or a
source word to see which target words used it."""

from __future__ import annotations

import streamlit as st

from models.text import plural
from models.trace import DecodeTrace
from viz.diagnostics import end_token_note
from viz.grid import heatmap_grid
from viz.highlight import alpha_bars_html, escape_markdown, highlight_html
from viz.links import link_cells
from viz.matrix import AttentionView, attention_view, carry_row, clip_label, unique_labels
from viz.probe import LinkCheck, check_links, checks_count, checks_html

from . import state
from .heatmap_component import clicked_row, svg_drawing, svg_heatmap
from .sidebar import write_row

NO_ATTENTION = (
    "This model has no attention: one fixed context vector carries the whole source, "
    "so there are no alignment weights to show. Its translation and its step-through are "
    "still here."
)
WIDE_COLUMNS = 8  # more source units: the heatmap gets the full width, the rest goes below


def cut_note(pieces: int) -> str:
    """What an output that never wrote ``</s>`` is."""
    return (
        f"Cut: decoding stopped at the length limit ({pieces} pieces) before the model "
        "wrote </s>. Raise *Max output pieces* in the sidebar to see the rest."
    )


def matrix_identity(trace: DecodeTrace, level: str) -> tuple:
    """What a heatmap's selected row belongs to: a new one resets the row."""
    return (trace.model, trace.source.text, tuple(trace.best.ids), level)


def select_row(key: str, view: AttentionView, identity: tuple) -> int:
    """The selected target row of one chart, reset when the matrix changes: to 0, or to
    the row a shared URL asked for (``{key}:row:url``, used once).  ``identity`` ends
    with the level: when only that changes, the same word stays selected."""
    n_rows = len(view.rows)
    shown = st.session_state.get(f"{key}:shown")
    if shown != identity:
        asked = st.session_state.pop(f"{key}:row:url", 0)
        start = min(asked, n_rows - 1)
        if asked > start:
            st.caption(
                f"The link asks for target row {asked}; this translation has "
                f"{plural(n_rows, 'row')} (0 to {n_rows - 1}): the last is selected."
            )
        if shown is not None and shown[:-1] == identity[:-1]:  # words <-> pieces
            before = st.session_state.get(f"{key}:row_words") or []
            start = carry_row(before, st.session_state.get(f"{key}:row", 0), view.row_words)
        st.session_state[f"{key}:shown"] = identity
        st.session_state[f"{key}:row_words"] = list(view.row_words)
        st.session_state[f"{key}:row"] = start
        st.session_state[f"{key}:pill"] = start
    return min(st.session_state.get(f"{key}:row", 0), n_rows - 1)


def _choose(key: str, row: int | None) -> None:
    """A click on the heatmap picked ``row``; the pills follow.  None keeps the last choice."""
    if row is not None:
        st.session_state[f"{key}:row"] = row
        st.session_state[f"{key}:pill"] = row


def _on_svg(key: str) -> None:
    _choose(key, clicked_row(f"{key}:svg"))


def _on_pill(key: str) -> None:
    """A pill picked a row.  Pressing the selected pill again unselects it (single
    selection allows none) while its word is still the one shown: it is selected again."""
    pill = st.session_state.get(f"{key}:pill")
    if pill is None:
        st.session_state[f"{key}:pill"] = st.session_state.get(f"{key}:row", 0)
    else:
        st.session_state[f"{key}:row"] = pill


def _drawing(view: AttentionView, key: str, identity: tuple, title: str, marks: tuple = ()):
    """The heatmap does not depend on the selected row (the browser marks the clicked
    cell), so it is built once per matrix and kept: a click sends the same drawing and
    the browser does not redraw it."""
    cached = st.session_state.get(f"{key}:figure")
    if cached is None or cached[0] != (identity, title, marks):
        cached = ((identity, title, marks), svg_drawing(heatmap_grid(view, title, marks)))
        st.session_state[f"{key}:figure"] = cached
    return cached[1]


def clickable_heatmap(
    view: AttentionView, key: str, identity: tuple, title: str = "", marks: tuple = ()
) -> int:
    """Pills of target units + the heatmap, synced; returns the selected row.

    The heatmap is inline SVG, ready as soon as the page is, its cells painted as one
    image in a large matrix (``viz.grid.SVG_CELLS``); ``marks``: (row, column) cells
    outlined (hand links)."""
    row = select_row(key, view, identity)
    if st.session_state.get(f"{key}:pill") is None:  # dropped while another tab was open
        st.session_state[f"{key}:pill"] = row
    shown = unique_labels([clip_label(r) for r in view.rows])  # pills need distinct labels
    labels = [escape_markdown(r) for r in shown]
    st.pills(
        "Target word",
        options=list(range(len(view.rows))),
        format_func=lambda r: labels[r],
        key=f"{key}:pill",
        on_change=_on_pill,
        args=(key,),
    )
    drawing = _drawing(view, key, identity, title, marks)
    svg_heatmap(drawing, row, f"{key}:svg", lambda: _on_svg(key))
    return row


@st.fragment
def explorer(
    trace: DecodeTrace,
    level: str,
    key: str = "explore",
    links: str = "",
    about: str = "",
    heading: str | None = None,
) -> None:
    """A fragment: a click on the heatmap or a pill reruns this view only, not the page.

    ``links``: hand links of the sentence (a probe's, ``viz.probe``), checked and
    outlined when the trace is their reference forced; ``about`` says what they mark.
    ``heading``: what the output is (by default the translation, or the reference forced)."""
    hyp = trace.best
    if heading is None:
        heading = "The reference, forced" if trace.mode == "forced" else "Translation"
    st.markdown(f"**{escape_markdown(heading)}**")
    st.text(hyp.text or "(empty)")
    if not hyp.finished:
        st.caption(cut_note(len(hyp.ids)))
    if not trace.has_attention:
        st.info(NO_ATTENTION)
        return
    view = attention_view(trace, 0, level)
    identity = matrix_identity(trace, level)
    wide = len(view.cols) > WIDE_COLUMNS  # beside the heatmap, cells would be too narrow
    left, right = (st.container(), st.container()) if wide else st.columns([3, 2])
    checks = hand_link_checks(trace, links)
    marks = tuple(link_cells(view, {(c.target, c.source) for c in checks}))
    with left:
        row = clickable_heatmap(view, key, identity, marks=marks)
    if f"{key}:row" == state.EXPLORER_ROW:
        write_row(row)
    with right:
        weights = view.z[row]
        st.markdown(
            highlight_html(view.cols, weights, f"{view.rows[row]} attends to:"),
            unsafe_allow_html=True,
        )
        title = f"\u03b1 for '{view.rows[row]}'"
        st.markdown(alpha_bars_html(view.cols, weights, title), unsafe_allow_html=True)
        if note := end_token_note(view.cols, weights):
            st.caption(escape_markdown(note))
        reverse_view(view, f"{key}:rev")
    if checks:
        links_panel(checks, about)
    elif links and trace.mode != "forced":
        st.caption(
            "This example has hand-marked links (the words that change places): choose "
            "*the reference, forced* above the tabs to check them on this model."
        )


def hand_link_checks(trace: DecodeTrace, links: str) -> list[LinkCheck]:
    """The hand links checked on a forced reference; none for a model's own output
    (the links were marked on the reference's words) or links that do not fit."""
    if not links or trace.mode != "forced":
        return []
    try:
        return check_links(trace, links)
    except ValueError:
        return []


def links_panel(checks: list[LinkCheck], about: str) -> None:
    """The probe on this sentence, link by link (the same rule ``training.probe``
    counts with), below the heatmap whose outlined cells are these links."""
    st.markdown(f"**{checks_count(checks)}**")
    if about:
        st.caption(escape_markdown(about))
    st.markdown(checks_html(checks), unsafe_allow_html=True)
    st.caption(
        "Outlined in orange on the heatmap. A link is found when its target word's row "
        "peaks on its source word (punctuation and </s> left out); "
        "`python -m training.probe` counts every such sentence of the pair."
    )


def reverse_view(view: AttentionView, key: str) -> None:
    """Pick a source unit; the target units are shaded by how much they attended to it."""
    labels = [escape_markdown(c) for c in unique_labels([clip_label(c) for c in view.cols])]
    col = st.pills(
        "Source word: which target words used it?",
        list(range(len(view.cols))),
        format_func=lambda c: labels[c],
        key=key,
    )
    if col is None:
        return
    html = highlight_html(view.rows, view.z[:, col], f"{view.cols[col]} was used by:", "target")
    st.markdown(html, unsafe_allow_html=True)
