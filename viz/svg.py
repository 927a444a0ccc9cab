"""An attention heatmap as a standalone SVG document: the explorer's grid
(``viz.grid.heatmap_grid``: labels, weights, the same "Blues" colours) drawn without a
browser, for the figures in the docs (``training.figures``).  Labels are user text:
they are escaped, never markup.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from xml.sax.saxutils import escape

from .links import LINK_COLOUR

FONT = 13  # label size, px
CELL = 30  # cell side, px
LEGEND = 56  # the colour scale and its ticks, right of the cells


def _width(label: str) -> float:
    return len(label) * FONT * 0.62  # a sans-serif character, roughly


def heatmap_svg(grid: dict, marks: Iterable[tuple[int, int]] = (), cell: int = CELL) -> str:
    """``grid``: ``viz.grid.heatmap_grid`` (rows = target units, columns = source
    units).  ``marks``: (row, column) cells to outline, e.g. the hand links of a probe.
    Each cell carries its weight as a tooltip (``<title>``) and as text when the cell
    is wide enough to read it.  Returns the SVG document as a string."""
    rows, cols, values, colours = grid["rows"], grid["cols"], grid["values"], grid["colours"]
    marks = sorted(set(marks))
    for r, c in marks:
        if not (0 <= r < len(rows) and 0 <= c < len(cols)):
            raise ValueError(f"mark ({r}, {c}) is outside the {len(rows)} x {len(cols)} matrix")
    sin = math.sin(math.radians(45))
    left = math.ceil(max(map(_width, rows), default=0)) + 12
    top = math.ceil(max(map(_width, cols), default=0) * sin) + 16
    title = grid.get("title") or ""
    top += 24 if title else 0
    width = max(left + len(cols) * cell + LEGEND, math.ceil(_width(title) * 1.1) + 8)
    height = top + max(len(rows) * cell, 80) + 8
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="{FONT}">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    if title:
        out.append(f'<text x="4" y="17" font-weight="bold">{escape(title)}</text>')
    for j, label in enumerate(cols):
        x, y = left + (j + 0.5) * cell, top - 6
        out.append(
            f'<text class="col" x="{x:.1f}" y="{y}" transform="rotate(-45 {x:.1f} {y})">'
            f"{escape(label)}</text>"
        )
    for i, label in enumerate(rows):
        y = top + (i + 0.5) * cell + FONT * 0.35
        out.append(f'<text class="row" x="{left - 6}" y="{y:.1f}" text-anchor="end">'
                   f"{escape(label)}</text>")  # fmt: skip
        for j, value in enumerate(values[i]):
            x0, y0 = left + j * cell, top + i * cell
            shown = "" if value is None else f"{value:.2f}"
            tip = f"{escape(label)} &lt;- {escape(cols[j])}: {shown or 'not decoded'}"
            out.append(
                f'<rect class="cell" x="{x0}" y="{y0}" width="{cell}" height="{cell}" '
                f'fill="{colours[i][j] if value is not None else "#ffffff"}" stroke="#ffffff">'
                f"<title>{tip}</title></rect>"
            )
            if value is not None and value >= 0.1 and cell >= 26:
                ink = "#ffffff" if value >= 0.5 else "#1f2d3d"
                out.append(
                    f'<text x="{x0 + cell / 2}" y="{y0 + cell / 2 + 4}" text-anchor="middle" '
                    f'font-size="10" fill="{ink}" pointer-events="none">{shown.lstrip("0")}</text>'
                )
    for r, c in marks:
        out.append(
            f'<rect class="mark" x="{left + c * cell + 1}" y="{top + r * cell + 1}" '
            f'width="{cell - 2}" height="{cell - 2}" fill="none" stroke="{LINK_COLOUR}" '
            'stroke-width="2.5" stroke-dasharray="5 3"/>'
        )
    x, bar = left + len(cols) * cell + 12, min(160, max(60, len(rows) * cell))
    stops = grid["stops"]
    out.append('<defs><linearGradient id="scale" x1="0" y1="1" x2="0" y2="0">')
    out += [f'<stop offset="{100 * k / (len(stops) - 1):.1f}%" stop-color="{c}"/>'
            for k, c in enumerate(stops)]  # fmt: skip
    out.append("</linearGradient></defs>")
    out.append(f'<rect x="{x}" y="{top}" width="10" height="{bar}" fill="url(#scale)" '
               'stroke="#cccccc"/>')  # fmt: skip
    out.append(f'<text x="{x + 14}" y="{top + 9}">1</text>')
    out.append(f'<text x="{x + 14}" y="{top + bar}">0</text>')
    out.append(f'<text x="{x}" y="{top - 6}">α</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
