"""Pure view functions: word-level matrices, chart selections, escaping."""

from __future__ import annotations

import numpy as np
import pytest

from models.trace import DecodeTrace, HypothesisTrace, Sequence
from viz.heatmap import heatmap_figure, selection_to_row
from viz.highlight import escape_markdown, highlight_html
from viz.matrix import attention_view, unique_labels


def make_trace() -> DecodeTrace:
    # source: "un|believ|able cat </s>" (words 0, 0, 0, 1, -1)
    source = Sequence(
        ["▁un", "believ", "able", "▁cat", "</s>"],
        ["unbelievable", "cat"],
        [0, 0, 0, 1, -1],
        [5, 6, 7, 8, 3],
        "unbelievable cat",
    )
    alphas = np.array(
        [
            [0.1, 0.2, 0.3, 0.4, 0.0],  # "▁unglaub"
            [0.3, 0.3, 0.0, 0.2, 0.2],  # "lich"
            [0.0, 0.0, 0.0, 1.0, 0.0],  # "▁Katze"
            [0.0, 0.0, 0.0, 0.0, 1.0],  # "</s>"
        ]
    )
    hyp = HypothesisTrace(
        ["▁unglaub", "lich", "▁Katze", "</s>"],
        ["unglaublich", "Katze"],
        [0, 0, 1, -1],
        [9, 10, 11, 3],
        "unglaublich Katze",
        alphas=alphas,
    )
    return DecodeTrace("m", "bahdanau", "additive", "greedy", source, [hyp], {})


def test_word_level_sums_source_pieces_and_averages_target_pieces():
    view = attention_view(make_trace(), level="words")
    assert view.rows == ["unglaublich", "Katze", "</s>"]
    assert view.cols == ["unbelievable", "cat", "</s>"]
    np.testing.assert_allclose(view.z[0], [(0.6 + 0.6) / 2, (0.4 + 0.2) / 2, (0 + 0.2) / 2])
    np.testing.assert_allclose(view.z.sum(1), 1.0)  # rows stay distributions
    assert view.row_words == [0, 1, -1] and view.col_words == [0, 1, -1]


def test_piece_level_is_the_raw_matrix():
    view = attention_view(make_trace(), level="pieces")
    assert view.z.shape == (4, 5) and view.rows[0] == "·unglaub"


def test_no_attention_is_refused():
    trace = make_trace()
    trace.hypotheses[0].alphas = None
    with pytest.raises(ValueError, match="no attention"):
        attention_view(trace)


@pytest.mark.parametrize(
    "selection, row",
    [
        ({"selection": {"points": [{"customdata": [3, 1], "point_index": 7}]}}, 3),
        ({"selection": {"points": [{"customdata": {"0": 2, "1": 0}}]}}, 2),
        ({"selection": {"points": [{"customdata": [5, -1]}]}}, 5),  # a target word label
        ({"selection": {"points": []}}, None),  # a second click: keep the last choice
        ({"selection": {"points": [{"x": 1, "y": 2}]}}, None),  # no customdata: the heatmap
        ({}, None),
        (None, None),
    ],
)
def test_selection_to_row(selection, row):
    assert selection_to_row(selection) == row


def test_figure_escapes_labels_and_carries_cell_ids():
    trace = make_trace()
    trace.source.words[1] = "<b>cat</b>"
    view = attention_view(trace)
    fig = heatmap_figure(view, selected=1)
    assert "&lt;b&gt;cat&lt;/b&gt;" in fig.layout.xaxis.ticktext
    cells = fig.data[1]
    assert len(cells.customdata) == view.z.size
    assert list(cells.customdata[4]) == [1, 1]
    assert len(fig.layout.shapes) == 1  # the selected row is outlined


def test_repeated_labels_stay_distinct():
    labels = unique_labels(["der", "katze", "der"])
    assert len(set(labels)) == 3 and labels[2].startswith("der")


def test_highlight_escapes_words():
    html = highlight_html(["<img src=x onerror=alert(1)>", "a&b"], [0.5, 1.0], "<i>x</i>")
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "a&amp;b" in html and "&lt;i&gt;" in html


def test_markdown_is_escaped():
    assert escape_markdown("**x** [a](b)") == r"\*\*x\*\* \[a\]\(b\)"
