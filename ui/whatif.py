"""What-if: take another candidate at step t, or force an edited output."""

from __future__ import annotations

import math

import streamlit as st

from models.text import clean_text
from models.trace import DecodeTrace
from viz.highlight import escape_markdown
from viz.inside import signed
from viz.pieces import PIECE_LEGEND, piece_label

from . import state
from .explorer import explorer

FORCE = "whatif:force"  # the target to force
FORCE_FOR = "whatif:force:for"  # the (model, sentence, reference) it was started for
PICKS = "whatif:picks"  # the candidate picked at each step, for one model and sentence


def step_candidates(h, t: int) -> tuple[list[tuple[str, float]], list[int], int]:
    """The pieces offered at step ``t`` (1-based) of hypothesis ``h``: its recorded top-k
    (piece, probability) and their ids, and the index of the piece ``h`` itself writes
    there, which the list starts on.  A forced target's piece may lie outside the
    model's top-k: it is added, with its own probability, so the list always holds the
    piece the page shows."""
    cands, ids = list(h.candidates[t - 1]), list(h.candidate_ids[t - 1])
    own = int(h.ids[t - 1])
    if own not in ids:
        cands.append((h.pieces[t - 1], math.exp(h.token_logprobs[t - 1])))
        ids.append(own)
    return cands, ids, ids.index(own)


def whatif(trace: DecodeTrace, name: str, text: str, choice: state.Choice, reference: str):
    h = trace.best
    forced = trace.mode == "forced"  # the page shows the reference, forced
    own, _ = (trace, None) if not forced else state.translate(name, text, choice.settings)
    own_score = f"the model's own output: {signed(own.best.score, 3)}" if own is not None else ""
    st.markdown("#### Take another piece at step t")
    last = len(h.pieces)
    if forced:
        st.caption(
            f"The view shows the reference, forced ({last} pieces, `</s>` included): at "
            "step t the model's own top pieces after the reference's first t \u2212 1, the "
            "reference's piece selected first."
        )
    else:
        st.caption(
            f"The model writes pieces, one a step ({last} steps here, `</s>` included): "
            "a word may take several."
        )
    t = st.number_input("Step t", 1, last, key="whatif:t", value=1)
    cands, cand_ids, shown = step_candidates(h, t)
    # a candidate picked at a step is still picked on coming back to it (the radio of a
    # step not shown loses its state), while the model, the sentence and the target stay
    picks = st.session_state.get(PICKS)
    start = (name, text, trace.settings.get("force") if forced else None)
    if picks is None or picks["for"] != start:
        picks = st.session_state[PICKS] = {"for": start}
        for old in [k for k in st.session_state if str(k).startswith("whatif:cand:")]:
            del st.session_state[old]  # its index meant a piece of the other target
    key = f"whatif:cand:{t}"
    if key not in st.session_state and picks.get(t, shown) < len(cands):
        st.session_state[key] = picks.get(t, shown)
    pick = st.radio(
        "Candidate at this step",
        range(len(cands)),
        horizontal=True,
        key=key,
        on_change=lambda: picks.update({t: st.session_state[key]}),
        format_func=lambda i: escape_markdown(f"{piece_label(cands[i][0])} ({cands[i][1]:.3f})"),
        help=PIECE_LEGEND,
    )
    pick_id = cand_ids[pick]
    if pick_id == state.translator(name).cfg.eos_id:
        st.info("The end token would stop the translation here.")
    else:
        prefix = (*h.ids[: t - 1], pick_id)
        alt, error = state.translate(name, text, choice.settings, prefix=prefix)
        if error:
            st.error(error)
        else:
            compared = [f"the reference, forced: {signed(h.score, 3)}"] if forced else []
            compared += [own_score] if own_score else []
            where = "the reference's first t \u2212 1 pieces and" if forced else "the prefix and"
            st.caption(
                f"Re-decoded from {where} this piece: log p = {signed(alt.best.score, 3)} "
                f"({'; '.join(compared)})"
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
        # the model's own output is forced as the pieces it wrote: its text, split again,
        # may be other pieces, with another log p and other weights
        its_own = own is not None and clean_text(target) == clean_text(own.best.text)
        force = state.own_pieces(own) if its_own else target
        scored, error = state.translate(name, text, choice.settings, force=force)
        if error:
            st.error(error)
            return
        if own is not None:
            this, theirs = signed(scored.best.score, 3), signed(own.best.score, 3)
            st.caption(
                escape_markdown(
                    f"log p of this target: {this} (the model's own output, "
                    f"\u201c{own.best.text}\u201d: {theirs})"
                )
            )
        if unknown := state.unknown_target_note(name, target):
            st.warning(escape_markdown(unknown))
        explorer(
            scored,
            choice.level,
            key="whatif:forced",
            heading=forced_heading(target, reference, own.best.text if own else h.text),
        )


def forced_heading(target: str, reference: str, output: str) -> str:
    """What the forced target is: the reference, the model's own output, or an edit."""
    target = clean_text(target)  # compared as the model reads them
    if clean_text(reference) and target == clean_text(reference):
        return "The reference, forced"
    if target == clean_text(output):
        return "The model's own output, forced"
    return "Your target, forced"
