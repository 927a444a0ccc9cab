"""The explorer's heatmap as plain data: labels, weights, cell colours and sizes.

The page draws it as inline SVG (``ui/heatmap.js``), a few kilobytes of script, so the
first view is clickable without waiting for the browser to load and compile Plotly
(4.7 MB); the other views draw Plotly figures (``viz.heatmap``).  The colours follow
the same "Blues" scale, alpha 0 to 1.  Labels are data: the page sets them as text,
never as markup.
"""

from __future__ import annotations

import numpy as np
from plotly.colors import sequential

from .heatmap import layout_sizes
from .matrix import AttentionView

STOPS = np.array(
    [[int(v) for v in c[4:-1].split(",")] for c in sequential.Blues], dtype=float
)  # 9 x RGB, evenly spaced from alpha = 0 to 1


def cell_colours(z: np.ndarray) -> list[list[str]]:
    """Weights in [0, 1] -> '#rrggbb' by linear interpolation between the stops."""
    pos = np.clip(np.nan_to_num(z, nan=0.0), 0.0, 1.0) * (len(STOPS) - 1)
    low = np.minimum(pos.astype(int), len(STOPS) - 2)
    frac = (pos - low)[..., None]
    rgb = np.rint(STOPS[low] * (1 - frac) + STOPS[low + 1] * frac).astype(int)
    return [[f"#{r:02x}{g:02x}{b:02x}" for r, g, b in row] for row in rgb]


def heatmap_grid(view: AttentionView, title: str = "") -> dict:
    """Everything the SVG drawing needs, JSON-ready.  The selected row is not part of
    it: the page passes that beside, so a click does not resend the matrix."""
    n_rows, n_cols = view.z.shape
    size = layout_sizes(n_rows, n_cols, max((len(c) for c in view.cols), default=1))
    return {
        "rows": list(view.rows),
        "cols": list(view.cols),
        "values": np.round(np.asarray(view.z, dtype=float), 4).tolist(),
        "colours": cell_colours(np.asarray(view.z, dtype=float)),
        "title": title,
        "cell_w": round(size["cell_w"], 1),
        "cell_h": round(size["cell_h"], 1),
        "font": size["font"],
        "angle": size["angle"],
        "top": size["top"],
        "stops": [f"#{int(r):02x}{int(g):02x}{int(b):02x}" for r, g, b in STOPS],
    }
