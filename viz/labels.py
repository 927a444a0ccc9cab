"""Text for Plotly figures.

Plotly draws a subset of HTML in every label it shows (titles, axis titles, tick
labels, legend names, hover text, text points): ``<`` starts a tag, so ``α(</s>)``
would be drawn as ``α()`` and a typed ``<b>`` would turn bold.  Every string that goes
into a figure passes through ``plotly_text`` first, the one escaping rule of ``viz/``.
"""

from __future__ import annotations

import html

from .matrix import clip_label

MIN_FONT_PX = 13  # no text in a figure is smaller (tick labels, hover, colour bars)
FONT = {"size": MIN_FONT_PX}  # a figure's base font: layout(font=FONT)
# A plot area shows the page through it: in the dark theme, white behind text in the
# page's light colour (a beam tree's labels) or behind rows not decoded yet (Step
# through, where white is also alpha = 0) would hide them.
PLOT_BACKGROUND = "rgba(0,0,0,0)"
TITLE_PX = 40  # the band at the top of a figure that holds its title, above its labels
TITLE_FONT_PX = 16  # a title's type, set: Plotly's default grows with the page's font
# a title character's width at TITLE_FONT_PX, with room to spare: 7.6 px drawn in the
# page's font, about 8.5 in the fallbacks a saved image may be drawn with
TITLE_CHAR_PX = 9


def fit_title(text: str, width_px: int) -> str:
    """``text`` cut (with an ellipsis) to what a figure ``width_px`` wide can show on
    one line: Plotly would run a longer title off the figure's edge."""
    return clip_label(text, max(20, width_px // TITLE_CHAR_PX))


def title_band(text: str) -> dict:
    """A figure's title (escaped) pinned to the top of the figure, in its own band of
    TITLE_PX above the top margin's labels (Plotly's default centres it in the margin,
    across turned column labels).  The figure adds TITLE_PX to its top margin."""
    return {
        "text": plotly_text(text),
        "font": {"size": TITLE_FONT_PX},
        "yref": "container",
        "y": 1.0,
        "yanchor": "top",
        "pad": {"t": 8},
    }


def plotly_text(text: str) -> str:
    """``text`` shown literally by Plotly: ``&``, ``<`` and ``>`` become entities."""
    return html.escape(str(text), quote=False)


def plotly_texts(texts) -> list[str]:
    """``plotly_text`` of each string."""
    return [plotly_text(t) for t in texts]
