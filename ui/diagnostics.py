"""Diagnostics: per-row entropy, per-source coverage, attention mass on </s>."""

from __future__ import annotations

import streamlit as st

from models.trace import DecodeTrace
from viz.bars import bar_figure, entropy_figure
from viz.diagnostics import coverage, end_mass, max_entropy
from viz.heatmap import heatmap_figure
from viz.matrix import attention_view, piece_label


def input_labels(trace: DecodeTrace, level: str, rows: list[str]) -> list[str]:
    """Label row t by the decoder's input at step t (the previous output; <s> first)."""
    if level == "pieces":  # the pieces as every view shows them ("·J", not "▁J")
        return ["<s>", *(piece_label(p) for p in trace.best.pieces[:-1])][: len(rows)]
    return ["<s>", *rows[:-1]]


def diagnostics(trace: DecodeTrace, level: str) -> None:
    if not trace.has_attention:
        st.info("No attention, so no attention diagnostics.")
        return
    view = attention_view(trace, 0, level)
    by_input = st.toggle(
        "Label rows by the decoder's input word (instead of the predicted word)", key="diag:input"
    )
    if by_input:
        view.rows = input_labels(trace, level, view.rows)
    st.plotly_chart(
        heatmap_figure(view),
        key="diag:heatmap",
        config={"displayModeBar": False},
        width="content",
    )
    # one chart per line: side by side, a long sentence's word labels would be skipped
    st.plotly_chart(entropy_figure(view.rows, view.z), key="diag:entropy")
    n_cols = len(view.cols)
    st.caption(
        f"Entropy in bits: 0 when a row puts all its weight on one source unit, "
        f"{max_entropy(n_cols):.2f} (log2 {n_cols}) when it spreads it evenly over all "
        f"{n_cols}; a row near the dashed line attends to nothing in particular."
    )
    st.plotly_chart(
        bar_figure(view.cols, coverage(view.z), "Coverage per source unit (column sums)", "Σ α"),
        key="diag:coverage",
    )
    mass = end_mass(view.z, view.cols)
    if mass is not None:
        st.plotly_chart(
            bar_figure(view.rows, mass, "Attention mass on the source end token </s>", "α(</s>)"),
            key="diag:end",
        )
        st.caption(
            f"Mean mass on </s>: {mass.mean():.3f}. Models often park attention there "
            "when no source word is needed (punctuation, the end)."
        )
