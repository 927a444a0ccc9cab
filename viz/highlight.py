"""Source words shaded by attention, as escaped HTML (user text is never markup)."""

from __future__ import annotations

import html

import plotly.graph_objects as go


def highlight_html(
    words: list[str], weights: list[float], label: str = "", role: str = "source"
) -> str:
    """One ``<span>`` per word, background alpha = weight (0..1), weight in the title.

    ``role`` names the CSS classes: ``hl-<role>``, ``hl-<role>-word``, ``hl-<role>-label``.
    """
    spans = []
    for i, (word, w) in enumerate(zip(words, weights, strict=True)):
        w = min(max(float(w), 0.0), 1.0)
        colour = "#fff" if w > 0.55 else "#111"
        spans.append(
            f'<span class="hl-{role}-word" data-index="{i}" data-weight="{w:.3f}" '
            f'title="{w:.3f}" style="background: rgba(31,119,180,{w:.3f}); color: {colour}; '
            f'padding: 2px 4px; margin: 1px; border-radius: 4px; display: inline-block">'
            f"{html.escape(word)}</span>"
        )
    head = f'<span class="hl-{role}-label">{html.escape(label)}</span> ' if label else ""
    return f'<div class="hl-{role}" style="line-height: 2.1">{head}{"".join(spans)}</div>'


def alpha_bars(labels: list[str], weights: list[float], title: str = "") -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=[html.escape(x, quote=False) for x in labels],
            y=list(weights),
            marker_color="#1f77b4",
            hovertemplate="%{x}: %{y:.3f}<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": html.escape(title, quote=False)} if title else None,
        height=260,
        margin={"l": 40, "r": 10, "t": 40 if title else 10, "b": 60},
        yaxis={"range": [0, 1], "title": {"text": "\u03b1"}},
        xaxis={"tickangle": -45},
    )
    return fig


_MARKDOWN_SPECIALS = set("\\`*_{}[]()#+-.!|<>~$:")


def escape_markdown(text: str) -> str:
    """Widget labels are Markdown in Streamlit: backslash every special character so
    a word such as ``**x**`` or ``[a](b)`` is shown as typed."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in text)
