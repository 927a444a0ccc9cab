"""Corpus: BLEU by source length from the model cards (Bahdanau et al. 2015, Fig. 2),
and the test sentences; choosing one opens it in the explorer."""

from __future__ import annotations

import streamlit as st

from models.text import elides, split_words
from models.unknown import source_language
from viz.corpus import bleu_by_length_figure, length_figure_note

from . import state


def selected_row(selection, rows: list[dict]) -> dict | None:
    """The table row a dataframe selection event points at, or None."""
    try:
        picked = selection["selection"]["rows"]
    except (KeyError, TypeError):
        return None
    if not picked or not 0 <= picked[0] < len(rows):
        return None
    return rows[picked[0]]


def _open(rows: list[dict]) -> None:
    row = selected_row(st.session_state.get("corpus:table"), rows)
    if row is not None:
        # open it in the explorer (the tab too comes back if a stale rerun undoes the pick)
        state.put_text(
            {"source": row["source"], "reference": row["reference"], "tab": state.TABS[0]}
        )


def corpus(pair: str) -> None:
    import pandas as pd  # here, not at the top: the first view needs no pandas

    entries = state.registry(state.root())
    cards = {e.name: e.card for e in entries if e.available and e.config.pair == pair}
    fig = bleu_by_length_figure(cards)
    if fig is None:
        st.info("No evaluated model of this pair yet (see the cards).")
    else:
        st.plotly_chart(fig, key="corpus:bleu", config={"displayModeBar": False})
        if note := length_figure_note(fig):
            st.caption(note)
    rows = [r for r in state.examples(pair) if r["kind"] == "test"]
    if not rows:
        return
    table = pd.DataFrame(
        {
            "source": [r["source"] for r in rows],
            "reference": [r["reference"] for r in rows],
            "words": [len(split_words(r["source"], elides(source_language(pair)))) for r in rows],
        }
    )
    st.markdown("**Test sentences** (sort by a column; pick a row to open it in the explorer)")
    st.dataframe(
        table,
        key="corpus:table",
        on_select=lambda: _open(rows),
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
    )
