"""The Inside-alpha tab and its figures: AppTest (no browser) and the pure viz functions."""

from __future__ import annotations

import base64
import re
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from models.engine import DecodeSettings
from models.explain import explain_step
from models.options import AttentionOptions
from tests.helpers import url_params
from viz.inside import (
    CONTEXT_NAME,
    PREVIOUS_NAME,
    QUERY_NAME,
    SCORE_NAME,
    SOURCE_NAME,
    TERMS_SHOWN,
    WEIGHT_NAME,
    bottleneck_figure,
    context_strips,
    contexts_figure,
    diverging_colour,
    diverging_rgb,
    largest_terms,
    numbers_latex,
    score_bars_html,
    score_table_html,
    signed,
    softmax_numbers_latex,
    strips_data,
    strips_html,
    work_size,
)

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "the cat sees the dog ."
TAB = "Inside \u03b1"


@pytest.fixture
def app(app_checkpoints, monkeypatch):
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(app_checkpoints))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.text_area(key="source").set_value(SENTENCE).run()
    assert not at.exception
    return at


def _open(app, view: str | None = None):
    app.session_state["tab"] = TAB
    if view is not None:
        app.session_state["inside:view"] = view
    app.run()
    assert not app.exception
    return app


def _table_values(app) -> dict[str, list[str]]:
    page = "".join(m.value for m in [*app.markdown, *app.html])
    table = re.search(r'<table class="inside-scores".*?</table>', page, re.S).group(0)
    out: dict[str, list[str]] = {"e": [], "alpha": []}
    for name, value in re.findall(r'<td data-row="(\w+)" data-col="\d+"[^>]*>([^<]*)</td>', table):
        out[name].append(value)
    return out


def _translator(app_checkpoints, name):
    from models.checkpoint import load_checkpoint
    from models.engine import Translator

    loaded = load_checkpoint(str(app_checkpoints / name), "cpu")
    return Translator(loaded.model, loaded.tokenizer, name)


def test_the_step_shows_the_traces_scores_and_weights(app, app_checkpoints):
    _open(app)
    tr = _translator(app_checkpoints, "en-xx-bahdanau")
    trace = tr.translate(SENTENCE)
    for t in (0, 3):
        app.selectbox(key="inside:t").set_value(t).run()
        assert not app.exception
        values = _table_values(app)
        assert values["alpha"] == [signed(a, 4) for a in trace.best.alphas[t]]
        assert values["e"] == [signed(e, 4) for e in trace.best.scores[t]]
    assert any(r"\tanh" in latex.value for latex in app.latex)  # the additive formula


def test_the_explorer_link_opens_the_tab_at_its_row(app, app_checkpoints):
    from viz.matrix import word_groups

    trace = _translator(app_checkpoints, "en-xx-bahdanau").translate(SENTENCE)
    first_piece = word_groups(trace.best.piece_to_word)[4][0]  # the first piece of "sieht"
    app.button_group(key="explore:pill").set_value(4).run()
    app.button(key="explore:inside").click().run()
    assert not app.exception
    assert app.session_state["tab"] == TAB
    assert app.session_state["inside:t"] == first_piece
    assert app.selectbox(key="inside:t").value == first_piece
    assert app.session_state["inside:j"] == int(np.argmax(trace.best.alphas[first_piece]))


def test_a_link_opens_the_tab_at_its_target_word_and_the_step_picked_is_shared(
    app_checkpoints, monkeypatch
):
    """A copied link to Inside alpha reopens at its step's word (``row=``), and the step
    picked here is the explorer's selected word too."""
    from viz.matrix import word_groups

    trace = _translator(app_checkpoints, "en-xx-bahdanau").translate(SENTENCE)
    groups = word_groups(trace.best.piece_to_word)
    assert len(groups[4]) > 1  # "sieht": a word of several pieces
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(app_checkpoints))
    link = {"text": SENTENCE, "models": "en-xx-bahdanau", "tab": TAB, "tour": "done"}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({**link, "row": "4"})
    at.run()
    assert not at.exception
    assert at.session_state["inside:t"] == groups[4][0]
    at.selectbox(key="inside:t").set_value(groups[4][1]).run()  # its second piece
    assert at.session_state["inside:t"] == groups[4][1] and url_params(at)["row"] == "4"
    at.selectbox(key="inside:t").set_value(groups[2][0]).run()
    assert at.session_state["inside:t"] == groups[2][0] and url_params(at)["row"] == "2"
    copied = url_params(at)
    at.session_state["tab"] = "Explorer"
    at.run()
    assert not at.exception
    assert at.session_state["explore:row"] == 2 and url_params(at)["row"] == "2"
    # back to Inside alpha: the word picked in the explorer
    at.button_group(key="explore:pill").set_value(1).run()
    at.button(key="explore:inside").click().run()
    assert at.session_state["inside:t"] == groups[1][0]
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    fresh.query_params.update(copied)
    fresh.run()
    assert not fresh.exception
    assert fresh.session_state["inside:t"] == groups[2][0]


def test_the_tab_opens_at_the_selected_word_and_keeps_it_across_tabs(app, app_checkpoints):
    """Reached by its tab, Inside alpha shows the explorer's selected word's step; a step
    picked there is the explorer's word, its pill selected, and is there on coming back."""
    from viz.matrix import word_groups

    trace = _translator(app_checkpoints, "en-xx-bahdanau").translate(SENTENCE)
    groups = word_groups(trace.best.piece_to_word)
    app.button_group(key="explore:pill").set_value(3).run()
    _open(app)
    assert app.session_state["inside:t"] == groups[3][0]
    app.selectbox(key="inside:t").set_value(groups[1][0]).run()
    app.session_state["tab"] = "Explorer"
    app.run()
    assert not app.exception
    assert app.session_state["explore:row"] == 1
    assert app.button_group(key="explore:pill").value == 1
    _open(app)
    assert app.session_state["inside:t"] == groups[1][0]


def test_tau_and_the_override_redecode(app, app_checkpoints):
    tr = _translator(app_checkpoints, "en-xx-bahdanau")
    base = tr.translate(SENTENCE)
    _open(app, "Temperature \u03c4")
    app.select_slider(key="inside:tau").set_value(0.05).run()
    assert not app.exception
    sharp = tr.translate(SENTENCE, DecodeSettings(attention=AttentionOptions(0.05)))
    n = len(base.source.ids)
    forced = tr.translate(
        SENTENCE,
        DecodeSettings(attention=AttentionOptions(1.0, 0, tuple(float(j == 5) for j in range(n)))),
    )
    _open(app, "What if it looked here?")
    app.selectbox(key="inside:look:0").set_value(5).run()
    assert not app.exception
    texts = [t.value for t in app.text]
    assert forced.best.text in texts and base.best.text in texts  # side by side
    _open(app, "Temperature \u03c4")
    texts = [t.value for t in app.text]
    assert sharp.best.text in texts and base.best.text in texts
    _open(app, "What if it looked here?")
    app.toggle(key="inside:byhand").set_value(True).run()
    app.number_input(key="inside:w:0:0").set_value(1.0).run()  # renormalised on the page
    assert not app.exception


def test_a_model_without_attention_shows_its_fixed_context(app):
    app.sidebar.multiselect(key="models").set_value(["en-xx-none"]).run()
    _open(app)
    assert any("no \u03b1 to take apart" in i.value for i in app.info)
    charts = [c for c in app.get("plotly_chart")]
    assert charts  # the fixed context (and BLEU by length where the cards have it)
    assert not [x for x in app.latex if "scores" in x.value]  # it computes no e_tj
    # the tour: a step whose view needs attention says so, the bottleneck's offers it
    captions = lambda: " ".join(c.value for c in app.caption)  # noqa: E731
    assert app.session_state["tour:step"] == 0  # the bottleneck
    assert "this step's view is not here" not in captions()
    # already shown, and there are no views to switch: no button that does nothing
    assert not [b for b in app.button if b.key == "tour:show"]
    app.button(key="tour:next").click().run()  # scores
    assert "this step's view is not here" in captions()
    assert not [b for b in app.button if b.key == "tour:show"]


def _in_order(node, out: list) -> list:
    """The page's elements in the order they are shown."""
    children = getattr(node, "children", None)
    for child in children.values() if isinstance(children, dict) else []:
        out.append(child)
        _in_order(child, out)
    return out


def test_a_model_without_attention_shows_the_bottleneck_first(app):
    """As in the Bottleneck view of a model with attention: its c at every step (a long
    source's strips run to thousands of pixels) comes after it."""
    app.sidebar.multiselect(key="models").set_value(["en-xx-none"]).run()
    _open(app)
    shown = _in_order(app.main, [])
    heading = next(
        i
        for i, e in enumerate(shown)
        if "The bottleneck of one fixed vector" in str(getattr(e, "value", ""))
    )
    first_chart = next(i for i, e in enumerate(shown) if getattr(e, "type", "") == "plotly_chart")
    assert heading < first_chart


def test_the_tour_runs_to_its_end_and_is_remembered(app):
    _open(app)
    for _ in range(8):
        assert app.session_state["tour:step"] is not None
        app.button(key="tour:next").click().run()
        assert not app.exception
    assert app.session_state["tour:step"] is None
    assert app.session_state["tour:done"] is True
    assert app.query_params.get("tour") == "done"
    app.run()
    assert app.session_state["tour:step"] is None  # not offered again


def test_a_shared_url_remembers_the_tour(app_checkpoints, monkeypatch):
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(app_checkpoints))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"tour": "done", "tab": TAB, "text": SENTENCE})
    at.run()
    assert not at.exception
    assert not [c for c in at.caption if c.value.startswith("New to attention?")]
    assert at.session_state["tab"] == TAB
    assert at.session_state.get("tour:step") is None
    assert at.button(key="tour:start")  # offered, not forced
    assert not [b for b in at.button if b.key == "tour:next"]


def test_step_through_counts_the_scores(app, app_checkpoints):
    trace = _translator(app_checkpoints, "en-xx-bahdanau").translate(SENTENCE)
    n_src, n_tgt = len(trace.source.ids), len(trace.best.ids)
    app.session_state["tab"] = "Step through"
    app.run()
    app.button(key="step:next").click().run()
    captions = " ".join(c.value for c in app.caption)
    assert f"= {2 * n_src} of T_x \u00d7 T_y = {n_src} \u00d7 {n_tgt} = {n_src * n_tgt}" in captions


def test_the_bottleneck_says_what_t_x_and_t_y_count(app, app_checkpoints):
    trace = _translator(app_checkpoints, "en-xx-bahdanau").translate(SENTENCE)
    n_src, n_tgt, words = len(trace.source.ids), len(trace.best.ids), len(trace.source.words)
    _open(app, "Bottleneck")
    captions = " ".join(c.value.replace("\\", "") for c in app.caption)
    assert f"T_x counts the source pieces with </s> ({n_src} here, for {words} words)" in captions
    assert f"T_y the output pieces with </s> ({n_tgt})" in captions


def test_the_tour_can_be_skipped(app):
    pointer = "New to attention? The **Inside \u03b1** tab"
    assert any(c.value.startswith(pointer) for c in app.caption)  # the page it opens on
    _open(app)
    assert not any(c.value.startswith(pointer) for c in app.caption)  # not where it is
    app.button(key="tour:skip").click().run()
    assert app.session_state["tour:done"] is True
    assert app.session_state["tour:step"] is None
    app.session_state["tab"] = "Explorer"
    app.run()
    assert not any(c.value.startswith(pointer) for c in app.caption)  # said until taken


# -- the figures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def explained(tokenizer):
    from tests.conftest import tiny_model

    out = {}
    for attention, score in (("bahdanau", "additive"), ("luong", "dot")):
        model = tiny_model(tokenizer, attention, score, seed=2)
        src = tokenizer.encode("the <cat> & dog .", 100, add_eos=True)
        out[score] = (explain_step(model, src.ids, [5, 6, 7], 2), src.pieces)
    return out


@pytest.mark.parametrize("score", ["additive", "dot"])
def test_formula_with_numbers_ends_with_the_score(explained, score):
    ex, _ = explained[score]
    j = int(np.argmax(ex.alphas))
    latex = numbers_latex(ex, j)
    assert latex.endswith(rf"&= \mathbf{{{ex.scores[j]:.3f}}} \end{{aligned}}")
    assert "+ -" not in latex  # a negative term is written with its own sign
    # the terms written out are those that weigh most, each under its index
    contributions = ex.terms[j] * ex.v if ex.v is not None else ex.terms[j]
    shown = largest_terms(ex, j)
    assert len(shown) == TERMS_SHOWN
    assert min(abs(contributions[shown])) >= np.delete(abs(contributions), shown).max()
    for i in shown:
        assert f"{abs(ex.query_proj[i]) if ex.v is None else ex.query_proj[i]:.3f}" in latex
        assert f"_{{(i={i + 1})}}" in latex
    assert f"the {TERMS_SHOWN} largest of {len(contributions)} terms" in latex
    soft = softmax_numbers_latex(ex.scores, ex.alphas, j, 1.0)
    assert f"{ex.alphas[j]:.4f}" in soft


@pytest.mark.parametrize("score", ["additive", "dot"])
def test_formulas_with_numbers_fit_a_narrow_column(explained, score):
    """A display formula wider than the column scrolls with no scrollbar shown, so it
    reads as cut off: the formula, each term and the note get lines of their own."""
    ex, _ = explained[score]
    j = int(np.argmax(ex.alphas))
    lines = _aligned_lines(numbers_latex(ex, j))
    assert lines[0].startswith(rf"e_{{t{j + 1}}} &= \sum_")  # the formula alone
    written = [line for line in lines if "_{(i=" in line]
    assert len(written) == TERMS_SHOWN  # one term a line, each with its index
    assert sum("largest of" in line for line in lines) == 1
    assert not any("largest of" in line and "_{(i=" in line for line in lines)
    assert lines[-1] == rf"&= \mathbf{{{ex.scores[j]:.3f}}}"
    for tau in (1.0, 0.5):
        soft = _aligned_lines(softmax_numbers_latex(ex.scores, ex.alphas, j, tau))
        assert len(soft) == 3  # the formula, the numbers, the note
        assert rf"\exp({ex.scores[j]:.3f}" in soft[0]
        assert f"= \\mathbf{{{ex.alphas[j]:.4f}}}" in soft[1] and r"\exp" not in soft[1]
        assert "scaled by" in soft[2] and (r"/\tau" in soft[2]) == (tau != 1.0)


def _aligned_lines(latex: str) -> list[str]:
    """The rows of a LaTeX ``aligned`` block (row spacing such as ``[4pt]`` dropped)."""
    body = re.fullmatch(r"\\begin\{aligned\}(.*)\\end\{aligned\}", latex.strip(), re.S)
    assert body, latex
    rows = re.split(r"\\\\(?:\[[^\]]*\])?", body.group(1))
    return [row.strip() for row in rows]


def test_every_step_has_its_own_row_of_c():
    """Plotly merges equal category labels: an output piece written twice must still
    get two rows (and its hover its own name)."""
    rows = ["\u2581light", "s", "\u2581light", "<b>"]
    contexts = np.arange(4 * 3, dtype=float).reshape(4, 3)
    heat = contexts_figure(contexts, rows, "c").data[0]
    assert len(heat.y) == len(set(heat.y)) == len(rows)
    assert [text[0].split("[")[0] for text in heat.text] == [
        "c at \u2581light", "c at s", "c at \u2581light", "c at &lt;b&gt;"
    ]  # fmt: skip
    np.testing.assert_array_equal(heat.z, contexts)


def test_the_tour_writes_the_pages_notation():
    """The tour's text names things as the page beside it does (Unicode, not ASCII)."""
    from ui.inside import TOUR

    text = " ".join(body for _, _, body in TOUR)
    for ascii_name in ("alpha", "tau", "s_(", "e_tj", "c_t", "h_j", "T_x x T_y", "h_t"):
        assert ascii_name not in text
    for name in (SCORE_NAME, WEIGHT_NAME, CONTEXT_NAME, SOURCE_NAME, PREVIOUS_NAME["bahdanau"]):
        assert name in text
    assert QUERY_NAME["luong"] in text and "\u03c4" in text
    assert r"$T_x \times T_y$" in text  # as the count under the BLEU chart writes it


def test_the_temperature_panels_are_told_apart(app):
    _open(app, "Temperature \u03c4")
    heads = lambda: [m.value for m in app.markdown if m.value.startswith("**")]  # noqa: E731
    first, second = heads()[-2:]
    assert first != second and "as trained" in first and "move the slider" in second
    app.select_slider(key="inside:tau").set_value(0.5).run()
    assert heads()[-2:] == [first, "**\u03c4 = 0\\.5**"]


def test_table_bars_and_strips_escape_labels_and_state_the_sum(explained):
    ex, pieces = explained["additive"]
    table = score_table_html(pieces, ex.scores, ex.alphas, 0)
    assert "<cat>" not in table and "&lt;" in table
    bars = score_bars_html(pieces, ex.scores, ex.alphas, 0)
    assert "<cat>" not in bars and f"sum = {ex.alphas.sum():.3f}" in bars
    assert bars.count("<tr") == len(pieces) + 1
    for e, a in zip(ex.scores, ex.alphas):
        assert signed(e, 4) in bars and f"{a:.4f}" in bars
    data = strips_data([("q <b>", ex.query), ("v", ex.v)], "t")
    assert data["rows"][0]["label"] == "q <b>"  # plain text: the page sets it as text
    assert strips_data([("q <b>", ex.v), ("v", ex.v)], "t")["signature"] != data["signature"]
    assert strips_data([("q <b>", ex.query), ("v", ex.v)], "t")["signature"] == data["signature"]
    strips = strips_html(data)
    assert "<b>" not in strips and "q &lt;b&gt;[1] = " in strips
    assert f"= {float(ex.query[0]):.6f}" in strips  # exact values on hover
    assert strips.count("<area ") == len(ex.query) + len(ex.v)  # one tooltip per value
    rows = strip_images(strips)
    assert [r.shape for r in rows] == [(1, len(ex.query), 3), (1, len(ex.v), 3)]
    np.testing.assert_array_equal(rows[0][0], diverging_rgb(ex.query, np.abs(ex.query).max()))
    masked = ex.scores.copy()
    masked[-1] = -np.inf
    assert "masked" in score_table_html(pieces, masked, ex.alphas)
    assert "masked" in score_bars_html(pieces, masked, ex.alphas)


def test_diverging_colours():
    assert diverging_colour(0.0, 1.0) == "rgb(255,255,255)"
    assert diverging_colour(2.0, 1.0) == "rgb(178,24,43)"  # full red, clipped
    assert diverging_colour(-1.0, 1.0) == "rgb(33,102,172)"
    assert diverging_colour(float("-inf"), 1.0) == "rgb(255,255,255)"


def test_context_strips_sum_to_the_context(explained):
    ex, pieces = explained["dot"]
    strips = context_strips(pieces, ex.alphas, ex.values)
    np.testing.assert_allclose(sum(v for _, v in strips[:-1]), strips[-1][1], atol=1e-6)
    np.testing.assert_allclose(strips[-1][1], ex.context, atol=1e-6)


def test_bottleneck_marks_the_sentences_bucket():
    cards = {
        "m-none": {
            "test": {
                "by_length": [
                    {"bucket": "1-10", "n": 50, "bleu": 9.0},
                    {"bucket": "11-20", "n": 50, "bleu": 4.0},
                ]
            }
        },
    }
    fig = bottleneck_figure(cards, 14)
    assert fig.layout.shapes[0].x0 == 1
    assert "14 words" in fig.layout.annotations[0].text
    beyond = bottleneck_figure(cards, 33)  # longer than any bucket measured: said, no line
    assert not beyond.layout.shapes
    assert beyond.layout.annotations[0].text == (
        "this sentence: 33 words, a length the figure does not show"
    )
    sparse = {"m-none": {"test": {"by_length": [
        *cards["m-none"]["test"]["by_length"], {"bucket": "21-30", "n": 2, "bleu": 5.0},
    ]}}}  # fmt: skip
    left_off = bottleneck_figure(sparse, 25)  # its bucket left off (2 sentences): said too
    assert (
        not left_off.layout.shapes and "25 words, a length" in left_off.layout.annotations[0].text
    )
    assert bottleneck_figure({}, 3) is None
    assert "= 42" in work_size(6, 7)


def test_tau_options_are_a_cache_key():
    """The page caches traces per settings: different tau, different key."""
    a = DecodeSettings(attention=AttentionOptions(0.5))
    b = DecodeSettings(attention=AttentionOptions(0.5))
    assert hash(a) == hash(b) and a == b
    assert DecodeSettings() != a


def strip_images(page: str) -> list[np.ndarray]:
    """Decode every strip's PNG data URI back to its pixels (1 x W x 3 each)."""
    images = []
    for b64 in re.findall(r'src="data:image/png;base64,([^"]+)"', page):
        png, chunks, at = base64.b64decode(b64), {}, 8
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        while at < len(png):
            size = struct.unpack(">I", png[at : at + 4])[0]
            kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + size]
            assert struct.unpack(">I", png[at + 8 + size : at + 12 + size])[0] == zlib.crc32(
                kind + data
            )
            chunks[kind] = chunks.get(kind, b"") + data
            at += 12 + size
        width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
        raw = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), np.uint8).reshape(height, -1)
        assert (raw[:, 0] == 0).all()  # no filter: the bytes are the pixels
        images.append(raw[:, 1:].reshape(height, width, 3))
    return images


def test_strips_own_or_shared_scale():
    small, big = np.array([0.1, -0.1]), np.array([2.0, -2.0])
    red = list(diverging_rgb(np.array(1.0), 1.0))
    own = strip_images(strips_html(strips_data([("s", small), ("b", big)])))
    shared = strip_images(strips_html(strips_data([("s", small), ("b", big)], shared=True)))
    assert [img[0, 0].tolist() == red for img in own] == [True, True]  # each row full red
    assert [img[0, 0].tolist() == red for img in shared] == [False, True]  # the big one


def test_tooltips_only_on_the_rows_asked_for(explained):
    ex, pieces = explained["dot"]
    strips = context_strips(pieces, ex.alphas, ex.values)
    data = strips_data(strips, shared=True, hover=[len(strips) - 1])
    assert [row["values"] is not None for row in data["rows"]] == [False] * len(pieces) + [True]
    assert data["rows"][-1]["values"] == [f"{x:.6f}" for x in ex.context]
    page = strips_html(data)
    assert page.count("<area ") == len(ex.context) and page.count("<map ") == 1
    assert len(strip_images(page)) == len(strips)
    assert f"[1] = {float(strips[-1][1][0]):.6f}" in page


# -- the reviewed defects: a forced reference, the picked Luong model, the notation -----

REFERENCE = "die katze sieht den hund ."


def _forced(app, reference: str = REFERENCE):
    """The page with ``reference`` forced through the model in the single-model views."""
    app.text_input(key="reference").set_value(reference).run()
    app.radio(key="target").set_value("the reference, forced").run()
    assert not app.exception
    return app


def _panels(app) -> list[str]:
    """The two side-by-side panels' outputs (the last two texts of the view)."""
    return [t.value for t in app.text][-2:]


def test_what_if_with_the_reference_forced_names_each_log_p(app, app_checkpoints):
    """With the reference forced the What-if tab says which log p is the reference's
    and which the model's own output's, and step t starts on the reference's piece."""
    from ui.whatif import step_candidates
    from viz.inside import signed

    tr = _translator(app_checkpoints, "en-xx-bahdanau")
    own, forced = tr.translate(SENTENCE), tr.translate(SENTENCE, force=REFERENCE)
    assert own.best.text != forced.best.text and own.best.score != forced.best.score
    _forced(app)
    app.session_state["tab"] = "What-if"
    app.run()
    assert not app.exception
    captions = " ".join(c.value.replace("\\", "") for c in app.caption)
    # log p written as Inside \u03b1 writes numbers, with a true minus sign
    assert f"the reference, forced: {signed(forced.best.score, 3)}" in captions
    assert f"the model's own output: {signed(own.best.score, 3)}" in captions
    own_text = f"the model's own output, \u201c{own.best.text}\u201d: {signed(own.best.score, 3)}"
    assert own_text in captions
    assert f"(the model's own output: {signed(forced.best.score, 3)})" not in captions
    assert f"{forced.best.score:.3f}" not in captions  # no hyphen-minus
    for t in (1, 2, 3):
        app.number_input(key="whatif:t").set_value(t).run()
        radio = app.radio(key=f"whatif:cand:{t}")
        cands, ids, shown = step_candidates(forced.best, t)
        assert ids[radio.index] == forced.best.ids[t - 1]  # the piece the view shows
        assert ids[shown] == forced.best.ids[t - 1]


def test_step_candidates_hold_a_forced_piece_outside_the_top_k(app_checkpoints):
    from ui.whatif import step_candidates

    tr = _translator(app_checkpoints, "en-xx-bahdanau")
    forced = tr.translate(SENTENCE, DecodeSettings(topk=1), force="hund hund hund .").best
    outside = [t for t in range(1, len(forced.ids) + 1)
               if forced.ids[t - 1] not in forced.candidate_ids[t - 1]]  # fmt: skip
    assert outside  # the toy model's first choice is not "hund" everywhere
    for t in outside:
        cands, ids, shown = step_candidates(forced, t)
        assert len(ids) == 2 and ids[shown] == forced.ids[t - 1]
        assert cands[shown][1] == pytest.approx(np.exp(forced.token_logprobs[t - 1]))


def test_temperature_and_what_if_force_the_reference_when_the_view_does(app, app_checkpoints):
    """Both panels in the same mode: with the reference forced, the changed run forces
    it too, so at tau = 1 the panels are the same and at another tau only the
    attention and log p change."""
    tr = _translator(app_checkpoints, "en-xx-bahdanau")
    forced = tr.translate(SENTENCE, force=REFERENCE)
    _forced(app)
    _open(app, "Temperature \u03c4")
    assert _panels(app) == [forced.best.text, forced.best.text]
    logps = [c.value for c in app.caption if c.value.startswith("log p =")][-2:]
    assert logps[0] == logps[1]
    app.select_slider(key="inside:tau").set_value(0.5).run()
    sharp = tr.translate(SENTENCE, DecodeSettings(attention=AttentionOptions(0.5)), force=REFERENCE)
    assert _panels(app) == [forced.best.text, forced.best.text]
    assert f"log p = {sharp.best.score:.3f}".replace("-", "\u2212") in [
        c.value for c in app.caption
    ]
    _open(app, "What if it looked here?")
    app.selectbox(key="inside:look:0").set_value(5).run()
    assert not app.exception
    assert _panels(app) == [forced.best.text, forced.best.text]


def test_bahdanau_vs_luong_shows_the_picked_luong_model(app_checkpoints, monkeypatch, tmp_path):
    """Of two Luong models of the pair, the column shows the one picked in the sidebar
    (not the pair's first), and says which it is."""
    import shutil

    for name in ("en-xx-bahdanau", "en-xx-luong-dot"):
        shutil.copytree(app_checkpoints / name, tmp_path / name)
    shutil.copytree(app_checkpoints / "en-xx-luong-dot", tmp_path / "en-xx-luong-dot2")
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"models": "en-xx-luong-dot2", "text": SENTENCE, "tour": "done"})
    at.run()
    _open(at, "Bahdanau vs Luong")
    heads = [m.value for m in at.markdown if m.value.startswith("**")]
    assert "**Luong** (en-xx-luong-dot2)" in heads
    assert "**Bahdanau** (en-xx-bahdanau)" in heads
    captions = [c.value for c in at.caption]
    assert "the model picked in the sidebar." in captions
    assert "the pair's first Bahdanau model." in captions
    # the Bahdanau model shown, a Luong model picked beside it: that one, not the first
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(
        {"models": "en-xx-bahdanau,en-xx-luong-dot2", "text": SENTENCE, "tour": "done"}
    )
    at.run()
    _open(at, "Bahdanau vs Luong")
    heads = [m.value for m in at.markdown if m.value.startswith("**")]
    assert "**Luong** (en-xx-luong-dot2)" in heads and "**Bahdanau** (en-xx-bahdanau)" in heads
    assert "picked in the sidebar." in [c.value for c in at.caption]


def test_the_step_notes_a_word_of_several_pieces(app, app_checkpoints):
    """Opened from the explorer's word row, the view says that row is the mean of the
    word's pieces' rows and names the piece it shows."""
    from viz.matrix import word_groups

    trace = _translator(app_checkpoints, "en-xx-bahdanau").translate(SENTENCE)
    h = trace.best
    groups = word_groups(h.piece_to_word)
    row = next(i for i, g in enumerate(groups) if len(g) > 1)  # a word of several pieces
    app.button_group(key="explore:pill").set_value(row).run()
    app.button(key="explore:inside").click().run()
    assert not app.exception
    notes = [c.value.replace("\\", "") for c in app.caption if "mean of its" in c.value]
    word = h.words[h.piece_to_word[groups[row][0]]]
    assert len(notes) == 1
    assert (
        f"row of \u201c{word}\u201d is the mean of its {len(groups[row])} pieces' rows" in notes[0]
    )
    assert f"piece 1 of {len(groups[row])}" in notes[0]
    single = next(g[0] for g in groups if len(g) == 1)
    app.selectbox(key="inside:t").set_value(single).run()
    assert not [c for c in app.caption if "mean of its" in c.value]  # nothing to say


def test_luong_step_view_defines_q_and_k_with_luongs_symbols(app):
    app.sidebar.multiselect(key="models").set_value(["en-xx-luong-dot"]).run()
    _open(app, "The step")
    latex = [x.value for x in app.latex]
    assert any(r"q = h_t, \quad k_j = \bar h_j" in x for x in latex)  # defined where used
    assert any(r"\alpha_{tj}\, \bar h_j" in x for x in latex)  # the context, with h-bar
    assert not any(r"\alpha_{tj}\, h_j" in x for x in latex)


def test_the_temperature_is_named_as_one(app):
    """tau is a temperature (the budget is the weights' sum of 1), hard attention is
    its limit, and the score is a network only for some models."""
    from ui.inside import TOUR, VIEWS

    assert "Temperature \u03c4" in VIEWS and not [v for v in VIEWS if "Budget" in v]
    body = {title: text for _, title, text in TOUR}
    assert "approaches 0" in body["The temperature"]
    assert "is hard attention" not in body["The temperature"]
    assert "A small network scores" not in body["Scores"]
    assert "dot product" in body["Scores"] and "budget" in body["Softmax"]
    _open(app, "Temperature \u03c4")
    label = app.select_slider(key="inside:tau").label
    assert label.startswith("Temperature \u03c4") and "approaches hard attention" in label
    assert [m.value for m in app.markdown if m.value.startswith("#### The temperature")]


@pytest.fixture(scope="module")
def explained_kinds(tokenizer):
    """One step of an untrained model of each attention score."""
    from tests.conftest import tiny_model

    out = {}
    for attention, score in (
        ("bahdanau", "additive"), ("luong", "concat"), ("luong", "general"), ("luong", "dot")
    ):  # fmt: skip
        model = tiny_model(tokenizer, attention, score, seed=2)
        src = tokenizer.encode("the cat sees the dog .", 100, add_eos=True)
        out[score] = explain_step(model, src.ids, [5, 6, 7], 2)
    return out


def test_each_score_is_written_in_its_own_formulas_symbols(explained_kinds):
    """The worked sum and the strips name what the formula names: U_a and a bias for
    Bahdanau's key, W_1 / W_2 (the halves of W_a) for Luong concat, q = h_t and
    k_j = W_a h-bar_j for general; no U_a outside Bahdanau."""
    from viz.inside import NOTATION, SCORE_LATEX, score_strips

    for score, ex in explained_kinds.items():
        latex = numbers_latex(ex, 0)
        labels = [name for name, _ in score_strips(ex, 0, "x")]
        assert "Wq" not in latex and NOTATION[score].worked in latex
        if score != "additive":
            assert not [name for name in labels if "U" in name]
            assert "U_a" not in SCORE_LATEX[score] + NOTATION[score].defines
    add = [name for name, _ in score_strips(explained_kinds["additive"], 0, "x")]
    assert "key k\u2c7c = U\u2090 h\u2c7c + b\u2090 (x)" in add  # the bias it holds
    assert "b_a" in SCORE_LATEX["additive"] and "b_a" in NOTATION["additive"].defines
    concat = [name for name, _ in score_strips(explained_kinds["concat"], 0, "x")]
    assert concat[1] == "W\u2081 h\u209c" and "W\u2082 h\u0304\u2c7c + b\u2090" in concat[2]
    assert r"(W_1 h_t)_i" in numbers_latex(explained_kinds["concat"], 0)
    assert r"W_a [h_t; \bar h_j]" in NOTATION["concat"].defines
    assert r"= W_1 h_t + W_2 \bar h_j" in NOTATION["concat"].defines
    assert NOTATION["general"].defines == r"q = h_t, \quad k_j = W_a \bar h_j"
    np.testing.assert_array_equal(
        dict(score_strips(explained_kinds["concat"], 0, "x"))[concat[2]],
        explained_kinds["concat"].keys[0],
    )


def test_luong_writes_h_bar_in_the_context_everywhere(explained_kinds):
    from viz.inside import ORDER, context_latex

    assert r"\bar h_j" in context_latex("luong") and r"\bar h" not in context_latex("bahdanau")
    luong_context = [x for x, what in ORDER["luong"] if what == "context"][0]
    assert r"\bar h_j" in luong_context and r"\bar h_j" in context_latex("luong")
    ex = explained_kinds["dot"]
    labels = [
        name for name, _ in context_strips(["a"] * len(ex.alphas), ex.alphas, ex.values, "luong")
    ]
    assert all("h\u0304(a)" in name for name in labels[:-1])


def test_the_score_table_reads_as_numbers(explained):
    """Padded cells, a true minus sign, the selected column marked."""
    ex, pieces = explained["additive"]
    scores = ex.scores.copy()
    scores[0] = -abs(scores[0]) - 0.5  # a negative score, whatever the seed gave
    table = score_table_html(pieces, scores, ex.alphas, 2)
    cells = re.findall(r'<td data-row="e" data-col="(\d+)"([^>]*)>([^<]*)</td>', table)
    assert cells[0][2] == f"\u2212{abs(scores[0]):.4f}" and "-" not in cells[0][2]
    assert all("padding" in attrs for _, attrs, _ in cells)
    marked = re.findall(r'<t[dh][^>]*class="sel"[^>]*>([^<]*)<', table)
    assert marked == [pieces[2], signed(scores[2], 4), signed(ex.alphas[2], 4)]


def test_a_long_sources_two_heatmaps_stand_one_above_the_other(app):
    """Side by side, a long source's columns were squeezed into half the page and their
    labels overprinted; past SIDE_BY_SIDE_COLUMNS they stand one above the other."""
    from ui.inside import SIDE_BY_SIDE_COLUMNS

    def columns_around_the_charts() -> int:
        _open(app, "Temperature \u03c4")
        charts = [c for c in app.get("plotly_chart")]
        assert len(charts) >= 2
        return len(app.main.columns)

    short = columns_around_the_charts()
    long = " ".join([SENTENCE] * 4)
    app.text_area(key="source").set_value(long).run()
    assert len(app.session_state["source"].split()) + 1 > SIDE_BY_SIDE_COLUMNS
    assert columns_around_the_charts() == short - 2  # the two panels' columns are gone


def test_hand_weights_left_as_they_are_give_the_models_own_output(app):
    """Switched on and left alone, the hand weights are the model's own (the boxes show
    them rounded, which had changed log p in the third decimal before any change)."""
    _open(app, "What if it looked here?")
    app.toggle(key="inside:byhand").set_value(True).run()
    assert not app.exception
    logs = [c.value for c in app.caption if c.value.startswith("log p = ")]
    texts = [t.value for t in app.text]
    assert len(logs) == 2 and logs[0] == logs[1], logs
    assert texts[-2] == texts[-1]
