"""The beam as a tree: x = decoding step, y = rank at the step.

A step holds its live hypotheses (at most the beam size) and those that ended there,
ranked together by log p: so a step can hold more nodes than the beam size.  A long
search shows VISIBLE_STEPS steps at a time, with a range slider under the tree to move
along it, so that every node keeps room for its label.
"""

from __future__ import annotations

import plotly.graph_objects as go

from models.trace import DecodeTrace

from .inside import signed
from .labels import FONT, PLOT_BACKGROUND, plotly_text
from .matrix import END, clip_label
from .pieces import piece_label

VISIBLE_STEPS = 14  # steps shown at once; a longer search scrolls
STEP_PX = 70  # the width of a step
NODE_LABEL_CHARS = 9  # a node's piece is cut to this on the tree (whole on hover)


def _parent_index(trace: DecodeTrace, t: int, slot: int) -> int:
    """Index, among step t's nodes, of the live node in beam slot ``slot``."""
    return next(i for i, n in enumerate(trace.beam_steps[t]) if n.slot == slot)


def _best_path(trace: DecodeTrace, hyp: int) -> set[tuple[int, int]]:
    """(step, node index) of every node on the chosen hypothesis' path."""
    node = trace.hypotheses[hyp].beam_node
    if node is None:
        return set()
    t, index = node
    path = {(t, index)}
    parent = trace.beam_steps[t][index].parent
    while t > 0:
        t -= 1
        index = _parent_index(trace, t, parent)
        path.add((t, index))
        parent = trace.beam_steps[t][index].parent
    return path


def beam_tree_figure(trace: DecodeTrace, hyp: int = 0) -> go.Figure:
    """Nodes are labelled with their piece (cut to NODE_LABEL_CHARS, whole on hover
    with its log p); a node that ended with </s> is a square, one stopped by the
    length limit a diamond; the path of hypothesis ``hyp`` is drawn in red.  Beyond
    VISIBLE_STEPS steps the x axis shows the first VISIBLE_STEPS, with a range slider."""
    path = _best_path(trace, hyp)
    steps = len(trace.beam_steps)
    edge_x, edge_y, path_x, path_y = [], [], [], []
    xs, ys, labels, hovers, symbols, colours = [], [], [], [], [], []
    for t, nodes in enumerate(trace.beam_steps):
        for index, node in enumerate(nodes):
            xs.append(t)
            ys.append(index)
            labels.append(plotly_text(clip_label(piece_label(node.piece), NODE_LABEL_CHARS)))
            hovers.append(
                f"{plotly_text(piece_label(node.piece))}  log p = {signed(node.score, 3)}"
            )
            symbols.append(_symbol(node))
            colours.append("#c0392b" if (t, index) in path else "#1f77b4")
            if t > 0:
                parent = _parent_index(trace, t - 1, node.parent)
                on_path = (t, index) in path and (t - 1, parent) in path
                (path_x if on_path else edge_x).extend([t - 1, t, None])
                (path_y if on_path else edge_y).extend([parent, index, None])
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=edge_x,
            y=edge_y,
            mode="lines",
            hoverinfo="skip",
            line={"color": "#bbb", "width": 1},
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=path_x,
            y=path_y,
            mode="lines",
            hoverinfo="skip",
            line={"color": "#c0392b", "width": 3},
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            text=labels,
            textposition="top center",
            hovertext=hovers,
            hoverinfo="text",
            showlegend=False,
            marker={"size": 10, "symbol": symbols, "color": colours},
        )
    )
    shown = min(steps, VISIBLE_STEPS)
    scrolls = steps > VISIBLE_STEPS
    ranks = max((len(n) for n in trace.beam_steps), default=1)
    height = max(260, 46 * ranks + 80) + (70 if scrolls else 0)
    xaxis = {
        "title": {"text": f"step ({steps} in all: drag the window above)" if scrolls else "step"},
        "dtick": 1,
        "zeroline": False,
        "range": [-0.5, shown - 0.5],
    }
    if scrolls:
        xaxis["rangeslider"] = {"visible": True, "thickness": 0.12}
    fig.update_layout(
        font=FONT,
        width=max(500, STEP_PX * shown + 60),
        height=height,
        margin={"l": 50, "r": 10, "t": 20, "b": 40},
        xaxis=xaxis,
        # reversed, rank 0 on top, with room above it for the top row's labels
        yaxis={
            "title": {"text": "rank at the step"},
            "range": [ranks - 0.5, -0.9],
            "dtick": 1,
            "zeroline": False,
            "fixedrange": True,
        },
        dragmode="pan",
        plot_bgcolor=PLOT_BACKGROUND,
    )
    return fig


def _symbol(node) -> str:
    """A square ends with </s>, a diamond was stopped by the length limit, a circle
    lives on."""
    if not node.finished:
        return "circle"
    return "square" if node.piece == END else "diamond"
