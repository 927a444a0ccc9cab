"""One bar chart for every per-word quantity (alphas, entropy, coverage, divergence)."""

from __future__ import annotations

import plotly.graph_objects as go

from .diagnostics import max_entropy, row_entropy
from .labels import FONT, plotly_text, plotly_texts
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
            x=plotly_texts(unique_labels(labels)),
            y=list(values),
            marker_color="#1f77b4",
            hovertemplate=f"%{{x}}: %{{y:.3f}}{plotly_text(unit)}<extra></extra>",
        )
    )
    fig.update_layout(
        font=FONT,
        title={"text": plotly_text(title)} if title else None,
        height=260,
        margin={"l": 40, "r": 10, "t": 40 if title else 10, "b": 60},
        yaxis={
            "title": {"text": plotly_text(y_title)},
            **({"range": list(y_range)} if y_range else {}),
        },
        xaxis={"tickangle": -45, "tickfont": {"size": 13}, "dtick": 1},  # every word labelled
    )
    return fig


def entropy_figure(rows: list[str], z) -> go.Figure:
    """Entropy of each target row (bits) against its scale: 0 = all weight on one source
    unit; the dashed line, log2(source units), = the weight spread evenly over all.
    z: R x C -> R bars."""
    n_cols = z.shape[1]
    top = max_entropy(n_cols)
    fig = bar_figure(
        rows,
        row_entropy(z),
        f"Entropy per target row (bits; max {top:.2f}: uniform)",
        "bits",
        (0.0, max(top, 0.1) * 1.1),
        f" of {top:.2f} bits",
    )
    fig.add_hline(
        y=top,
        line={"dash": "dash", "color": "#888", "width": 1},
        annotation_text=plotly_text(f"max log2({n_cols}) = {top:.2f}"),
        annotation_position="top left",
    )
    return fig
