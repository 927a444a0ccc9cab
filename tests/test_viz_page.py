"""Pure figure and export functions of the page's views: escaping, scales, rounding."""

from __future__ import annotations

import json

import numpy as np

from tests.test_viz import make_trace
from viz.matrix import AttentionView, attention_view

MARKUP = ["<b>bold</b>", "a&b", "</s>"]


def strings(node):
    """Every string inside a figure's JSON."""
    if isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from strings(value)
    elif isinstance(node, str):
        yield node


def raw_markup(fig) -> list[str]:
    """Strings of a figure that Plotly would read as markup (the figures' own tags aside)."""
    own = ('<span style="color:#c0392b"><b>', "</b></span>", "<extra></extra>")
    return [
        s
        for s in (_drop(t, own) for t in strings(fig.to_plotly_json()))
        if "<" in s.replace("<extra></extra>", "")
        or ("&" in s and "&lt;" not in s and "&amp;" not in s)
    ]


def _drop(text: str, parts) -> str:
    for part in parts:
        text = text.replace(part, "")
    return text


def markup_view() -> AttentionView:
    z = np.full((3, 3), 1 / 3)
    return AttentionView(z, list(MARKUP), list(MARKUP), [0, 1, -1], [0, 1, -1])


def test_plotly_text_escapes_the_three_markup_characters():
    from viz.labels import plotly_text

    assert plotly_text("α(</s>)") == "α(&lt;/s&gt;)"
    assert plotly_text("Tom & Jerry") == "Tom &amp; Jerry"
    assert plotly_text('say "hi"') == 'say "hi"'  # quotes are not markup in a label


def test_every_figure_escapes_its_labels():
    from viz.bars import bar_figure, entropy_figure
    from viz.compare import difference_figure, js_figure
    from viz.corpus import bleu_by_length_figure
    from viz.gold import gold_figure
    from viz.heatmap import heatmap_figure

    view = markup_view()
    bars = bar_figure(MARKUP, [0.1, 0.2, 0.3], "mass on </s>", "α(</s>)")
    assert bars.layout.yaxis.title.text == "α(&lt;/s&gt;)"
    assert bars.layout.title.text == "mass on &lt;/s&gt;"
    card = {"test": {"by_length": [{"bucket": "<10", "n": 30, "bleu": 9.0}]}}
    figures = {
        "bars": bars,
        "entropy": entropy_figure(MARKUP, view.z),
        "difference": difference_figure(view, view, "<A>", "B&B"),
        "js": js_figure(MARKUP, np.zeros(3)),
        "corpus": bleu_by_length_figure({"<m>": card}),
        "gold": gold_figure(view, {(0, 1)}),
        "heatmap": heatmap_figure(view, 0, "<i>title</i>"),
    }
    for name, fig in figures.items():
        assert raw_markup(fig) == [], name
        assert fig.layout.font.size >= 13, name  # legible: no text below 13 px


def test_entropy_figure_shows_the_maximum_of_its_scale():
    from viz.bars import entropy_figure
    from viz.diagnostics import max_entropy

    z = np.array([[0.2] * 5, [1.0, 0, 0, 0, 0]])
    fig = entropy_figure(["a", "b"], z)
    np.testing.assert_allclose(fig.data[0].y, [np.log2(5), 0.0], atol=1e-9)
    line = fig.layout.shapes[0]
    assert line.y0 == line.y1 == max_entropy(5) == np.log2(5)
    assert "max 2.32" in fig.layout.title.text
    assert fig.layout.annotations[0].text == "max log2(5) = 2.32"
    assert fig.layout.yaxis.range[1] > np.log2(5)  # the line is inside the plot
    assert " of 2.32 bits" in fig.data[0].hovertemplate
    assert max_entropy(1) == 0.0 and max_entropy(0) == 0.0


def test_bleu_by_length_has_one_line_per_evaluated_card():
    from viz.corpus import bleu_by_length_figure, long_set_note

    rows = [{"bucket": "1-10", "n": 50, "bleu": 20.0}, {"bucket": "11-20", "n": 0, "bleu": None}]
    fig = bleu_by_length_figure({"b": {"test": {"by_length": rows}}, "a": {"test": {}}})
    assert len(fig.data) == 1 and list(fig.data[0].x) == ["1-10"] and fig.data[0].name == "b"
    assert list(fig.data[0].customdata) == [50]  # the hover says how many sentences
    assert "%{customdata} test sentences" in fig.data[0].hovertemplate
    assert bleu_by_length_figure({"a": {}}) is None
    # a card's long-sentence set: a dashed line in the model's colour, the axis in order
    long = {"corpus": "en-fr-bible", "greedy": {"by_length": [
        {"bucket": "31-40", "n": 70, "bleu": 5.0}, {"bucket": "11-20", "n": 90, "bleu": 8.0},
    ]}}  # fmt: skip
    fig = bleu_by_length_figure({"b": {"test": {"by_length": rows}, "long": long}})
    solid, dashed = fig.data
    assert dashed.name == "b, long sentences (en-fr-bible)" and dashed.line.dash == "dash"
    assert dashed.line.color == solid.line.color and dashed.legendgroup == solid.legendgroup
    assert "over %{customdata} long sentences (en-fr-bible)" in dashed.hovertemplate
    assert list(fig.layout.xaxis.categoryarray) == ["1-10", "11-20", "31-40"]
    assert "another domain" in long_set_note(fig)
    assert long_set_note(bleu_by_length_figure({"b": {"test": {"by_length": rows}}})) == ""


def test_bleu_by_length_leaves_off_buckets_of_few_sentences_and_says_so():
    """en-fr's test split has 2 sentences of 21-30 words: their BLEU drew every line
    down to 5 at that length, the opposite of Fig. 2, with only the hover to tell."""
    from viz.corpus import MIN_BUCKET_SENTENCES, bleu_by_length_figure, length_figure_note

    few = MIN_BUCKET_SENTENCES - 1
    rows = [
        {"bucket": "1-10", "n": 1800, "bleu": 35.3},
        {"bucket": "11-20", "n": MIN_BUCKET_SENTENCES, "bleu": 26.7},
        {"bucket": "21-30", "n": 2, "bleu": 5.1},
    ]
    long = {"corpus": "en-fr-bible", "greedy": {"by_length": [
        {"bucket": "41-50", "n": few, "bleu": 3.0}, {"bucket": "31-40", "n": 118, "bleu": 6.0},
    ]}}  # fmt: skip
    cards = {"a": {"test": {"by_length": rows}}, "b": {"test": {"by_length": rows}, "long": long}}
    fig = bleu_by_length_figure(cards)
    assert [list(t.x) for t in fig.data] == [["1-10", "11-20"]] * 2 + [["31-40"]]
    assert list(fig.layout.xaxis.categoryarray) == ["1-10", "11-20", "31-40"]
    # the legend at the figure's foot, one entry a model (beside the plot, on a phone,
    # it squeezed the plot to 30 px; below it, ten entries were cut), room kept for it
    legend = fig.layout.legend
    assert legend.orientation == "h" and legend.yref == "container" and legend.y == 0
    assert [t.name for t in fig.data if t.showlegend is not False] == ["a", "b"]
    assert fig.layout.margin.b >= 56 + 22  # the axis title, then a line of legend
    assert "(en-fr-bible)" in length_figure_note(fig)  # the dashed lines' set, named
    note = length_figure_note(fig)
    assert (  # which lines: the solid test lines go on past 21-30 as dashed ones
        "Left off: 21-30 words on the solid lines (2 test sentences), 41-50 words on the "
        f"dashed lines ({few} long sentences)"
    ) in note
    assert f"fewer than {MIN_BUCKET_SENTENCES} sentences" in note
    assert note.startswith("Dashed:")  # the dashed lines' note first
    assert "Left off" not in length_figure_note(bleu_by_length_figure({"a": cards["a"]} | {
        "a": {"test": {"by_length": rows[:2]}}}))  # fmt: skip


def test_gold_figure_marks_the_cells_of_the_gold_links():
    from viz.gold import gold_figure
    from viz.links import link_cells

    view = attention_view(make_trace(), level="words")  # rows/cols: 2 words and </s>
    gold = {(1, 0), (0, 1), (5, 0)}  # (target word, source word); word 5 is not there
    assert link_cells(view, gold) == [(0, 1), (1, 0)]
    marks = [t for t in gold_figure(view, gold).data if t.name == "gold"]
    assert len(marks) == 1 and list(marks[0].x) == [1, 0] and list(marks[0].y) == [0, 1]
    assert not [t for t in gold_figure(view, set()).data if t.name == "gold"]


def test_exports_round_float32_weights_to_six_decimals():
    from viz.export import matrix_csv, matrix_json, rounded, trace_json

    trace = make_trace()
    trace.hypotheses[0].alphas = trace.best.alphas.astype(np.float32)
    trace.hypotheses[0].alphas[0] = [0.414756, 0.1, 0.2, 0.285244, 0.0]
    view = attention_view(trace, level="pieces")
    assert view.z.dtype == np.float32  # the noise comes from here
    for text in (matrix_csv(view), matrix_json(view), trace_json(trace)):
        assert "0.414756" in text and "0.4147560" not in text
    data = json.loads(matrix_json(view))
    assert data["alphas"][0][0] == 0.414756 and data["rows"][0] == "·unglaub"
    assert json.loads(trace_json(trace))["hypotheses"][0]["alphas"][0][0] == 0.414756
    assert rounded({"x": [np.float32(1 / 3), float("nan"), np.int64(2), True]}) == {
        "x": [0.333333, None, 2, True]
    }


def test_pieces_are_shown_readably_and_a_lone_word_start_is_never_a_word():
    from viz.pieces import PIECE_LEGEND, describe_piece, piece_label, piece_role
    from viz.steps import candidates_table

    assert piece_label("\u2581Haus") == "·Haus" and piece_label("haus") == "haus"
    assert piece_label("\u2581") == "␣" and "␣" in PIECE_LEGEND and "·Haus" in PIECE_LEGEND
    assert (
        describe_piece("\u2581") == "␣ (a word start on its own: the next piece begins a new word)"
    )
    assert piece_role("</s>") == "the end of the sentence"
    assert piece_role("lich") == "the continuation of the word before it"
    trace = make_trace()
    trace.hypotheses[0].candidates = [[("\u2581", 0.6), ("\u2581Katze", 0.3)]] * 4
    assert list(candidates_table(trace, 0)["piece"]) == ["␣", "·Katze"]


def test_plotly_heatmap_labels_are_never_below_13_px():
    from viz.heatmap import heatmap_figure, layout_sizes

    for n_cols in (3, 12, 40, 120):
        view = AttentionView(
            np.full((4, n_cols), 1 / n_cols),
            list("abcd"),
            ["w"] * n_cols,
            [0, 1, 2, 3],
            list(range(n_cols)),
        )
        fig = heatmap_figure(view)
        assert fig.layout.xaxis.tickfont.size >= 13
        assert fig.layout.yaxis.tickfont.size >= 13 and fig.layout.yaxis.automargin  # targets
        size = layout_sizes(4, n_cols, 1)
        assert size["cell_h"] >= 20 and size["cell_w"] >= 16


def test_piece_level_rows_show_a_lone_word_start_as_a_space_mark():
    trace = make_trace()
    trace.hypotheses[0].pieces[2] = "\u2581"  # "▁" then (say) "Ü..." in the next piece
    view = attention_view(trace, level="pieces")
    assert view.rows[2] == "␣" and view.rows[0] == "·unglaub"


def test_the_page_figure_and_export_modules_import_without_torch():
    import subprocess
    import sys
    from pathlib import Path

    modules = (
        "viz.gold, viz.corpus, viz.export, viz.pieces, viz.labels, viz.bars, viz.svg, "
        "models.unknown"
    )
    code = f"import sys, {modules}; print('torch' in sys.modules)"
    root = Path(__file__).resolve().parents[1]
    run = [sys.executable, "-c", code]
    out = subprocess.run(run, cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_plotly_heatmap_rows_are_axis_labels_with_the_selected_one_marked():
    from viz.heatmap import heatmap_figure

    view = markup_view()
    fig = heatmap_figure(view, selected=1)
    ticks = list(fig.layout.yaxis.ticktext)
    assert ticks[0] == "&lt;b&gt;bold&lt;/b&gt;" and ticks[2] == "&lt;/s&gt;"
    assert ticks[1] == '<span style="color:#c0392b"><b>a&amp;b</b></span>'
    assert list(fig.layout.yaxis.tickvals) == [0, 1, 2]


def test_a_long_beam_tree_scrolls_and_keeps_every_label():
    from models.trace import BeamStepNode
    from viz.beamtree import NODE_LABEL_CHARS, VISIBLE_STEPS, beam_tree_figure

    def tree(steps: int):
        trace = make_trace()
        trace.beam_steps = [
            [
                BeamStepNode("\u2581a", 5, 0, -1.0, False, 0),
                BeamStepNode("environnement", 6, 0, -2.0, False, 1),
            ]
            for _ in range(steps)
        ]
        trace.hypotheses[0].beam_node = (steps - 1, 0)
        return beam_tree_figure(trace, hyp=0)

    short, long = tree(VISIBLE_STEPS), tree(VISIBLE_STEPS + 33)
    cut = "environnement"[: NODE_LABEL_CHARS - 1] + "\u2026"
    for fig, steps in ((short, VISIBLE_STEPS), (long, VISIBLE_STEPS + 33)):
        nodes = fig.data[2]
        assert list(nodes.text) == ["·a", cut] * steps  # every node labelled, long ones cut
        assert nodes.hovertext[1].startswith("environnement  log p = \u22122.000")  # whole on hover
        assert tuple(fig.layout.xaxis.range) == (-0.5, VISIBLE_STEPS - 0.5)
    # a long search keeps a short one's width and scrolls along its steps with a slider
    assert long.layout.width == short.layout.width
    assert long.layout.xaxis.rangeslider.visible and not short.layout.xaxis.rangeslider.visible
    assert str(VISIBLE_STEPS + 33) in long.layout.xaxis.title.text


def test_the_standalone_svg_heatmap_draws_every_cell_escapes_labels_and_outlines_marks():
    import xml.etree.ElementTree as ET

    import pytest

    from viz.grid import heatmap_grid
    from viz.svg import CELL, heatmap_svg

    view = markup_view()
    view.z[2, 1] = np.nan  # a row not decoded yet
    grid = heatmap_grid(view, "a <title> & more")
    root = ET.fromstring(heatmap_svg(grid, marks=[(1, 0), (1, 0), (2, 2)]))
    ns = "{http://www.w3.org/2000/svg}"
    cells = [r for r in root.iter(f"{ns}rect") if r.get("class") == "cell"]
    assert len(cells) == 9
    fills = [c.get("fill") for c in cells]
    expected = [col for row in grid["colours"] for col in row]
    expected[7] = "#ffffff"  # the NaN cell is blank
    assert fills == expected
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert texts.count("<b>bold</b>") == 2 and texts.count("a&b") == 2
    assert "a <title> & more" in texts
    assert not [e for e in root.iter() if e.tag in (f"{ns}b", "b", f"{ns}script")]
    tips = [c.find(f"{ns}title").text for c in cells]
    assert tips[1] == "<b>bold</b> <- a&b: 0.33" and tips[7].endswith("not decoded")
    marks = [r for r in root.iter(f"{ns}rect") if r.get("class") == "mark"]
    assert len(marks) == 2  # the repeated mark is drawn once
    first = cells[3]  # row 1, column 0
    assert float(marks[0].get("x")) == float(first.get("x")) + 1
    assert float(marks[0].get("y")) == float(first.get("y")) + 1
    assert float(first.get("width")) == CELL
    with pytest.raises(ValueError, match="outside"):
        heatmap_svg(grid, marks=[(3, 0)])
    title = "a title much wider than three cells " * 3  # the drawing widens to hold it
    long = heatmap_svg({**grid, "title": title})
    assert float(ET.fromstring(long).get("width")) > len(title) * 7
