"""One bar chart for every per-word quantity (alphas, entropy, coverage, divergence)."""

from __future__ import annotations

import html

import plotly.graph_objects as go

from .matrix import unique_labels


def bar_figure(
    labels: list[str],
    values,
    title: str = "",
    y_title: str = "",
    y_range: tuple[float, float] | None = None,
    unit: str = "",
) -> go.Figure:
    """Bars labelled with (escaped, de-duplicated) words; hover shows 3 decimals."""
    fig = go.Figure(
        go.Bar(
            x=[html.escape(x, quote=False) for x in unique_labels(labels)],
            y=list(values),
            marker_color="#1f77b4",
            hovertemplate=f"%{{x}}: %{{y:.3f}}{unit}<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": html.escape(title, quote=False)} if title else None,
        height=260,
        margin={"l": 40, "r": 10, "t": 40 if title else 10, "b": 60},
        yaxis={"title": {"text": y_title}, **({"range": list(y_range)} if y_range else {})},
        xaxis={"tickangle": -45},
    )
    return fig
