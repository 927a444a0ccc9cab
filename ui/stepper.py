"""Step through decoding: at step t the partial output, alpha_t over the source, the
top-k candidates, and the heatmap filled up to t (pieces: one row per decoder step)."""

from __future__ import annotations

import math

import streamlit as st

from models.trace import DecodeTrace
from viz.grid import heatmap_grid
from viz.highlight import escape_markdown, highlight_html
from viz.matrix import attention_view
from viz.pieces import PIECE_LEGEND, describe_piece
from viz.steps import candidates_table, partial_output, view_at_step

from .heatmap_component import clicked_row, svg_drawing, svg_heatmap

PLAY_SECONDS = 0.8


def _move(key: str, delta: int, last: int) -> None:
    st.session_state[key] = min(max(st.session_state.get(key, 1) + delta, 1), last)


def stepper(trace: DecodeTrace, key: str = "step") -> None:
    h = trace.best
    last = len(h.pieces)
    t_key, play_key = f"{key}:t", f"{key}:playing"
    identity = (trace.model, trace.source.text, tuple(h.ids))
    if st.session_state.get(f"{key}:shown") != identity:
        st.session_state.update({f"{key}:shown": identity, t_key: 1, play_key: False})
    st.session_state[t_key] = min(st.session_state.get(t_key, 1), last)
    playing = st.session_state.get(play_key, False)

    @st.fragment(run_every=PLAY_SECONDS if playing else None)
    def body() -> None:
        if st.session_state.get(play_key):
            if st.session_state[t_key] >= last:
                st.session_state[play_key] = False
            else:
                st.session_state[t_key] += 1
        buttons = st.container(horizontal=True)  # each button as wide as its label
        buttons.button("◀ Previous", key=f"{key}:prev", on_click=_move, args=(t_key, -1, last))
        buttons.button("Next ▶", key=f"{key}:next", on_click=_move, args=(t_key, 1, last))
        label = "⏸ Pause" if st.session_state.get(play_key) else "⏵ Play"
        if buttons.button(label, key=f"{key}:play"):
            st.session_state[play_key] = not st.session_state.get(play_key, False)
            if st.session_state[play_key] and st.session_state[t_key] >= last:
                st.session_state[t_key] = 1
            st.rerun()
        t = st.slider("Step", 1, max(last, 2), key=t_key, disabled=last < 2)
        show_step(trace, min(t, last) - 1, key)

    body()


def _to_row(key: str) -> None:
    row = clicked_row(f"{key}:svg")
    if row is not None:
        st.session_state[f"{key}:t"] = row + 1


def show_step(trace: DecodeTrace, t: int, key: str = "step") -> None:
    """Step t (0-based): the piece emitted at t and what led to it."""
    h = trace.best
    st.markdown(f"**Output after step {t + 1} of {len(h.pieces)}**")
    st.text(partial_output(trace, t + 1) or "(nothing yet)")
    p = math.exp(h.token_logprobs[t]) if t < len(h.token_logprobs) else float("nan")
    verb = "Forced (the reference's piece)" if trace.mode == "forced" else "Emitted"
    st.caption(
        escape_markdown(f"{verb} at this step: {describe_piece(h.pieces[t])}, p = {p:.3f}"),
        help=PIECE_LEGEND,
    )
    left, right = st.columns(2)
    with left:
        st.markdown("**Top candidates for this step**")
        st.dataframe(
            candidates_table(trace, t),
            hide_index=True,
            width="stretch",
            column_config={"probability": st.column_config.NumberColumn(format="%.4f")},
        )
    st.caption(escape_markdown(PIECE_LEGEND))
    if not trace.has_attention:
        st.info("No attention: every step reads the same fixed context vector.")
        return
    view = attention_view(trace, 0, "pieces")
    with right:
        st.markdown(
            highlight_html(view.cols, view.z[t], f"\u03b1 at step {t + 1}:"), unsafe_allow_html=True
        )
    view = view_at_step(view, t)
    n_src, n_tgt = len(view.cols), len(view.rows)
    st.caption(
        f"Scores computed so far: T_x \u00d7 t = {n_src} \u00d7 {t + 1} = {n_src * (t + 1)} "
        f"of T_x \u00d7 T_y = {n_src} \u00d7 {n_tgt} = {n_src * n_tgt} (one per source "
        "piece at every step)."
    )
    # a click on a row goes to that step
    svg_heatmap(svg_drawing(heatmap_grid(view)), t, f"{key}:svg", lambda: _to_row(key))
