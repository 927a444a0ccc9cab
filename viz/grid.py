"""The clickable SVG heatmaps (explorer, step through, compare) as plain data:
labels, weights, cell colours and the bounds of their sizes.

The page draws it as inline SVG (``ui/heatmap.js``), a few kilobytes of script, so the
first view is clickable without waiting for the browser to load and compile Plotly
(4.7 MB); the other views draw Plotly figures (``viz.heatmap``).  The colours follow
the same "Blues" scale, alpha 0 to 1.  Labels are data: the page sets them as text,
never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from plotly.colors import sequential

from .matrix import AttentionView

LABEL_PX = 14  # label font size (never below 13 px)
MIN_CELL_PX = 18  # narrower than this, the heatmap scrolls sideways instead
MAX_CELL_PX = 52  # a short sentence's cells grow to this, not to the whole page
SVG_CELLS = 6000  # up to this many cells one SVG rect each; beyond, painted as one image
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


def heatmap_grid(
    view: AttentionView, title: str = "", marks: Iterable[tuple[int, int]] = ()
) -> dict:
    """Everything the SVG drawing needs, JSON-ready.  The selected row is not part of
    it: the page passes that beside, so a click does not resend the matrix.  The page
    sizes the cells to the room it has, between ``MIN_CELL_PX`` and ``MAX_CELL_PX``,
    and paints them as one image beyond ``SVG_CELLS`` cells; NaN weights (rows not
    decoded yet) are drawn blank.  ``marks``: (row, column) cells to outline, e.g. the
    hand links of a probe (``viz.links.link_cells``)."""
    z = np.asarray(view.z, dtype=float)
    values = np.round(z, 6).tolist()  # the page rounds once, to what it shows
    return {
        "rows": list(view.rows),
        "cols": list(view.cols),
        "values": [[None if v != v else v for v in row] for row in values],
        "colours": cell_colours(z),
        "title": title,
        "marks": [[int(r), int(c)] for r, c in sorted(set(marks))],
        "font": LABEL_PX,
        "min_cell": MIN_CELL_PX,
        "max_cell": MAX_CELL_PX,
        "svg_cells": SVG_CELLS,
        "stops": [f"#{int(r):02x}{int(g):02x}{int(b):02x}" for r, g, b in STOPS],
    }
