"""Compare: models side by side on one input, and on one shared forced target."""

from __future__ import annotations

import streamlit as st

from models.trace import DecodeTrace
from viz.compare import compare_views, difference_figure, js_figure
from viz.heatmap import heatmap_figure
from viz.matrix import attention_view

from . import state


def side_by_side(traces: dict[str, DecodeTrace], level: str, key: str) -> None:
    columns = st.columns(len(traces))
    for column, (name, trace) in zip(columns, traces.items()):
        with column:
            st.markdown(f"**{name}**")
            st.text(trace.best.text or "(empty)")
            if trace.has_attention:
                fig = heatmap_figure(attention_view(trace, 0, level))
                st.plotly_chart(
                    fig,
                    key=f"{key}:{name}",
                    config={"displayModeBar": False},
                    width="content",
                )
            else:
                st.info("No attention (fixed context vector).")


def compare(traces: dict[str, DecodeTrace], choice: state.Choice, text: str, reference: str):
    st.markdown("#### Each model's own translation")
    side_by_side(traces, choice.level, "cmp:free")
    options = (["the reference"] if reference else []) + [f"{n}'s output" for n in traces]
    pick = st.radio("Shared forced target", options, key="cmp:target", horizontal=True)
    target = reference if pick == "the reference" else traces[pick[: -len("'s output")]].best.text
    if not target:
        st.warning("The chosen target is empty.")
        return
    forced: dict[str, DecodeTrace] = {}
    for name in traces:
        trace, error = state.translate(name, text, choice.settings, force=target)
        if error:
            st.error(f"{name}: {error}")
            return
        forced[name] = trace
    st.markdown("#### Attention on the shared target")
    side_by_side(forced, choice.level, "cmp:forced")
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
        "Argmax agreement (rows whose top source unit is the same)", f"{stats['agreement']:.0%}"
    )
    st.plotly_chart(
        difference_figure(va, vb, a, b),
        key="cmp:diff",
        config={"displayModeBar": False},
        width="content",
    )
    st.plotly_chart(js_figure(va.rows, stats["js"]), key="cmp:js", config={"displayModeBar": False})
