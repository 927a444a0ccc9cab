"""The corpus view's figure: BLEU by source length for every model of a pair, from
their cards (Bahdanau et al. 2015, Fig. 2)."""

from __future__ import annotations

import plotly.graph_objects as go

from .labels import FONT, plotly_text


def bleu_by_length_figure(cards: dict[str, dict]) -> go.Figure | None:
    """One line per model card with a ``test.by_length`` table; None when no card has one."""
    fig = go.Figure()
    for name, card in sorted(cards.items()):
        rows = ((card.get("test") or {}).get("by_length")) or []
        rows = [r for r in rows if r.get("n") and r.get("bleu") is not None]
        if rows:
            fig.add_trace(
                go.Scatter(
                    x=[plotly_text(r["bucket"]) for r in rows],
                    y=[r["bleu"] for r in rows],
                    mode="lines+markers",
                    name=plotly_text(name),
                    customdata=[r["n"] for r in rows],  # a bucket of 3 sentences says so
                    hovertemplate="%{x} words: BLEU %{y} over %{customdata} test sentences",
                )
            )
    if not fig.data:
        return None
    fig.update_layout(
        font=FONT,
        height=340,
        xaxis={"title": {"text": "source length (words)"}},
        yaxis={"title": {"text": "BLEU (greedy)"}},
        margin={"l": 50, "r": 10, "t": 20, "b": 50},
    )
    return fig
