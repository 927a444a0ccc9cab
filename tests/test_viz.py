"""Pure view functions: word-level matrices, figures, escaping."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from models.trace import DecodeTrace, HypothesisTrace, Sequence
from viz.heatmap import heatmap_figure
from viz.highlight import escape_markdown, highlight_html
from viz.matrix import PILL_CHARS, AttentionView, attention_view, clip_label, unique_labels


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


def test_figure_escapes_labels_and_hovers_each_cell():
    trace = make_trace()
    trace.source.words[1] = "<b>cat</b>"
    view = attention_view(trace)
    fig = heatmap_figure(view, selected=1)
    assert "&lt;b&gt;cat&lt;/b&gt;" in fig.layout.xaxis.ticktext
    (cells,) = fig.data  # the heatmap alone: no layer of markers over it
    assert np.asarray(cells.text).shape == view.z.shape
    assert cells.text[1][1] == f"{view.rows[1]} \u2190 &lt;b&gt;cat&lt;/b&gt;: {view.z[1, 1]:.3f}"
    assert len(fig.layout.shapes) == 1  # the selected row is outlined


def test_repeated_labels_stay_distinct():
    labels = unique_labels(["der", "katze", "der"])
    assert len(set(labels)) == 3 and labels[2].startswith("der")
    # a very long word is cut for its button, and two cut alike stay distinct
    long = ["a" * 300, "a" * 301, "lights"]
    shown = unique_labels([clip_label(w) for w in long])
    assert [len(w) for w in shown] == [PILL_CHARS, PILL_CHARS + 1, 6]
    assert shown[0] == "a" * (PILL_CHARS - 1) + "\u2026" and len(set(shown)) == 3


@pytest.mark.parametrize("label", ["मिठाइयाँ", "क्षमा करें", "मुझे चाय पसंद है ☕😊", "नमस्ते दुनिया"])
def test_a_cut_label_keeps_whole_letters(label: str):
    """A cut never parts a consonant from its vowel sign (``म|ि`` would read as another
    syllable) and never leaves a dangling virama (``क्|ष``), at any width, and the
    label is never longer than asked."""
    for limit in range(1, len(label) + 2):
        clipped = clip_label(label, limit)
        assert len(clipped) <= limit
        if clipped == label:
            continue
        kept = clipped.removesuffix("\u2026")
        assert label.startswith(kept) and clipped.endswith("\u2026")
        after = label[len(kept)]
        assert not unicodedata.category(after).startswith("M"), (limit, clipped)
        assert not kept or unicodedata.combining(kept[-1]) != 9, (limit, clipped)
    assert clip_label("मिठाइयाँ", 2) == "\u2026"  # never "म…"
    assert clip_label("मिठाइयाँ", 3) == "मि\u2026"


def test_a_long_title_is_cut_between_letters():
    from viz.labels import fit_title

    title = "α: " + "मिठाइयाँ " * 10
    for width in range(0, 900, 9):
        fitted = fit_title(title, width)
        kept = fitted.removesuffix("\u2026")
        assert title.startswith(kept)
        if kept != title:
            assert not unicodedata.category(title[len(kept)]).startswith("M"), width


def test_highlight_escapes_words():
    html = highlight_html(["<img src=x onerror=alert(1)>", "a&b"], [0.5, 1.0], "<i>x</i>")
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "a&amp;b" in html and "&lt;i&gt;" in html


def test_markdown_is_escaped():
    assert escape_markdown("**x** [a](b)") == r"\*\*x\*\* \[a\]\(b\)"


def test_diagnostics_numbers():
    from viz.diagnostics import argmax_agreement, coverage, js_divergence, row_entropy

    z = np.array([[1.0, 0.0], [0.5, 0.5]])
    np.testing.assert_allclose(row_entropy(z), [0.0, 1.0], atol=1e-9)
    np.testing.assert_allclose(coverage(z), [1.5, 0.5])
    q = np.array([[0.0, 1.0], [0.5, 0.5]])
    np.testing.assert_allclose(js_divergence(z, q), [1.0, 0.0], atol=1e-9)
    assert argmax_agreement(z, q) == 0.5


def test_links_parse_argmax_and_scores():
    from viz.links import alignment_scores, argmax_links, parse_links, to_pharaoh

    links, problems = parse_links("0-0 1-1 oops 5-0", n_source=2, n_target=2)
    assert links == {(0, 0), (1, 1)} and len(problems) == 2
    view = attention_view(make_trace())
    predicted = argmax_links(view)  # </s> row and column take no part
    assert predicted == {(0, 0), (1, 1)}
    assert to_pharaoh({(1, 0), (0, 1)}) == "0-1 1-0"
    assert alignment_scores(predicted, {(0, 0)}) == {
        "aer": 1 - 2 / 3,
        "precision": 0.5,
        "recall": 1.0,
    }


def test_step_helpers():
    from viz.steps import NOT_YET, candidates_table, filled_rows, partial_output, view_at_step

    trace = make_trace()
    trace.hypotheses[0].candidates = [[("▁unglaub", 0.7), ("▁toll", 0.2)]] * 4
    assert partial_output(trace, 1) == "unglaub"
    assert partial_output(trace, 2) == "unglaublich"
    assert partial_output(trace, 4) == "unglaublich Katze"
    table = candidates_table(trace, 0)
    assert list(table["chosen"]) == [True, False]
    z = filled_rows(trace.best.alphas, 1)
    assert np.isnan(z[2:]).all() and not np.isnan(z[:2]).any()
    view = attention_view(trace, 0, "pieces")
    at = view_at_step(view, 1)  # the pieces after step 1 are not chosen yet: not shown
    assert at.rows == [*view.rows[:2], NOT_YET, NOT_YET] and np.isnan(at.z[2:]).all()
    assert view.rows[2] != NOT_YET and not np.isnan(view.z).any()  # the view itself unchanged


def test_difference_of_views():
    from viz.compare import compare_views, difference_figure

    a = attention_view(make_trace())
    b = attention_view(make_trace())
    b.z = b.z[:, ::-1].copy()
    stats = compare_views(a, b)
    assert stats["js"].shape == (3,) and 0 <= stats["agreement"] <= 1
    same = (a.z.argmax(axis=1) == b.z.argmax(axis=1)).sum()
    assert (stats["agreed"], stats["rows"]) == (same, 3)
    assert stats["agreement"] == same / 3
    fig = difference_figure(a, b, "<A>", "B")
    np.testing.assert_allclose(fig.data[0].z, a.z - b.z)
    assert "&lt;A&gt;" in fig.layout.title.text
    # the title has its own band at the top; the turned column labels get the rest of the
    # top margin, more for longer words
    from dataclasses import replace

    from viz.labels import TITLE_PX

    assert (fig.layout.title.yref, fig.layout.title.y, fig.layout.title.yanchor) == (
        "container",
        1.0,
        "top",
    )
    long_a = replace(a, cols=["agreement" * 2] + a.cols[1:])
    long_fig = difference_figure(long_a, b, "A", "B")
    labels_px = long_fig.layout.margin.t - TITLE_PX
    assert labels_px > fig.layout.margin.t - TITLE_PX
    assert labels_px >= 0.5 * 13 * len("agreement" * 2) * 0.87  # 18 characters at 13 px


def test_beam_tree_draws_every_node_and_the_chosen_path(trained):
    from models.engine import DecodeSettings
    from viz.beamtree import beam_tree_figure

    translator, _ = trained["bahdanau-additive"]
    trace = translator.translate("the old teacher helps the small child .", DecodeSettings(beam=3))
    fig = beam_tree_figure(trace, hyp=1)
    nodes = fig.data[2]
    assert len(nodes.x) == sum(len(step) for step in trace.beam_steps)
    path_edges = [x for x in fig.data[1].x if x is not None]
    assert len(path_edges) == 2 * (len(trace.hypotheses[1].ids) - 1)
    assert list(nodes.marker.color).count("#c0392b") == len(trace.hypotheses[1].ids)
    # squares end with </s>; a search cut by the length limit ends in diamonds
    flat = [n for step in trace.beam_steps for n in step]
    ended = [sym for sym, n in zip(nodes.marker.symbol, flat) if n.piece == "</s>"]
    assert ended and set(ended) == {"square"}
    cut = translator.translate(
        "the old teacher helps the small child .", DecodeSettings(beam=3, max_len=2)
    )
    cut_nodes = beam_tree_figure(cut, 0).data[2]
    last = cut_nodes.marker.symbol[-len(cut.beam_steps[-1]) :]
    assert "diamond" in last and not any(
        n.piece == "</s>" and s == "diamond" for n, s in zip(cut.beam_steps[-1], last)
    )


def test_alpha_bars_html_escapes_words_and_scales_bars():
    from viz.highlight import alpha_bars_html

    out = alpha_bars_html(["<b>x</b>", "y"], [0.75, 1.5], "\u03b1 for '<i>'")
    assert "<b>x</b>" not in out and "&lt;b&gt;x&lt;/b&gt;" in out
    assert "&lt;i&gt;" in out and "<i>" not in out
    assert 'data-weight="0.750"' in out and "width: 75.0%" in out
    assert 'data-weight="1.000"' in out  # clipped to [0, 1]


def test_heatmap_grid_colours_follow_the_blues_scale():
    from viz.grid import STOPS, cell_colours, heatmap_grid

    z = np.array([[0.0, 1.0], [0.5, 0.25]])
    colours = cell_colours(z)
    hexes = [f"#{int(r):02x}{int(g):02x}{int(b):02x}" for r, g, b in STOPS]
    assert colours[0] == [hexes[0], hexes[-1]]  # the scale's ends
    assert colours[1][0] == hexes[4]  # 0.5 is the middle stop of nine
    assert cell_colours(np.array([[np.nan, 2.0]])) == [[hexes[0], hexes[-1]]]
    view = AttentionView(z, ["<b>x</b>", "y"], ["a", "</s>"], [0, 1], [0, -1])
    grid = heatmap_grid(view, title="t")
    assert grid["rows"] == ["<b>x</b>", "y"]  # labels stay data: the page sets them as text
    assert grid["values"] == [[0.0, 1.0], [0.5, 0.25]] and grid["colours"] == colours
    assert grid["font"] >= 13 and grid["min_cell"] < grid["max_cell"] and grid["title"] == "t"
    blank = heatmap_grid(AttentionView(np.array([[np.nan, 1.0]]), ["x"], ["a", "b"], [0], [0, 1]))
    assert blank["values"] == [[None, 1.0]]  # NaN (not decoded yet) is drawn blank


def test_word_rows_leave_out_attached_punctuation():
    """ "gelesen." is the row of its verb piece: the full stop's row (which looks at the
    source's full stop) is not averaged in; columns still sum all of a word's pieces."""
    src_alphas = np.array(
        [
            [0.1, 0.7, 0.1, 0.1],  # ▁gelesen -> read
            [0.1, 0.0, 0.8, 0.1],  # .        -> book.'s full stop
            [0.1, 0.1, 0.1, 0.7],  # </s>
        ]
    )
    source = Sequence(
        ["▁book", "▁read", ".", "</s>"],
        ["book", "read."],
        [0, 1, 1, -1],
        [4, 5, 6, 3],
        "book read.",
    )
    hyp = HypothesisTrace(
        ["▁gelesen", ".", "</s>"],
        ["gelesen."],
        [0, 0, -1],
        [7, 8, 3],
        "gelesen.",
        alphas=src_alphas,
    )
    trace = DecodeTrace("m", "bahdanau", "additive", "greedy", source, [hyp], {})
    view = attention_view(trace, level="words")
    assert view.rows == ["gelesen.", "</s>"] and view.cols == ["book", "read.", "</s>"]
    np.testing.assert_allclose(view.z[0], [0.1, 0.8, 0.1])  # not the mean with the "." row
    np.testing.assert_allclose(view.z.sum(1), 1.0)
    only_punct = HypothesisTrace(["▁!", "</s>"], ["!"], [0, -1], [9, 3], "!", alphas=src_alphas[1:])
    trace = DecodeTrace("m", "bahdanau", "additive", "greedy", source, [only_punct], {})
    np.testing.assert_allclose(attention_view(trace, level="words").z[0], [0.1, 0.8, 0.1])


def test_end_token_note_explains_a_row_that_rests_on_the_end_token():
    from viz.diagnostics import end_token_note

    cols = ["Turn", "off", "the", "lights", ".", "</s>"]
    note = end_token_note(cols, [0.15, 0.05, 0.02, 0.02, 0.01, 0.75])
    assert note.startswith("0.75 of this row rests on </s>") and "'Turn', 0.15" in note
    assert end_token_note(cols, [0.05, 0.05, 0.02, 0.45, 0.03, 0.40]) is None  # a word leads
    assert end_token_note(cols, [0.0, 0.0, 0.0, 0.5, 0.0, 0.5]) is None  # a tie is no note
    assert end_token_note(cols[:-1], [0.2, 0.2, 0.2, 0.2, 0.2]) is None  # no end column
    assert end_token_note(["</s>"], [1.0]) is None  # no word to compare with
    # several end columns count together
    assert end_token_note(["a", "</s>", "</s>"], [0.4, 0.3, 0.3]).startswith("0.60")


def test_the_probe_rule_checks_each_hand_link_on_the_word_matrix():
    from viz.probe import check_links, checks_line

    # word matrix: "unglaublich" 0.6 / 0.3 / </s> 0.1, "Katze" 0 / 1 / 0
    checks = check_links(make_trace(), "0-0 0-1")  # unbelievable -> both target words
    assert [(c.target_word, c.source_word, c.found) for c in checks] == [
        ("unglaublich", "unbelievable", True),
        ("Katze", "unbelievable", False),
    ]
    assert (checks[0].weight, checks[0].end_weight) == (0.6, 0.1)
    assert (checks[1].weight, checks[1].peak_word, checks[1].peak_weight) == (0.0, "cat", 1.0)
    assert checks_line(checks) == (
        "Hand-marked links: 1 of 2 found (unglaublich ← unbelievable ✓, Katze ← unbelievable ✗)"
    )
    with pytest.raises(ValueError, match="outside the sentence"):
        check_links(make_trace(), "0-2")  # the source has two words


def test_link_cells_cover_every_piece_of_the_linked_words():
    from viz.grid import heatmap_grid
    from viz.links import link_cells

    links = {(0, 1), (1, 0)}  # (target word, source word)
    words = attention_view(make_trace(), level="words")
    assert link_cells(words, links) == [(0, 1), (1, 0)]
    pieces = attention_view(make_trace(), level="pieces")  # "unglaub|lich", "un|believ|able"
    assert link_cells(pieces, links) == [(0, 3), (1, 3), (2, 0), (2, 1), (2, 2)]
    assert link_cells(words, {(5, 0)}) == []  # a word the view does not have
    grid = heatmap_grid(pieces, marks=link_cells(pieces, links))
    assert grid["marks"] == [[0, 3], [1, 3], [2, 0], [2, 1], [2, 2]]
    assert heatmap_grid(words)["marks"] == []


def test_the_probe_table_shows_words_as_text():
    from viz.probe import LinkCheck, checks_html

    html = checks_html([LinkCheck(0, 1, "<b>x</b>", "a&b", False, 0.1, "<i>", 0.5, 0.3)])
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt; ← a&amp;b" in html
    assert "&lt;i&gt; (0.50)" in html and 'data-found="0"' in html and "✗ missed" in html


def test_export_names_and_titles_tell_exports_apart():
    from viz.export import export_stem, figure_title

    text = "Turn off the lights, my_friend!"
    assert export_stem("en-fr-bahdanau", "greedy", text, "words") == (
        "en-fr-bahdanau-greedy-words-turn-off-the-lights"
    )
    assert export_stem("en-fr-bahdanau", "forced", text, "pieces") != export_stem(
        "en-fr-bahdanau", "greedy", text, "pieces"
    )
    assert export_stem("hi-en-bahdanau", "beam", "मैं खाना खा रहा हूँ") == (
        "hi-en-bahdanau-beam-मैं-खाना-खा-रहा"  # any script's letters, no level
    )
    assert export_stem("m", "greedy", "<script>/../x</script>", "words") == (
        "m-greedy-words-script-x-script"  # nothing a path or a shell reads
    )
    assert figure_title("m", "forced", "a b") == "m (forced target): a b"
    assert figure_title("m", "beam", "x " * 250) == "m (beam search): " + "x " * 250


def test_plot_areas_show_the_page_through_them():
    """In the dark theme a white plot area hid the beam tree's labels (drawn in the
    page's light text colour) and showed undecoded Step-through rows as white cells."""
    from viz.beamtree import beam_tree_figure
    from viz.heatmap import heatmap_figure
    from viz.labels import PLOT_BACKGROUND

    trace = make_trace()
    figures = [heatmap_figure(attention_view(trace)), beam_tree_figure(trace, 0)]
    assert [f.layout.plot_bgcolor for f in figures] == [PLOT_BACKGROUND] * 2
    assert PLOT_BACKGROUND.endswith(",0)")  # fully transparent
    low, high = figures[1].layout.yaxis.range  # rank 0 on top, room above it for labels
    assert low > high and high <= -0.8


def test_a_very_long_word_stays_in_its_column():
    from viz.highlight import BAR_LABEL_CHARS, alpha_bars_html, highlight_html

    word = "Supercalifragilistic" * 10
    bars = alpha_bars_html([word, "is"], [0.7, 0.3])
    assert f'title="{word}">{word[: BAR_LABEL_CHARS - 1]}\u2026</td>' in bars  # cut, whole on hover
    assert "overflow-wrap: anywhere" in highlight_html([word], [0.5])  # breaks across lines


def test_a_one_row_matrix_keeps_room_for_its_colour_bar():
    from dataclasses import replace

    from viz.heatmap import MIN_PLOT_PX, heatmap_figure

    view = attention_view(make_trace())
    one = replace(view, z=view.z[:1], rows=view.rows[:1], row_words=view.row_words[:1])
    fig = heatmap_figure(one)
    plot_px = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert plot_px >= MIN_PLOT_PX  # the bar's labels 0, 0.5, 1 do not overprint


def test_carry_row_finds_the_same_word_at_the_other_level():
    from viz.matrix import carry_row

    words, pieces = [0, 1, 2, -1], [0, 0, 1, 2, 2, 2, -1]
    assert [carry_row(words, r, pieces) for r in range(4)] == [0, 2, 3, 6]
    assert [carry_row(pieces, r, words) for r in range(7)] == [0, 0, 1, 2, 2, 2, 3]
    assert carry_row(words, 9, pieces) == 0 and carry_row(words, 1, []) == 0


def test_a_heatmap_title_longer_than_its_figure_is_cut_to_fit_and_sits_above_the_labels():
    """A saved figure's title is cut where the figure ends, not at 80 characters (which
    ran past the edge of a narrow figure and cut a wide one's sentence short)."""
    from viz.heatmap import heatmap_figure
    from viz.labels import TITLE_CHAR_PX, TITLE_FONT_PX, TITLE_PX

    view = attention_view(make_trace())
    untitled = heatmap_figure(view)
    long_title = "Ce n'est pas que l'Éternel n'est pas connu " * 6
    fig = heatmap_figure(view, title=long_title)
    text = fig.layout.title.text
    assert text.endswith("\u2026") and len(text) == max(20, fig.layout.width // TITLE_CHAR_PX)
    assert long_title.startswith(text[:-1])
    assert fig.layout.title.font.size == TITLE_FONT_PX
    assert fig.layout.title.yref == "container" and fig.layout.title.yanchor == "top"
    assert fig.layout.margin.t == untitled.layout.margin.t + TITLE_PX  # a band of its own
    wide = attention_view(make_trace())
    wide.cols = [f"w{i}" for i in range(40)]
    wide.z = np.full((len(wide.rows), 40), 1 / 40)
    fig = heatmap_figure(wide, title=long_title)
    assert len(fig.layout.title.text) > 80  # a wide figure shows more than 80 characters
    assert heatmap_figure(view, title="short").layout.title.text == "short"
    assert "&lt;b&gt;" in heatmap_figure(view, title="<b> " * 30).layout.title.text
    assert heatmap_figure(view, title="short").layout.title.text == "short"


def test_gold_figure_marks_possible_links_apart_from_sure_ones():
    """A link only possible gets its own thinner, smaller square; one typed sure and
    possible is drawn once, as sure."""
    from viz.gold import gold_figure

    view = attention_view(make_trace(), level="words")  # rows/cols: 2 words and </s>
    fig = gold_figure(view, {(0, 0)}, {(0, 0), (1, 0)})
    marks = {t.name: t for t in fig.data if t.name in ("gold", "possible")}
    assert list(marks["gold"].x) == [0] and list(marks["gold"].y) == [0]
    assert list(marks["possible"].x) == [0] and list(marks["possible"].y) == [1]
    assert marks["possible"].marker.size < marks["gold"].marker.size
    assert marks["possible"].marker.line.width < marks["gold"].marker.line.width
    assert "possible" not in {t.name for t in gold_figure(view, {(0, 0)}).data}
