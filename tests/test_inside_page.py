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
    for name, value in re.findall(r'<td data-row="(\w+)" data-col="\d+">([^<]*)</td>', table):
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
        assert values["alpha"] == [f"{a:.4f}" for a in trace.best.alphas[t]]
        assert values["e"] == [f"{e:.4f}" for e in trace.best.scores[t]]
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


def test_tau_and_the_override_redecode(app, app_checkpoints):
    tr = _translator(app_checkpoints, "en-xx-bahdanau")
    base = tr.translate(SENTENCE)
    _open(app, "Budget \u03c4")
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
    _open(app, "Budget \u03c4")
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
    _open(app)
    app.button(key="tour:skip").click().run()
    assert app.session_state["tour:done"] is True
    assert app.session_state["tour:step"] is None


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


def test_the_budget_panels_are_told_apart(app):
    _open(app, "Budget \u03c4")
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
        assert f"{e:.4f}" in bars and f"{a:.4f}" in bars
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
                    {"bucket": "1-10", "n": 5, "bleu": 9.0},
                    {"bucket": "11-20", "n": 5, "bleu": 4.0},
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
        "this sentence: 33 words, beyond the lengths measured"
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
