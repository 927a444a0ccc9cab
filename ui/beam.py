"""Beam: the n-best list, the beam tree, and a heatmap per hypothesis."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from models.trace import DecodeTrace
from viz.beamtree import beam_tree_figure
from viz.heatmap import heatmap_figure
from viz.matrix import attention_view

from .sidebar import BEAM_HYP, URL_HYP

if TYPE_CHECKING:
    import pandas as pd


def nbest_table(trace: DecodeTrace) -> pd.DataFrame:
    import pandas as pd  # here, not at the top: the first view needs no pandas

    return pd.DataFrame(
        [
            {
                "rank": i + 1,
                "translation": h.text,
                "log p": round(h.score, 3),
                "score / length penalty": round(h.norm_score, 3),
                "ended": "</s>" if h.finished else "length limit",
            }
            for i, h in enumerate(trace.hypotheses)
        ]
    )


def beam_view(trace: DecodeTrace, level: str) -> None:
    if trace.mode != "beam":
        st.session_state.pop(URL_HYP, None)  # a link's hypothesis of no beam: let go
        st.info("Set a beam size above 1 in the sidebar to see the beam.")
        return
    st.markdown(
        f"**{len(trace.hypotheses)}-best list** (beam {trace.settings['beam']}, "
        f"length penalty lp = {trace.settings['length_penalty']})"
    )
    three = st.column_config.NumberColumn(format="%.3f")  # -1.400, not -1.4
    st.dataframe(
        nbest_table(trace),
        hide_index=True,
        width="stretch",
        column_config={"log p": three, "score / length penalty": three},
    )
    n = len(trace.hypotheses)
    asked = st.session_state.pop(URL_HYP, None)  # a shared link's choice, 1-based
    if asked is not None:
        st.session_state[BEAM_HYP] = min(asked, n) - 1
        if asked > n:
            st.caption(
                f"The link asks for hypothesis {asked}; this {n}-best list has {n}: the "
                "last is chosen."
            )
    choice = st.selectbox(
        "Hypothesis",
        range(n),
        key=BEAM_HYP,
        format_func=lambda i: f"{i + 1}: {trace.hypotheses[i].text}",
    )
    st.markdown(
        "**Beam tree** (red: the chosen hypothesis; squares: ended with `</s>`; diamonds: "
        "stopped by the length limit)"
    )
    st.caption(
        "Each step ranks its live hypotheses (at most the beam size) and those that ended "
        "there together, by log p, so a step can hold more nodes than the beam size. "
        "Hover over a node for its whole piece and log p."
    )
    st.plotly_chart(
        beam_tree_figure(trace, choice),
        key="beam:tree",
        config={"displayModeBar": False},
        width="content",
    )
    if trace.has_attention:
        view = attention_view(trace, choice, level)
        st.plotly_chart(
            heatmap_figure(view, title=trace.hypotheses[choice].text),
            key="beam:heatmap",
            config={"displayModeBar": False},
            width="content",
        )
