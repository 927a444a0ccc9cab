"""What-if: take another candidate at step t, or force an edited output."""

from __future__ import annotations

import streamlit as st

from models.text import clean_text
from models.trace import DecodeTrace
from viz.highlight import escape_markdown
from viz.pieces import PIECE_LEGEND, piece_label

from . import state
from .explorer import explorer

FORCE = "whatif:force"  # the target to force
FORCE_FOR = "whatif:force:for"  # the (model, sentence, reference) it was started for
PICKS = "whatif:picks"  # the candidate picked at each step, for one model and sentence


def whatif(trace: DecodeTrace, name: str, text: str, choice: state.Choice, reference: str):
    h = trace.best
    st.markdown("#### Take another piece at step t")
    last = len(h.pieces)
    st.caption(
        f"The model writes pieces, one a step ({last} steps here, `</s>` included): "
        "a word may take several."
    )
    t = st.number_input("Step t", 1, last, key="whatif:t", value=1)
    cands = h.candidates[t - 1]
    # a candidate picked at a step is still picked on coming back to it (the radio of a
    # step not shown loses its state), while the model and the sentence stay
    picks = st.session_state.get(PICKS)
    if picks is None or picks["for"] != (name, text):
        picks = st.session_state[PICKS] = {"for": (name, text)}
    key = f"whatif:cand:{t}"
    if key not in st.session_state and picks.get(t, 0) < len(cands):
        st.session_state[key] = picks.get(t, 0)
    pick = st.radio(
        "Candidate at this step",
        range(len(cands)),
        horizontal=True,
        key=key,
        on_change=lambda: picks.update({t: st.session_state[key]}),
        format_func=lambda i: escape_markdown(f"{piece_label(cands[i][0])} ({cands[i][1]:.3f})"),
        help=PIECE_LEGEND,
    )
    pick_id = h.candidate_ids[t - 1][pick]
    if pick_id == state.translator(name).cfg.eos_id:
        st.info("The end token would stop the translation here.")
    else:
        prefix = (*h.ids[: t - 1], pick_id)
        alt, error = state.translate(name, text, choice.settings, prefix=prefix)
        if error:
            st.error(error)
        else:
            st.caption(
                f"Re-decoded from the prefix: log p = {alt.best.score:.3f} "
                f"(the model's own output: {h.score:.3f})"
            )
            explorer(alt, choice.level, key="whatif:prefix")
    st.markdown("#### Force an output")
    # the box starts from the reference or the output, and again for a new sentence,
    # model or reference (an edit is kept while they stay)
    start = (name, text, reference)
    if st.session_state.get(FORCE_FOR) != start:
        st.session_state[FORCE_FOR] = start
        st.session_state[FORCE] = reference or h.text
    target = st.text_input("Target to force (edit the output, or paste the reference)", key=FORCE)
    target, cut = state.clip_text(target)
    if cut:
        st.info(f"The target was cut to {state.MAX_CHARS:,} characters.")
    if target.strip():
        forced, error = state.translate(name, text, choice.settings, force=target)
        if error:
            st.error(error)
            return
        st.caption(
            f"log p of this target: {forced.best.score:.3f} (the model's own output: {h.score:.3f})"
        )
        if unknown := state.unknown_target_note(name, target):
            st.warning(escape_markdown(unknown))
        explorer(
            forced,
            choice.level,
            key="whatif:forced",
            heading=forced_heading(target, reference, h.text),
        )


def forced_heading(target: str, reference: str, output: str) -> str:
    """What the forced target is: the reference, the model's own output, or an edit."""
    target = clean_text(target)  # compared as the model reads them
    if clean_text(reference) and target == clean_text(reference):
        return "The reference, forced"
    if target == clean_text(output):
        return "The model's own output, forced"
    return "Your target, forced"
