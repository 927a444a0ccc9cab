"""Source words shaded by attention, as escaped HTML (user text is never markup)."""

from __future__ import annotations

import html

from .matrix import clip_label


def highlight_html(
    words: list[str], weights: list[float], label: str = "", role: str = "source"
) -> str:
    """One ``<span>`` per word, background alpha = weight (0..1), weight in the title.
    On a dark page the tint is a lighter blue (CSS ``light-dark``; a browser without it
    keeps the first rule): the page's blue at 0.14 and at 0.31 looked alike there.

    ``role`` names the CSS classes: ``hl-<role>``, ``hl-<role>-word``, ``hl-<role>-label``.
    """
    spans = []
    for i, (word, w) in enumerate(zip(words, weights, strict=True)):
        w = min(max(float(w), 0.0), 1.0)
        colour = chip_text_colour(w)
        tint, dark = f"rgba({CHIP_RGB},{w:.3f})", f"rgba({CHIP_RGB_DARK},{w:.3f})"
        spans.append(
            f'<span class="hl-{role}-word" data-index="{i}" data-weight="{w:.3f}" '
            f'title="{w:.3f}" style="background: {tint}; '
            f"background: light-dark({tint}, {dark}); color: {colour}; "
            f"padding: 2px 4px; margin: 1px; border-radius: 4px; display: inline-block; "
            f'max-width: 100%; {LONG_WORD}">'
            f"{html.escape(word)}</span>"
        )
    head = f'<span class="hl-{role}-label">{html.escape(label)}</span> ' if label else ""
    return f'<div class="hl-{role}" style="line-height: 2.1">{head}{"".join(spans)}</div>'


def chip_text_colour(w: float) -> str:
    """The page's own text colour on a faint chip, white on a dark one; on a dark page
    the tint is light, so its darkest chips take dark text instead."""
    if w <= 0.55:
        return "inherit"
    return f"#fff; color: light-dark(#fff, {'#111' if w > 0.75 else 'currentColor'})"


CHIP_BLUE = "#1f77b4"  # the alpha bars, and (CHIP_RGB) a chip's tint on a light page
CHIP_RGB = ",".join(str(int(CHIP_BLUE[i : i + 2], 16)) for i in (1, 3, 5))
CHIP_RGB_DARK = "110,180,255"  # a chip's tint on a dark page

# A very long word breaks across lines (a title) or is cut (a bar's label, whole in its
# tooltip) instead of pushing the bars and their values off the page.
LONG_WORD = "overflow-wrap: anywhere"
BAR_LABEL_CHARS = 24


def alpha_bars_html(labels: list[str], weights: list[float], title: str = "") -> str:
    """The same bars as plain escaped HTML: one row per source unit, a bar as wide as
    its weight.  Cheap for the browser to redraw on every click (no chart library)."""
    rows = []
    for i, (word, w) in enumerate(zip(labels, weights, strict=True)):
        w = min(max(float(w), 0.0), 1.0)
        rows.append(
            f'<tr class="ab-row" data-index="{i}" data-weight="{w:.3f}">'
            f'<td style="text-align: right; padding: 0 6px; white-space: nowrap" '
            f'title="{html.escape(word)}">{html.escape(clip_label(word, BAR_LABEL_CHARS))}</td>'
            f'<td style="width: 100%; padding: 1px 0"><div style="width: {100 * w:.1f}%; '
            f"min-width: 1px; height: 14px; background: {CHIP_BLUE}; "
            f'border-radius: 2px"></div></td>'
            f'<td style="padding: 0 6px; font-variant-numeric: tabular-nums">{w:.3f}</td></tr>'
        )
    head = f'<div class="ab-title" style="font-weight: 600; {LONG_WORD}">{html.escape(title)}</div>'
    table = '<table class="ab" style="width: 100%; border: none; font-size: 0.9em">'
    return f'<div class="alpha-bars">{head if title else ""}{table}{"".join(rows)}</table></div>'


_MARKDOWN_SPECIALS = set("\\`*_{}[]()#+-.!|<>~$:")


def escape_markdown(text: str) -> str:
    """Widget labels are Markdown in Streamlit: backslash every special character so
    a word such as ``**x**`` or ``[a](b)`` is shown as typed."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in text)
