"""Figures and formulas of the "Inside alpha" view: one decoder step taken apart.

Pure functions of plain data (numpy arrays, lists of labels, model cards); no torch.
An explanation is anything with the fields of ``models.explain.StepExplanation``.
Every label reaches Plotly through ``plotly_text`` and HTML through ``html.escape``.
"""

from __future__ import annotations

import base64
import html
import math
import struct
import zlib
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .corpus import bleu_by_length_figure, bucket_range
from .labels import plotly_text, plotly_texts
from .matrix import unique_labels, word_groups
from .pieces import piece_label
from .signature import signature

# The score of each kind, as the papers write it (q: the state that asks), with the
# bias of the key layer where the model adds one (the papers leave it out).
SCORE_LATEX = {
    "additive": r"e_{tj} = v_a^\top \tanh\left(W_a\, s_{t-1} + U_a\, h_j + b_a\right)",
    "dot": r"e_{tj} = h_t^\top\, \bar h_j",
    "general": r"e_{tj} = h_t^\top\, W_a\, \bar h_j",
    "concat": r"e_{tj} = v_a^\top \tanh\left(W_a\, [h_t; \bar h_j] + b_a\right)",
}
SOFTMAX_LATEX = r"\alpha_{tj} = \frac{\exp(e_{tj} / \tau)}{\sum_{k=1}^{T_x} \exp(e_{tk} / \tau)}"
# Plain-text names of the vectors (strip labels, chart titles: text, not LaTeX), with
# Unicode subscripts: "s_{t-1}" written out reads as code.
QUERY_NAME = {"bahdanau": "s\u209c\u208b\u2081", "luong": "h\u209c"}  # s_t-1, h_t
PREVIOUS_NAME = {"bahdanau": "s\u209c\u208b\u2081", "luong": "h\u209c\u208b\u2081"}
STATE_NAME = {"bahdanau": "s\u209c", "luong": "h\u209c"}
CONTEXT_NAME = "c\u209c"  # c_t
ATTENTIONAL_NAME = "h\u0303\u209c"  # h~_t, the attentional state
SOURCE_NAME = "h\u2c7c"  # h_j, an annotation (Bahdanau's name)
# Each paper's name of an annotation: Luong writes h-bar_j for the source states.
SOURCE_NAMES = {"bahdanau": SOURCE_NAME, "luong": "h\u0304\u2c7c"}
SOURCE_LATEX = {"bahdanau": "h_j", "luong": r"\bar h_j"}
KEY_NAME = "k\u2c7c"  # k_j
WEIGHT_NAME = "\u03b1\u209c\u2c7c"  # alpha_tj
SCORE_NAME = "e\u209c\u2c7c"  # e_tj
TAU_NAME = "\u03c4"  # tau, the softmax's temperature
MINUS = "\u2212"  # a number's minus sign in text (a hyphen reads as a dash or a subtraction)


@dataclass(frozen=True)
class Notation:
    """The symbols of one score kind, in its paper's letters, for everything the step
    view writes about it: the worked sum (LaTeX), what q and k_j stand for (LaTeX and a
    sentence), and the heat strips' labels (plain text).  The model computes every
    score as a sum over i of per-dimension terms, with keys k_j fixed per sentence."""

    worked: str  # LaTeX: the i-th term of e_tj's sum
    defines: str  # LaTeX: what q (or W q) and k_j are
    says: str  # plain text: the same in words, the bias where one is added
    query: str  # strip label of the state that asks
    projected: str | None  # strip label of the projected query (additive kinds)
    key: str  # strip label of k_j
    term: str  # strip label of the term vector


_KJ = KEY_NAME
NOTATION = {
    "additive": Notation(
        worked=r"v_i \tanh\big((W_a s_{t-1})_i + k_{ji}\big)",
        defines=r"k_j = U_a h_j + b_a",
        says="The key k\u2c7c holds U\u2090 h\u2c7c and the bias b\u2090 of the key "
        "layer (the paper's formula leaves the bias out); the keys are computed once "
        "per sentence.",
        query=f"query {QUERY_NAME['bahdanau']}",
        projected=f"W\u2090 {QUERY_NAME['bahdanau']}",
        key=f"key {_KJ} = U\u2090 h\u2c7c + b\u2090",
        term=f"tanh(W\u2090 {QUERY_NAME['bahdanau']} + {_KJ})",
    ),
    "concat": Notation(
        worked=r"v_i \tanh\big((W_1 h_t)_i + k_{ji}\big)",
        # the strut keeps the first row's bars inside the formula's box (KaTeX clips them)
        defines=r"\begin{aligned} \vphantom{\Big|} W_a [h_t; \bar h_j] "
        r"&= W_1 h_t + W_2 \bar h_j \\ k_j &= W_2 \bar h_j + b_a \end{aligned}",
        says="W\u2090 = [W\u2081 W\u2082] split in two halves, one per half of "
        "[h\u209c; h\u0304\u2c7c]; the key k\u2c7c holds W\u2082 h\u0304\u2c7c and "
        "the bias b\u2090 of the key layer (the paper's formula leaves the bias out), "
        "computed once per sentence.",
        query=f"query {QUERY_NAME['luong']}",
        projected=f"W\u2081 {QUERY_NAME['luong']}",
        key=f"key {_KJ} = W\u2082 h\u0304\u2c7c + b\u2090",
        term=f"tanh(W\u2081 {QUERY_NAME['luong']} + {_KJ})",
    ),
    "general": Notation(
        worked=r"q_i\, k_{ji}",
        defines=r"q = h_t, \quad k_j = W_a \bar h_j",
        says="The query q is h\u209c; the key k\u2c7c = W\u2090 h\u0304\u2c7c is "
        "computed once per sentence (no bias), so e\u209c\u2c7c = q \u00b7 k\u2c7c.",
        query=f"query q = {QUERY_NAME['luong']}",
        projected=None,
        key=f"key {_KJ} = W\u2090 h\u0304\u2c7c",
        term=f"q \u2299 {_KJ}",
    ),
    "dot": Notation(
        worked=r"q_i\, k_{ji}",
        defines=r"q = h_t, \quad k_j = \bar h_j",
        says="The query q is h\u209c and the key k\u2c7c is the annotation "
        "h\u0304\u2c7c itself, so e\u209c\u2c7c = q \u00b7 k\u2c7c.",
        query=f"query q = {QUERY_NAME['luong']}",
        projected=None,
        key=f"key {_KJ} = h\u0304\u2c7c",
        term=f"q \u2299 {_KJ}",
    ),
}


def score_strips(ex, j: int, col: str) -> list[tuple[str, np.ndarray]]:
    """The vectors of source piece j's score (``col``: its label), each named with the
    symbols of the model's own formula (``NOTATION``): the query, W q (additive
    kinds), the key k_j, the terms, and v_a (additive kinds)."""
    names = NOTATION[ex.score]
    strips = [(names.query, ex.query)]
    if names.projected is not None:
        strips.append((names.projected, ex.query_proj))
    strips += [(f"{names.key} ({col})", ex.keys[j]), (names.term, ex.terms[j])]
    if ex.v is not None:
        strips.append(("v\u2090", ex.v))
    return strips


def context_latex(attention: str) -> str:
    """c_t = sum_j alpha_tj h_j, with the annotation as the model's paper names it."""
    return rf"c_t = \sum_{{j=1}}^{{T_x}} \alpha_{{tj}}\, {SOURCE_LATEX[attention]}"


def signed(x: float, digits: int) -> str:
    """A number for text and HTML with a true minus sign (U+2212)."""
    text = f"{x:.{digits}f}"
    return MINUS + text[1:] if text.startswith("-") else text


TERMS_SHOWN = 2  # products written out in the formula with numbers, before "..."

# One decoder step of each kind, in the order it computes (the labels of the
# side-by-side view; shapes are filled in from the model).
ORDER = {
    "bahdanau": [
        (r"e_{tj} = v_a^\top \tanh(W_a s_{t-1} + U_a h_j + b_a)", "score with the previous state"),
        (r"\alpha_t = \mathrm{softmax}(e_t)", "weights over the source"),
        (r"c_t = \textstyle\sum_j \alpha_{tj} h_j", "context"),
        (r"s_t = \mathrm{GRU}([E y_{t-1}; c_t],\ s_{t-1})", "the context enters the GRU"),
        (r"p(y_t) = \mathrm{softmax}(W_o \tanh(L[s_t; E y_{t-1}; c_t]))", "read out"),
    ],
    "luong": [
        (r"h_t = \mathrm{GRU}([E y_{t-1}; \tilde h_{t-1}],\ h_{t-1})", "the GRU runs first"),
        (r"e_{tj} = \mathrm{score}(h_t, \bar h_j)", "score with the new state"),
        (r"\alpha_t = \mathrm{softmax}(e_t)", "weights over the source"),
        (r"c_t = \textstyle\sum_j \alpha_{tj} \bar h_j", "context"),
        (r"\tilde h_t = \tanh(W_c [c_t; h_t])", "attentional state, fed to step t+1"),
        (r"p(y_t) = \mathrm{softmax}(W_o \tilde h_t)", "read out"),
    ],
}


def _num(x: float) -> str:
    """A number for LaTeX: 3 decimals, a true minus sign."""
    return f"{x:.3f}"


def score_latex(score: str) -> str:
    return SCORE_LATEX[score]


def largest_terms(ex, j: int) -> list[int]:
    """The indices i of the ``TERMS_SHOWN`` terms of e_tj's sum that weigh most (largest
    |v_i tanh(...)|, or |q_i k_ji|), largest first: the first ones are often near 0."""
    contributions = ex.terms[j] * ex.v if ex.v is not None else ex.terms[j]
    order = np.argsort(-np.abs(contributions), kind="stable")
    return [int(i) for i in order[:TERMS_SHOWN]]


def numbers_latex(ex, j: int) -> str:
    """The score of source piece j with this step's values: the terms of the sum that
    weigh most written out (each with its index i), then its total (which is e_tj)."""
    e = float(ex.scores[j])
    n = len(ex.terms[j])
    shown = largest_terms(ex, j)
    first = rf"\sum_{{i=1}}^{{{n}}} {NOTATION[ex.score].worked}"
    if ex.v is not None:
        parts = [
            (i, ex.v[i], rf"\tanh({_num(ex.query_proj[i])} {_signed(ex.keys[j][i])})")
            for i in shown
        ]
    else:
        parts = [(i, ex.query_proj[i], rf"\cdot {_paren(ex.keys[j][i])}") for i in shown]
    # the index as a subscript: an \underbrace slowed every click (docs/PERFORMANCE.md).
    # One term a line, so the block fits a narrow column (a display formula's overflow
    # scrolls, with no scrollbar drawn: it would read as cut off).
    terms = [
        ("-" if c < 0 else "" if k == 0 else "+") + rf" {abs(c):.3f} {rest}_{{(i={i + 1})}}"
        for k, (i, c, rest) in enumerate(parts)
    ]
    lines = [rf"e_{{t{j + 1}}} &= {first}", f"&= {terms[0]}"]
    lines += [rf"&\quad {term}" for term in terms[1:]]
    if n > len(shown):
        lines.append(rf"&\quad + \dots \quad \text{{(the {len(shown)} largest of {n} terms)}}")
    lines.append(rf"&= \mathbf{{{_num(e)}}}")
    return r"\begin{aligned} " + r" \\ ".join(lines) + r" \end{aligned}"


def _signed(x: float) -> str:
    return f"+ {x:.3f}" if x >= 0 else f"- {abs(x):.3f}"


def _paren(x: float) -> str:
    return f"({x:.3f})" if x < 0 else f"{x:.3f}"


def softmax_numbers_latex(scores: np.ndarray, alphas: np.ndarray, j: int, tau: float) -> str:
    """alpha_tj = exp(e_tj / tau) / sum_k exp(e_tk / tau) with this step's numbers."""
    finite = scores[np.isfinite(scores)]
    top = float(np.exp((scores[j] - finite.max()) / tau))
    total = float(np.exp((finite - finite.max()) / tau).sum())
    tau_part = "" if tau == 1.0 else f"/ {tau:g}"
    scaled = r"e^{-\max_k e_{tk}" + (r"/\tau" if tau != 1.0 else "") + "}"
    return (  # three short lines, so the block fits a narrow column
        rf"\begin{{aligned}} \alpha_{{t{j + 1}}} &= \frac{{\exp({_num(scores[j])} {tau_part})}}"
        rf"{{\sum_k \exp(e_{{tk}} {tau_part})}} \\[4pt] &= \frac{{{top:.4f}}}{{{total:.4f}}}"
        rf" = \mathbf{{{float(alphas[j]):.4f}}} \\"
        rf" &\quad \text{{(numerator and sum both scaled by }} {scaled}\text{{)}} \end{{aligned}}"
    )


def strips_figure(strips: list[tuple[str, np.ndarray]], title: str = "") -> go.Figure:
    """Vectors as heat strips, one row each (shorter ones padded), exact values on hover.
    Diverging colours centred on 0."""
    width = max(len(v) for _, v in strips)
    z = np.full((len(strips), width), np.nan)
    for r, (_, v) in enumerate(strips):
        z[r, : len(v)] = v
    limit = float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0
    labels = plotly_texts([name for name, _ in strips])
    hover = [
        [
            f"{labels[r]}[{i + 1}] = {z[r, i]:.6f}" if np.isfinite(z[r, i]) else ""
            for i in range(width)
        ]
        for r in range(len(strips))
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            y=unique_labels(labels),  # a category each: equal labels would share a row
            colorscale="RdBu",
            reversescale=True,  # red for positive values
            zmid=0.0,
            zmin=-limit,
            zmax=limit,
            text=hover,
            hoverinfo="text",
            showscale=True,
            colorbar={"thickness": 8, "len": 0.9},
        )
    )
    fig.update_layout(
        title={"text": plotly_text(title)} if title else None,
        height=60 + 26 * len(strips) + (24 if title else 0),
        margin={"l": 10, "r": 10, "t": 30 if title else 8, "b": 24},
        yaxis={"autorange": "reversed", "tickfont": {"size": 13}},
        xaxis={"title": {"text": "dimension"}, "showgrid": False},
    )
    return fig


def context_strips(
    cols: list[str], alphas: np.ndarray, values: np.ndarray, attention: str = "bahdanau"
) -> list[tuple[str, np.ndarray]]:
    """alpha_tj h_j for each source piece, then their sum c_t (the annotation named as
    the ``attention`` kind's paper names it: h, or Luong's h-bar)."""
    h = SOURCE_NAMES[attention][:-1]  # the name without its subscript j
    rows = [(f"{a:.2f} \u00d7 {h}({c})", a * v) for c, a, v in zip(cols, alphas, values)]
    return [*rows, ("= c\u209c", alphas @ values)]


SELECTED_CELL = "background:rgba(192,57,43,0.16);font-weight:700"  # the chosen column


def score_table_html(
    cols: list[str],
    scores: np.ndarray,
    alphas: np.ndarray,
    selected: int | None = None,
    step: int | None = None,
) -> str:
    """e and alpha of every source piece at output step ``step`` (0-based) as an HTML
    table (labels escaped): padded cells, numbers right-aligned with a true minus
    sign, the ``selected`` column marked (class ``sel`` and a tint)."""
    pad = "padding:2px 10px;border:1px solid rgba(128,128,128,0.35)"

    def style(j: int | None, number: bool) -> str:
        align = ";text-align:right;font-variant-numeric:tabular-nums" if number else ""
        mark = f";{SELECTED_CELL}" if j is not None and j == selected else ""
        cls = ' class="sel"' if j is not None and j == selected else ""
        return f'{cls} style="{pad}{align}{mark}"'

    head = "".join(f"<th{style(j, False)}>{html.escape(c)}</th>" for j, c in enumerate(cols))

    def cells(values, name: str, digits: int) -> str:
        out = []
        for j, x in enumerate(values):
            text = signed(x, digits) if math.isfinite(x) else "masked"
            out.append(f'<td data-row="{name}" data-col="{j}"{style(j, True)}>{text}</td>')
        return "".join(out)

    return (  # a long sentence's table scrolls sideways inside the column
        '<div style="overflow-x:auto;max-width:100%">'
        f'<table class="inside-scores" data-step="{"" if step is None else step}" '
        'style="font-size:14px;border-collapse:collapse">'
        f"<tr><th{style(None, False)}></th>{head}</tr>"
        f"<tr><th{style(None, False)}>e<sub>tj</sub></th>{cells(scores, 'e', 4)}</tr>"
        f"<tr><th{style(None, False)}>\u03b1<sub>tj</sub></th>{cells(alphas, 'alpha', 4)}</tr>"
        "</table></div>"
    )


def order_rows(attention: str, score: str | None = None) -> list[tuple[str, str]]:
    """(LaTeX, what it does) for each computation of one step, in order; with ``score``
    (the model's score kind) Luong's score line is that score's formula."""
    if score is None or attention != "luong":
        return ORDER[attention]
    return [
        (SCORE_LATEX[score], what) if latex.startswith("e_{tj}") else (latex, what)
        for latex, what in ORDER[attention]
    ]


def work_size(source_len: int, target_len: int) -> str:
    """T_x x T_y = N: the scores one sentence needs (one per source piece per step)."""
    return (
        rf"T_x \times T_y = {source_len} \times {target_len} = {source_len * target_len}"
        r"\ \text{scores}"
    )


def _bucket_of(length: int, buckets: list[str]) -> str | None:
    """The card bucket ("11-20", "51+") a sentence of ``length`` words falls in."""
    for b in buckets:
        span = bucket_range(b)
        if span is not None and span[0] <= length <= span[1]:
            return b
    return None


def bottleneck_figure(cards: dict[str, dict], source_words: int) -> go.Figure | None:
    """BLEU by source length for every model of the pair (from the cards), the
    current sentence's length bucket marked."""
    fig = bleu_by_length_figure(cards)
    if fig is None:
        return None
    buckets = list(fig.layout.xaxis.categoryarray)
    bucket = _bucket_of(source_words, [html.unescape(b) for b in buckets])
    if bucket is not None:
        fig.add_vline(
            x=buckets.index(plotly_text(bucket)),
            line_dash="dash",
            line_color="#c0392b",
            annotation_text=f"this sentence: {source_words} words",
        )
    else:  # a length the figure does not show: none measured, or too few left off
        fig.add_annotation(
            xref="paper",
            yref="paper",
            x=1.0,
            y=1.0,
            xanchor="right",
            showarrow=False,
            font={"color": "#c0392b"},
            text=f"this sentence: {source_words} words, a length the figure does not show",
        )
    return fig


def contexts_figure(contexts: np.ndarray, rows: list[str], title: str) -> go.Figure:
    """c_t of every step as heat strips: constant without attention, changing with it."""
    return strips_figure([(f"c at {r}", c) for r, c in zip(rows, contexts)], title)


# -- the step view as HTML (no chart library: a click to this view draws at once) ------

RED, BLUE = (178, 24, 43), (33, 102, 172)


def diverging_rgb(values: np.ndarray, limit: float) -> np.ndarray:
    """White at 0, red for positive, blue for negative, full at |x| = limit (clipped);
    not-finite values white.  ... -> ... x 3 uint8"""
    x = np.asarray(values, dtype=np.float64)
    x = np.where(np.isfinite(x), x, 0.0)  # not finite: white
    f = np.minimum(np.abs(x) / limit, 1.0) if limit > 0 else np.zeros_like(x)
    end = np.where((x > 0)[..., None], np.array(RED, float), np.array(BLUE, float))
    return np.rint(255 + (end - 255) * f[..., None]).astype(np.uint8)


def diverging_colour(x: float, limit: float) -> str:
    """One value's colour of :func:`diverging_rgb`, as CSS."""
    r, g, b = (int(c) for c in diverging_rgb(np.array(x), limit))
    return f"rgb({r},{g},{b})"


def png_data_uri(rgb: np.ndarray) -> str:
    """An H x W x 3 uint8 image as a ``data:image/png`` URI (no image library needed)."""
    height, width, _ = rgb.shape
    raw = b"".join(b"\x00" + bytes(row) for row in np.ascontiguousarray(rgb, np.uint8))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def strips_data(
    strips: list[tuple[str, np.ndarray]],
    title: str = "",
    shared: bool = False,
    hover: bool | Collection[int] = True,
) -> dict:
    """Vectors as heat strips, one row each, as plain data for a page to draw.  Each row
    is coloured on its own scale centred on 0 (full colour at the row's largest |x|,
    written at its end), so a small vector still shows; with ``shared`` all rows on one
    scale, so a row's strength can be compared.

    A strip is one image (``png``: a data URI of its colours, ``cell`` pixels a value),
    and with ``hover`` (True, or the indices of the rows that have it) the row carries
    every value written out (``values``) for the page to show under the mouse: a few
    elements per row instead of one per value, which keeps a 256-wide model's view
    light to send and to draw.  Labels are plain text, for the page to escape."""
    width = max(len(v) for _, v in strips)
    every = np.concatenate([np.abs(v[np.isfinite(v)]) for _, v in strips])
    common = float(every.max()) if every.size else 0.0
    cell = max(2, min(12, 640 // max(width, 1)))
    rows = []
    for r, (name, v) in enumerate(strips):
        v = np.asarray(v, dtype=np.float64)
        finite = np.abs(v[np.isfinite(v)])
        limit = float(finite.max()) if finite.size else 0.0
        colours = diverging_rgb(v, common if shared else limit)[None, :, :]  # 1 x W x 3
        tips = hover is True or (hover is not False and r in hover)
        rows.append({
            "label": name,
            "png": png_data_uri(colours),
            "cell": cell,
            "width": cell * len(v),
            "values": [f"{x:.6f}" for x in v.tolist()] if tips else None,
            "note": f"{len(v)} values, max |x| {limit:.3f}",
        })  # fmt: skip
    where = f"all rows at |x| = {common:.3f}" if shared else "each row at its own largest |x|"
    tip = "; hover a cell for its value" if hover is True else ""
    if hover is not True and hover:
        tip = "; hover a cell of " + ", ".join(strips[r][0] for r in hover) + " for its value"
    scale = f"red: positive, blue: negative, full colour for {where}{tip}"
    data = {"title": title, "rows": rows, "scale": scale}
    data["signature"] = signature(data)
    return data


def strips_html(data: dict) -> str:
    """:func:`strips_data` as static HTML (escaped labels), each value a tooltip of an
    image-map area: for pages without the app's strip component (an export, a test)."""
    rows = []
    for r, row in enumerate(data["rows"]):
        label = html.escape(row["label"])
        image = (
            f'<img class="strip" src="{row["png"]}" alt="{label}" width="{row["width"]}" '
            'height="16" style="image-rendering:pixelated;display:block;max-width:none"'
        )
        if row["values"] is not None:
            name_attr = f"strip-{data['signature']}-{r}"
            cell = row["cell"]
            areas = "".join(
                f'<area coords="{i * cell},0,{(i + 1) * cell},16" title="{label}[{i + 1}] = {x}">'
                for i, x in enumerate(row["values"])
            )
            image += f' usemap="#{name_attr}"><map name="{name_attr}">{areas}</map>'
        else:
            image += ">"
        rows.append(
            f'<tr><td style="text-align:right;padding:0 8px;white-space:nowrap">{label}</td>'
            f'<td>{image}</td><td style="padding:0 8px;opacity:0.7;white-space:nowrap">'
            f"{html.escape(row['note'])}</td></tr>"
        )
    title = data["title"]
    head = f'<div style="font-weight:600">{html.escape(title)}</div>' if title else ""
    scale = f'<div style="opacity:0.7;font-size:13px">{html.escape(data["scale"])}</div>'
    return (
        f'<div class="inside-strips" style="font-size:14px">{head}'
        f'<table style="border:none">{"".join(rows)}</table>{scale}</div>'
    )


def score_bars_html(
    cols: list[str], scores: np.ndarray, alphas: np.ndarray, selected: int | None = None
) -> str:
    """Every source piece's score e (a bar either side of 0) beside its weight alpha,
    with the sum of the weights stated."""
    finite = scores[np.isfinite(scores)]
    limit = float(np.abs(finite).max()) if finite.size else 1.0
    rows = []
    for j, (c, e, a) in enumerate(zip(cols, scores, alphas)):
        bold = "font-weight:700;" if j == selected else ""
        if math.isfinite(e):
            half = 50 * abs(e) / limit if limit else 0
            side = "left:50%" if e >= 0 else f"left:{50 - half:.1f}%"
            colour = "#c0392b" if e >= 0 else "#2166ac"
            bar = (
                f'<div style="position:absolute;{side};width:{half:.1f}%;top:2px;'
                f'height:12px;background:{colour}"></div>'
            )
            value = signed(e, 4)
        else:
            bar, value = "", "masked"
        rows.append(
            f'<tr style="{bold}"><td style="text-align:right;padding:0 6px;white-space:nowrap">'
            f"{html.escape(c)}</td>"
            f'<td style="width:40%;position:relative;border-left:none">'
            f'<div style="position:absolute;left:50%;top:0;bottom:0;border-left:1px solid #999">'
            f"</div>{bar}</td>"
            f'<td style="padding:0 6px;font-variant-numeric:tabular-nums">{value}</td>'
            f'<td style="width:40%"><div style="width:{100 * float(a):.1f}%;min-width:1px;'
            f'height:12px;background:#1f77b4"></div></td>'
            f'<td style="padding:0 6px;font-variant-numeric:tabular-nums">{float(a):.4f}</td></tr>'
        )
    head = (
        "<tr><th></th><th>score e<sub>tj</sub> (any real number; 0 in the middle)</th><th></th>"
        f"<th>\u03b1<sub>tj</sub> = softmax (sum = {float(np.sum(alphas)):.3f})</th><th></th></tr>"
    )
    return (
        '<table class="inside-bars" style="width:100%;border:none;font-size:14px">'
        f"{head}{''.join(rows)}</table>"
    )


def word_row_note(
    pieces: list[str], words: list[str], piece_to_word: list[int], t: int
) -> str | None:
    """Plain text: at the explorer's words level the row of a word of several pieces is
    the mean of its pieces' rows, while this view takes one piece, output step ``t``
    (0-based), apart.  None when t's word is one piece (the rows are the same)."""
    group = next((g for g in word_groups(piece_to_word) if t in g), [t])
    if len(group) < 2:
        return None
    word = words[piece_to_word[t]]
    return (
        f"In the Explorer (words) the row of \u201c{word}\u201d is the mean of its "
        f"{len(group)} pieces' rows; this is piece {group.index(t) + 1} of {len(group)}, "
        f"{piece_label(pieces[t])}, with its own \u03b1. The others: "
        + ", ".join(f"t = {i + 1} ({piece_label(pieces[i])})" for i in group if i != t)
        + ", under Output step t."
    )
