"""Gold alignment: paste links, see them on the heatmap, get AER / precision / recall."""

from __future__ import annotations

import streamlit as st

from models.trace import DecodeTrace
from viz.gold import gold_figure
from viz.links import alignment_scores, argmax_links, parse_links, to_pharaoh
from viz.matrix import attention_view

PROBLEMS_SHOWN = 5  # links that cannot be read, named one by one
LINKS = "gold:links"  # the text box
TYPED = "gold:typed"  # the links typed for each alignment: (source, target words) -> text
TYPED_KEPT = 50  # alignments whose links are remembered


def links_box(identity: tuple) -> str:
    """The gold links box of one alignment (its source and target words): links typed
    for another sentence stay with it and come back with it, instead of being scored
    against this one."""
    typed: dict = st.session_state.setdefault(TYPED, {})
    if st.session_state.get(f"{LINKS}:for") != identity or LINKS not in st.session_state:
        st.session_state[LINKS] = typed.get(identity, "")
        st.session_state[f"{LINKS}:for"] = identity
    text = st.text_area("Gold links", key=LINKS, placeholder="0-0 1-1 2-3 3-2")
    typed.pop(identity, None)
    if text.strip():
        typed[identity] = text
        while len(typed) > TYPED_KEPT:
            typed.pop(next(iter(typed)))
    elif typed:
        st.caption(
            "Links typed for other sentences are kept with them: they come back when "
            "the sentence and its target do."
        )
    return text


def gold_view(trace: DecodeTrace) -> None:
    if not trace.has_attention:
        st.info("No attention, so nothing to compare with a gold alignment.")
        return
    view = attention_view(trace, 0, "words")
    n_src = len(trace.source.words)
    n_tgt = len(trace.best.words)
    st.caption(
        f"Links are source-target word indices from 0 (Pharaoh format), e.g. `0-0 1-2`. "
        f"Source: {n_src} words; target: {n_tgt} words (punctuation at a word's end is a "
        "word of its own: `lights.` is `lights` `.`). To align a given translation, type it "
        "as the reference and choose *the reference, forced* above the tabs."
    )
    predicted = argmax_links(view)
    text = links_box((tuple(trace.source.words), tuple(trace.best.words)))
    gold, problems = parse_links(text, n_src, n_tgt)
    for problem in problems[:PROBLEMS_SHOWN]:
        st.warning(problem)
    if len(problems) > PROBLEMS_SHOWN:
        st.warning(f"... and {len(problems) - PROBLEMS_SHOWN} more links that cannot be read.")
    fig = gold_figure(view, gold)
    if gold:
        scores = alignment_scores(predicted, gold)
        a, p, r = st.columns(3)
        a.metric("AER", f"{scores['aer']:.3f}")
        p.metric("Precision", f"{scores['precision']:.3f}")
        r.metric("Recall", f"{scores['recall']:.3f}")
    st.plotly_chart(fig, key="gold:heatmap", config={"displayModeBar": False}, width="content")
    st.caption(
        "Orange squares: gold links. Attention's own links (argmax per target word): "
        f"`{to_pharaoh(predicted)}`"
    )
