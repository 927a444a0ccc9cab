"""Gold alignment: paste links, see them on the heatmap, get AER / precision / recall."""

from __future__ import annotations

import streamlit as st

from models.trace import DecodeTrace
from viz.gold import gold_figure
from viz.highlight import escape_markdown
from viz.links import (
    AER_FORMULA,
    POSSIBLE_FORMS,
    SURE_FORM,
    alignment_scores,
    argmax_links,
    parse_gold,
    to_pharaoh,
)
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
    possible_forms = " or ".join(f"`{form}`" for form in POSSIBLE_FORMS)
    st.caption(
        f"Links are source-target word indices from 0 (Pharaoh format): `{SURE_FORM}` is a "
        f"sure link (S), {possible_forms} a possible one (P; a sure link counts as possible "
        f"too), e.g. `0-0 1-2 2?1`. Source: {n_src} words; target: {n_tgt} words "
        "(punctuation at a word's end is a word of its own: `lights.` is `lights` `.`; so is "
        "a French elided word: `l'homme` is `l'` `homme`). To "
        "align a given translation, type it as the reference and choose *the reference, "
        "forced* above the tabs."
    )
    predicted = argmax_links(view)
    text = links_box((tuple(trace.source.words), tuple(trace.best.words)))
    gold, problems = parse_gold(text, n_src, n_tgt)
    for problem in problems[:PROBLEMS_SHOWN]:
        st.warning(escape_markdown(problem))  # the typed token shown as typed
    if len(problems) > PROBLEMS_SHOWN:
        st.warning(f"... and {len(problems) - PROBLEMS_SHOWN} more links that cannot be read.")
    fig = gold_figure(view, gold.sure, gold.possible)
    if gold:
        scores = alignment_scores(predicted, gold.sure, gold.possible)
        a, p, r = st.columns(3)
        a.metric("AER", f"{scores['aer']:.3f}")
        p.metric("Precision", f"{scores['precision']:.3f}")
        r.metric("Recall", f"{scores['recall']:.3f}" if gold.sure else "–")
    counts = (
        f" Here |A| = {len(predicted)}, |S| = {len(gold.sure)}, |P| = {len(gold.possible)}."
        if gold
        else ""
    )
    st.caption(
        f"As the evaluation scores the gold sets (Och & Ney 2003): {AER_FORMULA}, "
        "precision = |A∩P| / |A|, recall = |A∩S| / |S|. A, the model's links: each target "
        "word of the translation shown (the model's best, or the reference when forced) "
        "linked to the argmax column of its row, with `</s>` rows and columns left out "
        "first (a word that attends most to `</s>` takes the source word it attends to "
        f"most after it).{counts}" + ("" if gold.sure or not gold else " Recall needs a sure link.")
    )
    st.plotly_chart(fig, key="gold:heatmap", config={"displayModeBar": False}, width="content")
    st.caption(
        "Bold orange squares: sure links; thin ones: possible links. The model's links: "
        f"`{to_pharaoh(predicted)}`"
    )
