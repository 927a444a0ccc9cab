"""Compare: models side by side on one input, and on one shared forced target."""

from __future__ import annotations

import streamlit as st

from models.trace import DecodeTrace
from viz.compare import compare_views, difference_figure, js_figure
from viz.grid import heatmap_grid
from viz.highlight import escape_markdown, highlight_html
from viz.links import link_cells
from viz.matrix import attention_view
from viz.probe import checks_line

from . import state
from .explorer import hand_link_checks, select_row
from .heatmap_component import clicked_row, svg_drawing, svg_heatmap

PER_ROW = 2  # models side by side


def _pick(component: str, row_key: str) -> None:
    row = clicked_row(component)
    if row is not None:
        st.session_state[row_key] = row


def side_by_side(
    traces: dict[str, DecodeTrace], level: str, key: str, linked: bool, links: str = ""
) -> None:
    """Each model's output and clickable heatmap in a column, with the selected target
    word's source words shaded below.  ``linked``: the traces share one target, and a
    click on a row of any heatmap selects that target word in all of them.  ``links``:
    hand links of a forced reference, outlined and counted in each model's heatmap."""
    # two models a row: four in a row leave each heatmap too little width to read
    names = list(traces)
    columns = [c for k in range(0, len(names), PER_ROW) for c in st.columns(PER_ROW)]
    for column, (name, trace) in zip(columns, traces.items()):
        with column:
            st.markdown(f"**{escape_markdown(name)}**")
            st.text(trace.best.text or "(empty)")
            if not trace.has_attention:
                st.info("No attention (fixed context vector).")
                continue
            view = attention_view(trace, 0, level)
            chart = key if linked else f"{key}:{name}"  # linked: one selected row for all
            identity = (trace.source.text, trace.best.text, level)
            row = select_row(chart, view, identity)
            component = f"{key}:{name}:svg"
            checks = hand_link_checks(trace, links)
            marks = link_cells(view, {(c.target, c.source) for c in checks})
            svg_heatmap(
                svg_drawing(heatmap_grid(view, marks=marks)),
                row,
                component,
                lambda c=component, r=f"{chart}:row": _pick(c, r),
                label=f"Attention heatmap of {name}, "
                + ("the shared target" if linked else "its own translation"),
            )
            label = f"{view.rows[row]} attends to:"
            st.markdown(highlight_html(view.cols, view.z[row], label), unsafe_allow_html=True)
            if checks:
                st.caption(escape_markdown(checks_line(checks)))


def compare(traces: dict[str, DecodeTrace], choice: state.Choice, text: str, reference: str):
    st.markdown("#### Each model's own translation")
    side_by_side(traces, choice.level, "cmp:free", linked=False)
    options = (["the reference"] if reference else []) + [f"{n}'s output" for n in traces]
    st.markdown("#### Attention on the shared target")
    pick = st.radio("Shared forced target", options, key="cmp:target", horizontal=True)
    own = None if pick == "the reference" else traces[pick[: -len("'s output")]]
    target = reference if own is None else own.best.text
    if not target:
        st.warning("The chosen target is empty.")
        return
    # a model's output is forced as the pieces it wrote, on the models that share them
    pieces = None if own is None else state.own_pieces(own)
    forced: dict[str, DecodeTrace] = {}
    for name in traces:
        same = pieces is not None and state.same_pieces(name, own.model)
        trace, error = state.translate(
            name, text, choice.settings, force=pieces if same else target
        )
        if error:
            st.error(f"{name}: {error}")
            return
        forced[name] = trace
    if pick == "the reference":  # what the explorer says of it, said here too
        notes = dict.fromkeys(n for name in traces for n in state.reference_notes(name, target))
        for note in notes:
            st.info(f"The reference was {note}.")
    st.caption("Click a row of one heatmap: that target word is selected in all of them.")
    links = state.example_links(choice.pair, text, target) if pick == "the reference" else ""
    side_by_side(forced, choice.level, "cmp:forced", linked=True, links=links)
    attentive = [n for n, t in forced.items() if t.has_attention]
    if len(attentive) < 2:
        st.info("Pick two models with attention to see their difference.")
        return
    a_col, b_col = st.columns(2)
    a = a_col.selectbox("Model A", attentive, index=0, key="cmp:a")
    b = b_col.selectbox("Model B", attentive, index=1, key="cmp:b")
    if a == b:
        st.info("Pick two different models.")
        return
    va, vb = attention_view(forced[a], 0, choice.level), attention_view(forced[b], 0, choice.level)
    stats = compare_views(va, vb)
    st.metric(
        "Argmax agreement (rows whose top source unit is the same)",
        f"{stats['agreed']} of {stats['rows']} ({stats['agreement']:.1%})",
    )
    st.plotly_chart(
        difference_figure(va, vb, a, b),
        key="cmp:diff",
        config={"displayModeBar": False},
        width="content",
    )
    st.plotly_chart(js_figure(va.rows, stats["js"]), key="cmp:js", config={"displayModeBar": False})
