"""The page driven by Streamlit's AppTest (fast, no browser)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import url_params

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "the cat sees the dog ."


@pytest.fixture
def app(app_checkpoints, monkeypatch):
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(app_checkpoints))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    return at.run()


@pytest.fixture
def examples_app(app_checkpoints, monkeypatch, tmp_path):
    """The page on the toy checkpoints with ``examples/en-xx.tsv`` given as text."""
    import ui.state

    def start(tsv: str) -> AppTest:
        examples = tmp_path / "examples"
        examples.mkdir(exist_ok=True)
        (examples / "en-xx.tsv").write_text(tsv)
        monkeypatch.setattr(ui.state, "EXAMPLES", examples)
        ui.state.examples.clear()  # earlier tests cached "no examples" for this pair
        monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(app_checkpoints))
        return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()

    yield start
    ui.state.examples.clear()


def translate(app, text: str = SENTENCE):
    app.text_area(key="source").set_value(text).run()
    assert not app.exception
    return app


def open_tab(app, name: str):
    """Tabs are lazy (only the open one runs): choose one as a click on it would."""
    app.session_state["tab"] = name
    app.run()
    assert not app.exception
    return app


def html_of(app) -> str:
    return "".join(m.value for m in app.markdown)


def test_broken_checkpoint_is_listed_with_reason_and_others_work(app):
    assert not app.exception
    warnings = [w.value for w in app.sidebar.warning]
    assert any("en-xx-broken" in w and "pickle" in w for w in warnings)
    assert app.sidebar.multiselect(key="models").options == [
        "en-xx-bahdanau",
        "en-xx-luong-dot",
        "en-xx-none",
    ]


def test_translation_and_highlight_follow_the_pills(app):
    translate(app)
    assert app.text[0].value == "der katze der hund sieht ."
    pills = app.button_group(key="explore:pill")
    assert [o.replace("\\", "").rstrip("\u200b") for o in pills.options] == [
        *["der", "katze", "der", "hund", "sieht", "."],
        "</s>",
    ]
    assert "der attends to:" in html_of(app)
    pills.set_value(4).run()
    assert "sieht attends to:" in html_of(app)
    assert app.session_state["explore:row"] == 4


def test_reverse_view_shades_target_words(app):
    translate(app)
    app.button_group(key="explore:rev").set_value(2).run()
    assert "sees was used by:" in html_of(app)


def test_step_through_moves_and_shows_candidates(app):
    translate(app)
    open_tab(app, "Step through")
    assert app.session_state["step:t"] == 1
    app.button(key="step:next").click().run()
    app.button(key="step:next").click().run()
    assert app.session_state["step:t"] == 3
    partial = app.text[-1].value  # the step view's output so far
    assert "der katze der hund sieht .".startswith(partial) and len(partial) >= 3
    app.button(key="step:prev").click().run()
    assert app.session_state["step:t"] == 2


def test_html_input_is_shown_literally(app):
    translate(app, "<img src=x onerror=alert(1)> the cat")
    html = html_of(app)
    assert "<img" not in html and "&lt;img" in html


def test_empty_input_gives_a_message(app):
    translate(app, "   ")
    assert any("empty" in i.value for i in app.info)


def test_model_without_attention_says_so(app):
    app.sidebar.multiselect(key="models").set_value(["en-xx-none"]).run()
    translate(app)
    assert any("no attention" in i.value for i in app.info)
    assert app.text[0].value  # still translates, and steps through
    open_tab(app, "Step through")
    assert app.session_state["step:t"] == 1


def test_beam_compare_diagnostics_and_gold(app):
    app.sidebar.multiselect(key="models").set_value(["en-xx-bahdanau", "en-xx-none"]).run()
    app.sidebar.slider(key="beam").set_value(4).run()
    translate(app)
    open_tab(app, "Beam")
    assert app.dataframe  # the n-best list, the candidates
    open_tab(app, "Gold alignment")
    app.text_area(key="gold:links").set_value("0-0 1-1 2-4 x-y 99-1").run()
    assert not app.exception
    warnings = " ".join(w.value.replace("\\", "") for w in app.warning)  # as typed
    assert "'x-y' is not i-j" in warnings and "outside the sentence" in warnings
    assert {m.label for m in app.metric} >= {"AER", "Precision", "Recall"}
    app.text_area(key="gold:links").set_value("0-0 a b c d e f g h").run()  # 8 bad ones
    warnings = [w.value.replace("\\", "") for w in app.warning]
    warnings = [w for w in warnings if "is not i-j" in w or "more links" in w]
    assert len(warnings) == 6 and warnings[-1] == "... and 3 more links that cannot be read."
    app.text_area(key="gold:links").set_value("[a](b) **x**").run()  # shown as typed
    warnings = [w.value for w in app.warning if "is not i\\-j" in w.value]
    assert len(warnings) == 2 and warnings[0].startswith("'\\[a\\]\\(b\\)'")
    open_tab(app, "Compare")
    assert not any("Pick two to four models" in i.value for i in app.info)
    open_tab(app, "Diagnostics")


def test_gold_links_stay_with_the_sentence_they_were_typed_for(app):
    """Links typed for one sentence are not scored against the next: the box empties
    for a new sentence and the links come back with theirs, across a tab switch too."""
    translate(app)
    open_tab(app, "Gold alignment")
    app.text_area(key="gold:links").set_value("0-0 1-1").run()
    assert {m.label for m in app.metric} >= {"AER"}
    translate(app, "the dog sees the cat .")
    open_tab(app, "Gold alignment")
    assert app.text_area(key="gold:links").value == ""
    assert not app.metric  # nothing scored
    assert any("kept with them" in c.value for c in app.caption)
    translate(app)
    open_tab(app, "Explorer")
    open_tab(app, "Gold alignment")
    assert app.text_area(key="gold:links").value == "0-0 1-1"
    assert {m.label for m in app.metric} >= {"AER"}


def test_the_selected_word_stays_selected_across_the_level_switch(app):
    translate(app)
    app.session_state["explore:row"] = 2  # what a click on the third word sets
    app.run()
    assert app.session_state["explore:row_words"][2] == 2
    for level in ("pieces", "words"):
        app.sidebar.radio(key="level").set_value(level).run()
        assert not app.exception
        row = app.session_state["explore:row"]
        assert app.session_state["explore:row_words"][row] == 2, level  # the same word
    assert app.session_state["explore:row"] == 2


def test_the_views_show_the_model_chosen_of_several(app):
    app.sidebar.multiselect(key="models").set_value(["en-xx-none", "en-xx-bahdanau"]).run()
    translate(app)
    focus = app.radio(key="focus")
    assert focus.options == ["en-xx-none", "en-xx-bahdanau"]
    # the first model with attention opens, not the first picked
    assert focus.value == "en-xx-bahdanau"
    assert any(c.value == "Model: en-xx-bahdanau" for c in app.caption)
    assert not any("no attention" in i.value for i in app.info)
    assert app.query_params["focus"] in ("en-xx-bahdanau", ["en-xx-bahdanau"])
    focus.set_value("en-xx-none").run()
    assert not app.exception
    assert any(c.value == "Model: en-xx-none" for c in app.caption)
    assert any("no attention" in i.value for i in app.info)
    assert app.query_params["focus"] in ("en-xx-none", ["en-xx-none"])
    open_tab(app, "Step through")  # the other single-model views follow it
    assert app.session_state["step:t"] == 1
    app.sidebar.multiselect(key="models").set_value(["en-xx-bahdanau"]).run()
    assert not app.exception
    assert not [r for r in app.radio if r.key == "focus"]  # one model: nothing to choose
    assert "focus" not in app.query_params


def test_the_views_can_show_the_reference_forced(app):
    translate(app)
    assert not [r for r in app.radio if r.key == "target"]  # no reference: nothing to choose
    reference = "die katze sieht den hund ."
    app.text_input(key="reference").set_value(reference).run()
    target = app.radio(key="target")
    assert target.value == "the model's translation"
    assert app.text[0].value == "der katze der hund sieht ."
    target.set_value("the reference, forced").run()
    assert not app.exception
    assert app.text[0].value == reference  # the rows are the reference's words
    assert any("The reference, forced" in m.value for m in app.markdown)
    own = [c.value.replace("\\", "") for c in app.caption if "Its own translation" in c.value]
    assert own == ["Its own translation: der katze der hund sieht ."]
    pills = app.button_group(key="explore:pill")
    assert [o.replace("\\", "").rstrip("\u200b") for o in pills.options][:3] == [
        "die", "katze", "sieht"
    ]  # fmt: skip
    assert app.query_params["target"] in ("reference", ["reference"])
    for tab in ("Inside \u03b1", "What-if", "Beam", "Diagnostics", "Export", "Step through"):
        open_tab(app, tab)
    captions = " ".join(c.value.replace("\\", "") for c in app.caption)
    assert "Forced (the reference's piece) at this step: ·d" in captions  # "·d|ie"
    app.text_input(key="reference").set_value("").run()  # no reference: the output again
    open_tab(app, "Explorer")
    assert app.text[0].value == "der katze der hund sieht ."
    assert "target" not in app.query_params


def test_a_reference_that_cannot_be_forced_says_so_and_the_views_stay(app):
    translate(app)
    app.text_input(key="reference").set_value("\x07\x00").run()  # nothing left once cleaned
    app.radio(key="target").set_value("the reference, forced").run()
    assert not app.exception
    assert any("The reference cannot be forced: the text is empty" in w.value for w in app.warning)
    assert app.text[0].value == "der katze der hund sieht ."  # the model's own, as before
    for tab in ("Inside \u03b1", "Step through", "What-if", "Compare", "Export"):
        open_tab(app, tab)


def test_a_forced_reference_the_vocabulary_cannot_read_is_named(app):
    translate(app)
    app.text_input(key="reference").set_value("der <hund> .").run()
    app.radio(key="target").set_value("the reference, forced").run()
    assert not app.exception
    warnings = [w.value.replace("\\", "") for w in app.warning]
    assert any("lacks 2 characters of the target: < >" in w for w in warnings), warnings
    assert "\u2047" in app.text[0].value  # forced as the unknown piece


def test_a_link_names_the_model_shown_and_a_wrong_one_is_ignored(app_checkpoints, monkeypatch):
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(app_checkpoints))
    models = "en-xx-bahdanau,en-xx-luong-dot"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    forced = {"ref": "die katze sieht den hund .", "target": "reference"}
    at.query_params.update(
        {"text": SENTENCE, "models": models, "focus": "en-xx-luong-dot", **forced}
    )
    at.run()
    assert not at.exception
    assert at.radio(key="focus").value == "en-xx-luong-dot"
    assert any(c.value == "Model: en-xx-luong-dot" for c in at.caption)
    assert at.text[0].value == forced["ref"]
    wrong = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    wrong.query_params.update(
        {"text": SENTENCE, "models": models, "focus": "en-xx-none", "target": "x"}
    )
    wrong.run()
    assert not wrong.exception
    notes = " ".join(i.value for i in wrong.sidebar.info)
    assert "focus" in notes and "target" in notes
    assert wrong.radio(key="focus").value == "en-xx-bahdanau"


def test_url_holds_the_view_and_bad_parameters_are_ignored(app_checkpoints, monkeypatch):
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(app_checkpoints))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(
        {
            "text": "the bird follows the king .",
            "beam": "99",
            "models": "en-xx-bahdanau,nope",
            "lp": "0.5",
        }
    )
    at.run()
    assert not at.exception
    assert at.text_area(key="source").value == "the bird follows the king ."
    assert at.session_state["beam"] == 1 and at.session_state["lp"] == 0.5
    notes = " ".join(i.value for i in at.sidebar.info)
    assert "beam" in notes and "models" in notes  # the unknown model "nope" is named too
    assert at.session_state["models"] == ["en-xx-bahdanau"]
    translate(at, SENTENCE)
    assert at.query_params["text"] == [SENTENCE] or at.query_params["text"] == SENTENCE


def test_a_link_whose_parameters_disagree_says_which_it_ignored(app_checkpoints, monkeypatch):
    """A pair that is not the models' pair, and a forced target without a reference to
    force, were dropped without a word."""
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(app_checkpoints))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(
        {"pair": "hi-xx", "models": "en-xx-bahdanau", "text": SENTENCE, "target": "reference"}
    )
    at.run()
    assert not at.exception
    notes = " ".join(i.value for i in at.sidebar.info)
    assert "pair (the models asked for are en-xx's)" in notes
    assert "target (the link gives no reference to force: ref=)" in notes
    assert at.session_state["pair"] == "en-xx"  # the models win
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"pair": "en-xx", "models": "en-xx-bahdanau", "text": SENTENCE})
    at.query_params.update({"ref": "der katze .", "target": "reference", "beam": "3"})
    at.run()
    assert not at.exception and not at.sidebar.info  # an agreeing link: no note
    assert at.session_state["beam"] == 3


def test_example_picker_fills_source_and_reference(examples_app):
    at = examples_app(
        "kind\tsource\treference\tlabel\tforced\n"
        "classic\tthe cat sees the dog .\tder katze der hund sieht .\t\t\n"
        "classic\tthe dog sees the cat .\tder hund sieht die katze .\tA figure (a)\tyes\n"
        "test\tthe bird follows the king .\tder vogel der koenig folgt .\t\t\n"
    )
    at.selectbox(key="example").set_value("test: the bird follows the king .").run()
    assert not at.exception
    assert at.text_area(key="source").value == "the bird follows the king ."
    assert at.text_input(key="reference").value == "der vogel der koenig folgt ."
    assert at.text[0].value  # translated
    assert at.radio(key="target").value == "the model's translation"
    # an example drawn from its reference forced: named by its label, opened forced
    at.selectbox(key="example").set_value("A figure (a): the dog sees the cat .").run()
    assert not at.exception
    assert at.radio(key="target").value == "the reference, forced"
    assert at.text[0].value == "der hund sieht die katze ."


def test_a_pair_switch_after_a_pick_names_the_example_and_loads_its_reference(
    examples_app, tmp_path
):
    """After a picked example, the new pair's sentence is picked too where it is one of
    its examples: the picker names it and the reference is its own (picking the same
    label again would change nothing).  Without a pick, the reference is cleared, as on
    a page opened on the pair."""
    (tmp_path / "examples").mkdir(exist_ok=True)
    (tmp_path / "examples" / "hi-xx.tsv").write_text(
        "kind\tsource\treference\tlabel\tforced\nclassic\tनमस्ते .\thello .\t\t\n"
    )
    at = examples_app(
        "kind\tsource\treference\tlabel\tforced\n"
        "classic\tthe cat sees the dog .\tder katze der hund sieht .\t\t\n"
        "classic\tthe dog sees the cat .\tder hund sieht die katze .\t\t\n"
    )
    at.sidebar.selectbox(key="pair").set_value("hi-xx").run()  # nothing picked yet
    assert not at.exception
    assert at.text_area(key="source").value == "नमस्ते ."
    assert at.selectbox(key="example").value is None
    assert at.text_input(key="reference").value == ""
    at.sidebar.selectbox(key="pair").set_value("en-xx").run()
    at.selectbox(key="example").set_value("classic: the dog sees the cat .").run()
    at.sidebar.selectbox(key="pair").set_value("hi-xx").run()  # after a pick
    assert not at.exception
    assert at.selectbox(key="example").value == "classic: नमस्ते ."
    assert at.text_input(key="reference").value == "hello ."
    at.sidebar.selectbox(key="pair").set_value("en-xx").run()
    assert at.text_area(key="source").value == "the cat sees the dog ."  # the pair's first
    assert at.selectbox(key="example").value == "classic: the cat sees the dog ."
    assert at.text_input(key="reference").value == "der katze der hund sieht ."


def test_a_rerun_sent_before_the_browser_had_the_pick_does_not_bring_the_old_text_back(
    examples_app, monkeypatch
):
    """The browser sends every widget's value with each rerun: Escape or a click during
    the run an example pick starts can send the text boxes' old values, which Streamlit
    lets win over the pick.  The page puts the pick back while the pick's own run has not
    ended or has just ended (``PICK_SETTLE_S``); after that, the same values are the
    person's own and stay."""
    import ui.state

    monkeypatch.setattr(ui.state, "PICK_SETTLE_S", 60.0)  # the stale rerun comes at once
    at = examples_app(
        "kind\tsource\treference\tlabel\tforced\n"
        "classic\tthe dog sees the cat .\tder hund sieht die katze .\tA figure (a)\tyes\n"
    )
    translate(at, SENTENCE)
    at.selectbox(key="example").set_value("A figure (a): the dog sees the cat .").run()
    assert at.text[0].value == "der hund sieht die katze ."  # forced
    # the stale rerun: the example cleared (Escape) and the boxes' values from before
    at.selectbox(key="example").set_value(None)
    at.text_area(key="source").set_value(SENTENCE)
    at.text_input(key="reference").set_value("")
    at.run()
    assert not at.exception
    assert at.text_area(key="source").value == "the dog sees the cat ."
    assert at.text_input(key="reference").value == "der hund sieht die katze ."
    assert at.radio(key="target").value == "the reference, forced"
    assert at.text[0].value == "der hund sieht die katze ."  # the views follow the boxes
    # later, the old text typed back is the person's choice
    monkeypatch.setattr(ui.state, "PICK_SETTLE_S", 0.0)
    at.text_area(key="source").set_value(SENTENCE)
    at.text_input(key="reference").set_value("")
    at.run()
    assert at.text_area(key="source").value == SENTENCE
    assert at.text_input(key="reference").value == ""


def test_an_examples_hand_links_are_checked_and_outlined_on_the_reference_forced(examples_app):
    """A classic example with hand links (a probe's): on its reference forced the explorer
    outlines the linked cells and says, link by link, whether each row peaks there; on
    the model's own translation it says how to check them instead."""
    import json
    import re

    at = examples_app(
        "kind\tsource\treference\tlabel\tforced\tlinks\n"
        "classic\tthe dog sees the cat .\tder hund sieht die katze .\t"
        "A figure (b)\tyes\t1-1 4-4 2-0\n"
    )
    at.selectbox(key="example").set_value("A figure (b): the dog sees the cat .").run()
    assert not at.exception and at.radio(key="target").value == "the reference, forced"
    grid = json.loads(at.session_state["explore:figure"][1]["grid"])
    assert grid["rows"][:6] == ["der", "hund", "sieht", "die", "katze", "."]
    assert grid["marks"] == [[0, 2], [1, 1], [4, 4]]  # (row, column) of 2-0, 1-1, 4-4
    # the rule, again by hand on the drawn weights: the peak among the words that are
    # not punctuation (columns 0-4), </s> left out
    values = np.array(grid["values"], dtype=float)
    found = [int(values[r, :5].argmax()) == c for r, c in grid["marks"]]
    page = html_of(at)
    assert f"Hand-marked links: {sum(found)} of 3 found" in page
    rows = re.findall(r'data-found="(\d)"', page)
    assert [r == "1" for r in rows] == found
    assert "der ← sees" in page and "katze ← cat" in page
    # the model's own translation: no marks, a pointer to the forced reference
    at.radio(key="target").set_value("the model's translation").run()
    assert not at.exception
    assert "Hand-marked links" not in html_of(at)
    assert json.loads(at.session_state["explore:figure"][1]["grid"])["marks"] == []
    assert any("choose *the reference, forced*" in c.value for c in at.caption)
    # Compare, on the reference as the shared target: each model's heatmap outlines and
    # counts the links; on another shared target, none
    at.sidebar.multiselect(key="models").set_value(["en-xx-bahdanau", "en-xx-luong-dot"]).run()
    open_tab(at, "Compare")
    at.radio(key="cmp:target").set_value("the reference").run()
    captions = [c.value.replace("\\", "") for c in at.caption]  # as typed, unescaped
    counts = [c for c in captions if c.startswith("Hand-marked links: ")]
    assert len(counts) == 2 and all(
        re.search(r"\d of 3 found \(der ← sees [✓✗]", c) for c in counts
    )
    at.radio(key="cmp:target").set_value("en-xx-bahdanau's output").run()
    assert not [c for c in at.caption if "marked links" in c.value]


def test_corpus_selection_maps_to_a_row():
    from ui.corpus import selected_row

    rows = [{"source": "a"}, {"source": "b"}]
    assert selected_row({"selection": {"rows": [1], "columns": []}}, rows) == {"source": "b"}
    assert selected_row({"selection": {"rows": [], "columns": []}}, rows) is None
    assert selected_row({"selection": {"rows": [7]}}, rows) is None
    assert selected_row(None, rows) is None


def test_what_if_takes_another_candidate_and_forces_a_target(app, app_checkpoints):
    translate(app)
    open_tab(app, "What-if")
    app.number_input(key="whatif:t").set_value(2).run()
    radio = app.radio(key="whatif:cand:2")
    radio.set_value(radio.options[1]).run()
    assert not app.exception
    captions = " ".join(c.value for c in app.caption)
    assert "Re-decoded from the prefix" in captions
    # another step and back: the candidate picked there is still picked
    app.number_input(key="whatif:t").set_value(3).run()
    assert app.radio(key="whatif:cand:3").index == 0
    app.number_input(key="whatif:t").set_value(2).run()
    assert app.radio(key="whatif:cand:2").index == 1

    def heading() -> str:  # the bold line over the forced target's view
        return [m.value for m in app.markdown if m.value.endswith(", forced**")][-1]

    assert heading() == "**The model's own output, forced**"  # the box starts with it
    app.text_input(key="whatif:force").set_value("der hund .").run()
    assert not app.exception
    assert "log p of this target" in " ".join(c.value for c in app.caption)
    assert "der hund ." in [t.value for t in app.text]
    assert heading() == "**Your target, forced**"
    assert not [w for w in app.warning if "vocabulary lacks" in w.value]
    app.text_input(key="reference").set_value("der  hund .").run()  # spacing aside
    assert heading() == "**The reference, forced**"
    # characters the vocabulary lacks are named, as for the source
    app.text_input(key="whatif:force").set_value("der <hund> .").run()
    assert not app.exception
    warnings = [w.value.replace("\\", "") for w in app.warning]
    assert any("vocabulary lacks 2 characters of the target: < >" in w for w in warnings)
    # a new sentence starts the box again, from its reference or else its output
    app.text_input(key="reference").set_value("").run()
    app.text_area(key="source").set_value("the dog sees the cat .").run()
    from models.checkpoint import load_checkpoint
    from models.engine import Translator

    loaded = load_checkpoint(str(app_checkpoints / "en-xx-bahdanau"), "cpu")
    output = Translator(loaded.model, loaded.tokenizer).translate("the dog sees the cat .")
    assert app.text_input(key="whatif:force").value == output.best.text
    assert heading() == "**The model's own output, forced**"


def test_diagnostics_can_label_rows_by_the_decoder_input(app, app_checkpoints):
    translate(app)
    open_tab(app, "Diagnostics")
    app.toggle(key="diag:input").set_value(True).run()
    assert not app.exception
    assert any("Mean mass on </s>" in c.value for c in app.caption)
    # at piece level the rows are the decoder's input pieces, written as every view does
    from models.checkpoint import load_checkpoint
    from models.engine import Translator
    from ui.diagnostics import input_labels
    from viz.matrix import piece_label

    loaded = load_checkpoint(str(app_checkpoints / "en-xx-bahdanau"), "cpu")
    trace = Translator(loaded.model, loaded.tokenizer).translate(SENTENCE)
    labels = input_labels(trace, "pieces", list(trace.best.pieces))
    assert labels == ["<s>", *(piece_label(p) for p in trace.best.pieces[:-1])]
    assert not any("\u2581" in label for label in labels)


def test_dropped_control_characters_are_said(app):
    translate(app, "the cat\u202e sees the\x07 dog .")
    notes = [i.value for i in app.info]
    assert "The source was read without 2 invisible control, format or direction characters" in (
        " ".join(notes).replace("\\", "")
    )
    assert app.text[0].value == "der katze der hund sieht ."


def test_huge_input_is_cut_with_a_notice(app):
    translate(app, "the cat sees the dog . " * 300)  # 6,900 characters
    assert any("cut to its first 5,000 characters" in i.value for i in app.info)
    assert app.text[0].value


def test_explorer_draws_its_own_heatmap_at_any_size(app):
    import json

    from viz.grid import SVG_CELLS

    translate(app, "the cat sees the dog . " * 30)
    app.text_input(key="reference").set_value("der katze sieht der hund . " * 30).run()
    app.radio(key="target").set_value("the reference, forced").run()  # 181 x 181 words
    assert app.get("bidi_component") and not app.get("plotly_chart")
    grid = json.loads(app.session_state["explore:figure"][1]["grid"])
    assert len(grid["rows"]) * len(grid["cols"]) > SVG_CELLS == grid["svg_cells"]
    assert "der attends to:" in html_of(app)


def test_card_rows_show_the_reordering_probe_when_measured():
    from ui.sidebar import card_rows

    card = {"attention": "luong", "score": "dot", "params": 950024, "aer": 0.61,
            "test": {"bleu": 9.1, "chrf": 30.2},
            "training": {"steps": 8000, "seconds": 2100, "hardware": "CPU (1 thread)"}}  # fmt: skip
    rows = card_rows(card)
    assert rows["test BLEU / chrF"] == "9.1 / 30.2" and rows["AER"] == 0.61
    assert rows["trained"] == "8000 steps, 35 min, CPU (1 thread)"
    assert "verb-final links found" not in rows
    assert rows["encoder"] == "GRU, 2 directions x ?"  # an old card: no sizes, no key
    card.update(sizes={"enc_hidden": 256}, bidirectional=False)
    assert card_rows(card)["encoder"] == "GRU 256, left to right"
    card.update(reorder_probe={"found": 7, "of": 10}, pair="en-de")
    assert card_rows(card)["verb-final links found"] == "7 of 10 (training.probe)"
    card["pair"] = "en-fr"  # the same probe, on Bahdanau et al.'s Figure 3
    rows = card_rows(card)
    assert rows["Figure 3 inversions found"] == "7 of 10 (training.probe)"
    assert "verb-final links found" not in rows
    assert "data" not in rows and "credit" not in rows  # a card that does not say
    card.update(domain="Bible verses", credit="a Bible (CC BY-SA 4.0)")
    rows = card_rows(card)
    assert rows["data"] == "Bible verses" and rows["credit"] == "a Bible (CC BY-SA 4.0)"


def test_a_weak_model_is_said_to_be_one_beside_its_output():
    from ui.sidebar import WEAK_BLEU, weak_model_note

    card = {"domain": "small-data demo: everyday sentences",
            "test": {"bleu": 4.9, "greedy": {"bleu": 4.9}, "beam5": {"bleu": 7.61}}}  # fmt: skip
    note = weak_model_note(card)
    assert note.startswith("small-data demo: everyday sentences. Test BLEU 4.9 greedy, 7.61")
    assert "many of its translations are wrong" in note
    card["test"] = {"bleu": WEAK_BLEU, "greedy": {"bleu": WEAK_BLEU}}
    assert weak_model_note(card) is None  # at the line: not weak
    assert weak_model_note({"test": {"bleu": 3.0}}).startswith(
        "a small model. Test BLEU 3.0 greedy,"
    )
    assert weak_model_note({}) is None  # no figures, no claim


def test_the_explorer_warns_beside_a_weak_models_output(app_checkpoints, monkeypatch, tmp_path):
    import json
    import shutil

    root = tmp_path / "checkpoints"
    shutil.copytree(app_checkpoints, root)
    card_path = root / "en-xx-bahdanau" / "card.json"
    card = json.loads(card_path.read_text("utf-8")) if card_path.exists() else {}
    card.update(domain="toy sentences", test={"bleu": 2.5, "greedy": {"bleu": 2.5}})
    card_path.write_text(json.dumps(card), encoding="utf-8")
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(root))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.multiselect(key="models").set_value(["en-xx-bahdanau"]).run()
    translate(at)
    captions = [c.value.replace("\\", "") for c in at.caption]  # as typed, unescaped
    notes = [c for c in captions if "Test BLEU 2.5 greedy" in c]
    assert notes and notes[0].startswith("Toy sentences. Test BLEU 2.5 greedy, so many")
    # the pair's domain, whole under the pair picker (which cuts a long label)
    assert "en-xx: toy sentences" in [c.value.replace("\\", "") for c in at.sidebar.caption]


def test_url_length_penalty_out_of_the_slider_range_is_ignored(app_checkpoints, monkeypatch):
    from models.options import MAX_LENGTH_PENALTY

    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(app_checkpoints))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    long_text = "the cat sees the dog . " * 300  # 6,900 characters
    at.query_params.update(
        {"lp": str(MAX_LENGTH_PENALTY + 1), "tab": "Nowhere", "level": "foo", "text": long_text}
    )
    at.run()
    assert not at.exception
    notes = " ".join(i.value for i in at.sidebar.info).replace("\\", "")
    assert "lp" in notes and "tab" in notes and "level" in notes
    assert "text (cut to its first 5,000 characters)" in notes  # as typed text is
    assert at.text_area(key="source").value == long_text[:5000]
    assert at.sidebar.radio(key="level").value == "words"
    assert at.sidebar.slider(key="lp").max == MAX_LENGTH_PENALTY
    at.query_params.clear()
    at2 = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at2.query_params.update({"lp": str(MAX_LENGTH_PENALTY), "beam": "2"})
    at2.run()
    assert not at2.exception and at2.session_state["lp"] == MAX_LENGTH_PENALTY


def test_url_restores_the_open_tab_and_the_selected_target_word(app_checkpoints, monkeypatch):
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(app_checkpoints))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"text": SENTENCE, "row": "4"})
    at.run()
    assert not at.exception
    assert at.session_state["explore:row"] == 4 and "sieht attends to:" in html_of(at)
    at.button_group(key="explore:pill").set_value(1).run()
    assert at.query_params["row"] in ("1", ["1"])
    open_tab(at, "Diagnostics")
    assert at.query_params["tab"] in ("Diagnostics", ["Diagnostics"])
    shared = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    shared.query_params.update({"text": SENTENCE, "tab": "Diagnostics", "row": "3"})
    shared.run()
    assert not shared.exception
    assert shared.session_state["tab"] == "Diagnostics"
    assert any("Mean mass on </s>" in c.value for c in shared.caption)  # the open tab ran
    open_tab(shared, "Explorer")
    assert shared.session_state["explore:row"] == 3  # the shared word, once the explorer shows
    past = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    past.query_params.update({"text": SENTENCE, "row": "500"})
    past.run()
    assert not past.exception
    rows = len(past.session_state["explore:row_words"])
    assert past.session_state["explore:row"] == rows - 1
    assert any(f"asks for target row 500; this translation has {rows} rows" in c.value
               for c in past.caption)  # fmt: skip


def test_url_holds_the_beam_tabs_chosen_hypothesis(app_checkpoints, monkeypatch):
    """A shared link reopens the Beam tab on the hypothesis it was sent with (1-based, as
    the n-best list ranks); one past the list chooses the last, with a note."""
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(app_checkpoints))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"text": SENTENCE, "beam": "3", "tab": "Beam"})
    at.run()
    assert not at.exception and "hyp" not in url_params(at)  # the best: no parameter
    at.selectbox(key="beam:hyp").set_value(2).run()
    assert url_params(at)["hyp"] == "3"
    at.slider(key="beam").set_value(2).run()  # a longer list's choice does not outlive it
    assert not at.exception
    assert at.selectbox(key="beam:hyp").value < len(at.selectbox(key="beam:hyp").options)
    at.selectbox(key="beam:hyp").set_value(1).run()
    open_tab(at, "Diagnostics")
    assert "hyp" not in url_params(at)  # only the Beam tab's view holds it
    shared = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    shared.query_params.update({"text": SENTENCE, "beam": "3", "tab": "Beam", "hyp": "2"})
    shared.run()
    assert not shared.exception
    assert shared.selectbox(key="beam:hyp").value == 1 and url_params(shared)["hyp"] == "2"
    past = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    past.query_params.update({"text": SENTENCE, "beam": "3", "tab": "Beam", "hyp": "9"})
    past.run()
    assert not past.exception
    n = len(past.selectbox(key="beam:hyp").options)
    assert past.selectbox(key="beam:hyp").value == n - 1
    assert any(f"asks for hypothesis 9; this {n}-best list" in c.value for c in past.caption)
    bad = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    bad.query_params.update({"text": SENTENCE, "beam": "3", "tab": "Beam", "hyp": "x"})
    bad.run()
    assert not bad.exception and bad.selectbox(key="beam:hyp").value == 0


def test_a_sentence_in_another_language_of_the_same_script_is_named(app):
    """German typed into an English-reading model: no character is unknown, so only its
    words tell; the page says which language it looks like, and translates anyway."""
    translate(app, "das ist gut und ich bin hier .")
    said = [w.value.replace("\\", "") for w in app.warning if "looks like" in w.value]
    assert said == [
        "This text looks like German (ist, und, ich); this model reads English, so "
        "its translation of it means little."
    ]
    assert "attends to:" in html_of(app)  # still translated
    translate(app, SENTENCE)
    assert not [w for w in app.warning if "looks like" in w.value]


def test_make_run_listens_on_loopback_unless_told_to_serve_a_room():
    import subprocess

    def command(*args: str) -> str:
        return subprocess.run(
            ["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout

    assert "--server.address=127.0.0.1 " in command()
    assert "--server.address=0.0.0.0 " in command("HOST=0.0.0.0")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run HOST=0.0.0.0" in readme


def test_unknown_characters_are_named_with_the_pair_that_reads_them(app):
    assert app.sidebar.selectbox(key="pair").options == ["en-xx", "hi-xx"]
    translate(app, "the cat नमस्ते sees the dog 😀 .")
    warnings = [w.value.replace("\\", "") for w in app.main.warning]
    assert len(warnings) == 1, warnings
    note = warnings[0]
    assert "lacks 7 characters" in note
    # combining marks (virama, vowel sign) on a dotted circle: alone they draw on a space
    assert ("Devanagari न म स \u25cc\u094d त \u25cc\u0947 (the hi-xx pair reads them)") in note
    assert "symbols 😀 (no other loaded pair from English reads them)" in note
    assert note.endswith("To translate Hindi, choose hi-xx under Language pair.")
    assert app.text[0].value  # the rest is still translated
    translate(app, SENTENCE)
    assert not app.main.warning


def test_step_through_says_what_the_emitted_piece_is(app):
    translate(app)
    open_tab(app, "Step through")
    captions = " ".join(c.value.replace("\\", "") for c in app.caption)
    assert "Emitted at this step: ·d (the start of a word), p = " in captions  # "·d|er"
    assert "␣ is a word start on its own" in captions  # the legend under the candidates


def test_compare_selects_one_target_word_in_every_heatmap_of_the_shared_target(app):
    app.sidebar.multiselect(key="models").set_value(["en-xx-bahdanau", "en-xx-luong-dot"]).run()
    translate(app)
    open_tab(app, "Compare")
    assert len(app.get("bidi_component")) == 4  # own outputs and shared target, clickable
    assert html_of(app).count("der attends to:") >= 2
    app.session_state["cmp:forced:row"] = 4  # what a click on row 4 of either heatmap sets
    app.run()
    assert not app.exception
    assert html_of(app).count("sieht attends to:") == 2  # both heatmaps of the shared target
    # the agreement as a count of rows, with the share beside it
    (metric,) = [m for m in app.metric if m.label.startswith("Argmax agreement")]
    agree, rows, share = re.fullmatch(r"(\d+) of (\d+) \((\d+\.\d)%\)", metric.value).groups()
    assert 0 <= int(agree) <= int(rows) and int(rows) >= 2
    assert f"{int(agree) / int(rows):.1%}" == f"{share}%"


def test_a_model_whose_weights_fail_to_load_is_set_aside_and_the_others_work(
    app_checkpoints, tmp_path, monkeypatch
):
    """Weights are read on first use: a folder that lists well but holds NaN weights is
    named in the sidebar with its reason when the page first decodes with it, and the
    other model chosen with it still translates."""
    import shutil

    import torch
    from safetensors.torch import load_file, save_file

    for name in ("en-xx-bahdanau", "en-xx-none"):
        shutil.copytree(app_checkpoints / name, tmp_path / name)
    bad = tmp_path / "en-xx-nanweights"
    shutil.copytree(app_checkpoints / "en-xx-bahdanau", bad)
    tensors = load_file(str(bad / "model.safetensors"))
    first = sorted(tensors)[0]
    tensors[first] = torch.full_like(tensors[first], float("nan"))
    save_file(tensors, str(bad / "model.safetensors"), metadata={"format": "pt"})
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"models": "en-xx-bahdanau,en-xx-nanweights", "text": SENTENCE})
    at.run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.sidebar.warning)
    assert "en-xx-nanweights" in warnings and "NaN or infinite" in warnings
    assert at.text[0].value == "der katze der hund sieht ."
    assert "en-xx-nanweights" not in at.query_params["models"]


def test_a_new_pair_keeps_a_sentence_in_its_source_language(monkeypatch):
    import ui.state

    monkeypatch.setattr(ui.state, "default_text", lambda pair: f"<{pair}'s example>")
    keep = ui.state.source_for_pair
    assert keep("en-fr", "en-de", "My grandmother bakes bread.") == "My grandmother bakes bread."
    assert keep("en-de", "hi-en", "My grandmother bakes bread.") == "<hi-en's example>"
    assert keep("hi-en", "es-en", "मैं खाना खा रहा हूँ") == "<es-en's example>"
    assert keep("en-fr", "en-hi", "  ") == "<en-hi's example>"


def test_another_source_language_starts_from_its_example(app):
    import ui.state

    translate(app)
    app.text_input(key="reference").set_value("der hund .").run()
    app.sidebar.selectbox(key="pair").set_value("hi-xx").run()
    assert not app.exception
    assert app.text_area(key="source").value == ui.state.default_text("hi-xx")
    assert app.text_input(key="reference").value == ""


def test_widgets_are_sent_their_values_again_in_a_sessions_first_runs(app):
    """A click during a session's first run made the browser drop the values of the
    widgets the page sets (text, models) when that run ended, and show them empty.  The
    first two runs to reach their end send those values with the widgets
    (``set_value``), which the browser adopts; later runs leave the browser's alone."""
    from ui.state import REDRAWN_RUNS, RUNS_ENDED, STATE_SET_WIDGETS

    assert app.session_state[RUNS_ENDED] == 1 < REDRAWN_RUNS == 2
    translate(app)  # the second run: the values are sent again
    text, models = app.text_area(key="source"), app.sidebar.multiselect(key="models")
    assert text.proto.set_value and text.proto.value == SENTENCE
    assert models.proto.set_value and models.value == app.session_state["models"] != []
    app.run()  # the third: the browser's values stand
    assert app.session_state[RUNS_ENDED] == 3
    assert not app.text_area(key="source").proto.set_value
    assert not app.sidebar.multiselect(key="models").proto.set_value
    assert {"source", "models"} <= set(STATE_SET_WIDGETS)


def _stored_copy(app_checkpoints, root: Path, name: str, text: str = SENTENCE) -> Path:
    """A copy of toy checkpoint ``name`` under ``root`` with its trace of ``text``
    stored (``traces.json``), as the shipped checkpoints hold their first sentence's."""
    import shutil

    from models.checkpoint import load_checkpoint
    from models.engine import Translator
    from models.options import DecodeSettings
    from models.stored import write_traces

    folder = root / name
    shutil.copytree(app_checkpoints / name, folder)
    loaded = load_checkpoint(str(folder), "cpu")
    settings = DecodeSettings()
    write_traces(
        folder, [Translator(loaded.model, loaded.tokenizer, name).translate(text)], settings
    )
    return folder


def test_weights_found_broken_after_a_stored_trace_stood_are_set_aside_not_an_error(
    app_checkpoints, tmp_path, monkeypatch
):
    """A model whose stored trace stands for the page's sentence is not loaded for it;
    when Compare then forces a target through it and its weights fail to load, the model
    is listed as unavailable with its reason and the others go on (no error in the tab)."""
    import json
    import shutil

    broken = _stored_copy(app_checkpoints, tmp_path, "en-xx-none")
    config = json.loads((broken / "config.json").read_text())
    config["model"]["enc_hidden"] *= 2  # the weights no longer fit it; the listing passes
    (broken / "config.json").write_text(json.dumps(config))
    shutil.copytree(app_checkpoints / "en-xx-bahdanau", tmp_path / "en-xx-bahdanau")
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(
        {"models": "en-xx-none,en-xx-bahdanau", "text": SENTENCE, "tab": "Compare"}
    )
    at.run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.sidebar.warning)
    assert "**en-xx-none** is unavailable: model.safetensors:" in warnings
    assert at.session_state["models"] == ["en-xx-bahdanau"]  # the one that works stays
    assert any("Pick two to four models" in i.value for i in at.info)  # Compare says why
    assert "en-xx-none" not in at.query_params["models"]
    open_tab(at, "Explorer")
    assert at.text[0].value == "der katze der hund sieht ."


def test_a_forced_reference_is_said_to_be_cleaned_or_cut(app):
    """The reference forced gets the notes a source gets: what cleaning dropped from
    it, and where it was cut to fit the output limit."""
    from models.options import MAX_OUTPUT_PIECES

    translate(app)
    app.text_input(key="reference").set_value("der katze\u202e der\u200b hund sieht\u0007 .").run()
    app.radio(key="target").set_value("the reference, forced").run()
    assert not app.exception
    notes = " ".join(i.value for i in app.info).replace("\\", "")
    assert (
        "The reference was read without 2 invisible control, format or direction characters "
        "(U+202E, U+0007), and with 1 zero width space (U+200B) as spaces." in notes
    )
    app.text_input(key="reference").set_value("der katze der hund sieht . " * 120).run()
    assert not app.exception
    notes = " ".join(i.value for i in app.info)
    cut = re.search(r"The reference was cut to its first ([\d,]+) words \((\d+) pieces\)", notes)
    assert cut, notes
    assert int(cut.group(2)) == MAX_OUTPUT_PIECES - 1  # the limit, the end token aside
    words = int(cut.group(1).replace(",", ""))
    assert 0 < words < len(("der katze der hund sieht . " * 120).split())


def test_compare_says_the_shared_references_notes_once(app):
    """Compare forcing the reference through several models says what was cut or
    cleaned from it, as the explorer does, once for all of them."""
    translate(app)
    app.sidebar.multiselect(key="models").set_value(["en-xx-bahdanau", "en-xx-luong-dot"]).run()
    app.text_input(key="reference").set_value("der katze\u200b der hund sieht .").run()
    open_tab(app, "Compare")
    app.radio(key="cmp:target").set_value("the reference").run()
    assert not app.exception
    said = [i.value for i in app.info if i.value.startswith("The reference was")]
    assert said == ["The reference was read with 1 zero width space (U+200B) as spaces."]
    app.radio(key="cmp:target").set_value("en-xx-bahdanau's output").run()
    assert not [i for i in app.info if i.value.startswith("The reference was")]


def test_what_cleaning_dropped_is_said_when_a_stored_trace_is_shown(
    app_checkpoints, tmp_path, monkeypatch
):
    """A typed text that cleans to a stored sentence is drawn from the stored trace, and
    still gets the note of what cleaning dropped from it."""
    import json

    stored = "the dog sees the dog ."  # a sentence no other test translates (traces are
    # cached per model name and text)
    folder = _stored_copy(app_checkpoints, tmp_path, "en-xx-bahdanau", stored)
    data = json.loads((folder / "traces.json").read_text())
    data["traces"][0]["hypotheses"][0]["text"] = "(the stored trace)"  # which path drew it
    (folder / "traces.json").write_text(json.dumps(data))
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    translate(at, "the dog\u202e sees the\u200b dog .\u0007")
    assert at.text[0].value == "(the stored trace)"
    notes = " ".join(i.value for i in at.info).replace("\\", "")
    assert (
        "The source was read without 2 invisible control, format or direction characters "
        "(U+202E, U+0007), and with 1 zero width space (U+200B) as spaces." in notes
    )
    translate(at, stored)
    assert at.text[0].value == "(the stored trace)" and not at.info


def test_a_text_in_another_script_than_the_models_language_is_said(app_checkpoints, monkeypatch):
    """hi-xx's vocabulary holds Latin pieces, so xx typed into it has no unknown
    character: the page says the model reads Hindi and the text is not in Devanagari."""
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(app_checkpoints))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"pair": "hi-xx", "text": "der hund sieht die katze ."})
    at.run()
    assert not at.exception
    warnings = [w.value.replace("\\", "") for w in at.main.warning]
    assert warnings == ["This model reads Hindi (Devanagari); this text is in Latin."]
    assert at.text[0].value  # still translated
    translate(at, "नमस्ते दुनिया")
    assert not at.main.warning


def test_back_and_forward_show_the_view_of_each_url(app, monkeypatch):
    """The browser's Back and Forward rerun the page with an earlier URL (Streamlit syncs
    the parameters): the page shows that URL's view, not the one it had."""
    monkeypatch.setattr("ui.sidebar.history_navigation", lambda: True)  # as Back sends it
    translate(app)
    open_tab(app, "Beam")
    app.slider(key="beam").set_value(3).run()
    first = url_params(app)
    assert first["tab"] == "Beam" and first["beam"] == "3"
    app.text_input(key="reference").set_value("der katze .").run()
    app.radio(key="target").set_value("the reference, forced").run()
    translate(app, "the bird follows the king .")
    open_tab(app, "Compare")
    second = url_params(app)
    assert second["target"] == "reference" and second["tab"] == "Compare"
    for params in (first, second, first):  # Back, Forward, Back
        app.query_params.clear()
        app.query_params.update(params)
        app.run()
        assert not app.exception
        state = app.session_state
        assert state["source"] == params["text"] and state["tab"] == params.get("tab")
        assert state["beam"] == int(params["beam"])
        assert state["reference"] == params.get("ref", "")
        forced = params.get("target") == "reference"
        assert state["target"] == ("the reference, forced" if forced else "the model's translation")
        assert url_params(app) == params  # the page writes back the URL it was given
    app.text_area(key="source").set_value("the king .").run()  # a later change is kept
    assert app.session_state["source"] == "the king ." and url_params(app)["text"] == "the king ."
    app.sidebar.selectbox(key="pair").set_value("hi-xx").run()  # another pair, then Back
    assert url_params(app)["pair"] == "hi-xx"
    app.query_params.clear()
    app.query_params.update(second)
    app.run()
    assert not app.exception
    assert app.session_state["pair"] == "en-xx" and app.session_state["source"] == second["text"]
    assert url_params(app) == second


def test_back_returns_to_the_target_word_chosen_before(app, monkeypatch):
    """A click on a target word is a step of the URL's history too."""
    monkeypatch.setattr("ui.sidebar.history_navigation", lambda: True)
    translate(app)
    app.button_group(key="explore:pill").set_value(2).run()
    chosen = url_params(app)
    assert chosen["row"] == "2"
    app.button_group(key="explore:pill").set_value(1).run()
    assert url_params(app)["row"] == "1"
    for params, row in ((chosen, 2), ({k: v for k, v in chosen.items() if k != "row"}, 0)):
        app.query_params.clear()
        app.query_params.update(params)
        app.run()
        assert not app.exception
        assert app.session_state["explore:row"] == row
        assert app.button_group(key="explore:pill").value == row
        assert url_params(app) == params


def test_gold_tab_scores_sure_and_possible_links_and_says_how(app):
    """Mixed links typed: ``i-j`` sure, ``i?j`` and ``ipj`` possible (Och & Ney's AER, the
    evaluation's), a bad token named with the accepted forms, and the rule said."""
    translate(app)
    open_tab(app, "Gold alignment")
    shown = next(c.value for c in app.caption if c.value.startswith("Bold orange squares"))
    model = re.search(r"`([^`]*)`\s*$", shown).group(1).split()  # the model's links
    assert len(model) >= 2
    (s0, t0), (s1, t1) = (map(int, link.split("-")) for link in model[:2])
    miss = (s0 + 1) % 6  # "the cat sees the dog ." has 6 words; not the model's link
    typed = f"{s0}-{t0} {s1}?{t1} {miss}p{t0} 5-4-P"
    app.text_area(key="gold:links").set_value(typed).run()
    assert not app.exception
    warnings = [w.value.replace("\\", "") for w in app.warning if "is not" in w.value]
    assert len(warnings) == 1 and "'5-4-P' is not i-j" in warnings[0]
    assert "i?j" in warnings[0] and "ipj" in warnings[0]
    # by hand: |A| = len(model), S = {s0-t0} (hit), P = S + {s1-t1 (hit), miss-t0}
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["AER"] == f"{1 - (1 + 2) / (len(model) + 1):.3f}"
    assert metrics["Precision"] == f"{2 / len(model):.3f}"
    assert metrics["Recall"] == f"{1:.3f}"
    said = " ".join(c.value for c in app.caption)
    assert "AER = 1 − (|A∩S| + |A∩P|) / (|A| + |S|)" in said
    assert "`i-j` is a sure link" in said and "`i?j` or `ipj` a possible one" in said
    assert "argmax column" in said and "`</s>` rows and columns left out" in said
    assert f"|A| = {len(model)}, |S| = 1, |P| = 3" in said


def test_a_sentence_no_longer_the_examples_clears_the_picker_and_its_reference(examples_app):
    """Typed over, the example's name and its reference (which translates the example's
    sentence) go; a reference the person typed stays."""
    at = examples_app(
        "kind\tsource\treference\tlabel\tforced\n"
        "classic\tthe cat sees the dog .\tder katze der hund sieht .\t\t\n"
        "test\tthe bird follows the king .\tder vogel der koenig folgt .\t\t\n"
    )
    at.selectbox(key="example").set_value("classic: the cat sees the dog .").run()
    at.text_area(key="source").set_value("the cat sees the dog .").run()  # the same: kept
    assert at.selectbox(key="example").value == "classic: the cat sees the dog ."
    at.text_area(key="source").set_value("the king sees the bird .").run()
    assert not at.exception
    assert at.selectbox(key="example").value is None
    assert at.text_input(key="reference").value == ""
    assert "reference" not in at.query_params
    notes = " ".join(c.value.replace("\\", "") for c in at.caption)
    assert "der katze der hund sieht ." in notes and "was cleared" in notes
    at.selectbox(key="example").set_value("test: the bird follows the king .").run()
    at.text_input(key="reference").set_value("der vogel folgt .").run()  # the person's own
    at.text_area(key="source").set_value("the bird follows .").run()
    assert at.selectbox(key="example").value is None
    assert at.text_input(key="reference").value == "der vogel folgt ."


def test_an_output_cut_by_the_length_limit_says_so(app):
    """An output stopped by Max output pieces before </s> reads as the model's whole
    translation unless the page says it was cut."""
    translate(app)
    assert not [c for c in app.caption if c.value.startswith("Cut:")]
    app.sidebar.number_input(key="max_len").set_value(2).run()
    assert not app.exception
    cut = [c.value for c in app.caption if c.value.startswith("Cut:")]
    assert cut and "(2 pieces)" in cut[0]


def test_a_click_sent_before_the_browser_had_the_new_url_is_not_taken_for_back(app):
    """A rerun whose URL is the one before the page's last write, without the history
    flag Back sends, is a click the browser sent before it had the new URL: what was
    just typed stays."""
    translate(app)
    before = url_params(app)
    app.text_area(key="source").set_value("the bird follows the king .").run()
    app.query_params.clear()
    app.query_params.update(before)  # the click's request, with the URL before
    app.session_state["tab"] = "Beam"
    app.run()
    assert not app.exception
    assert app.session_state["source"] == "the bird follows the king ."
    assert (
        url_params(app)["text"] == "the bird follows the king ."
        and url_params(app)["tab"] == "Beam"
    )


def test_the_selected_target_word_pill_stays_selected_when_pressed_again(app):
    """The pills are a single choice that the browser lets be unselected (Space or a
    click on the selected pill): a target word is always shown, so its pill stays."""
    translate(app)
    app.button_group(key="explore:pill").set_value(4).run()
    app.button_group(key="explore:pill").set_value(None).run()  # the selected one, again
    assert not app.exception
    assert app.button_group(key="explore:pill").value == 4
    assert app.session_state["explore:row"] == 4
    assert "sieht attends to:" in html_of(app)


def test_a_new_sentence_is_one_step_of_history_whatever_word_was_selected(app, monkeypatch):
    """The old sentence's selected word is not written with the new sentence (the
    explorer starts the new one at its first word and would write the URL again: two
    steps of history for one change, Back seeming to do nothing)."""
    import streamlit as st

    written = []
    from_dict = type(st.query_params).from_dict

    def spy(self, params):
        written.append(dict(params))
        return from_dict(self, params)

    monkeypatch.setattr(type(st.query_params), "from_dict", spy)
    translate(app)
    app.button_group(key="explore:pill").set_value(2).run()
    assert url_params(app)["row"] == "2"
    written.clear()
    translate(app, "the bird follows the king .")
    assert written and not [p for p in written if "row" in p], written
    assert "row" not in url_params(app)
    app.sidebar.radio(key="level").set_value("pieces").run()  # the level keeps the word
    app.button_group(key="explore:pill").set_value(3).run()
    written.clear()
    app.sidebar.radio(key="level").set_value("words").run()
    assert all("row" in p for p in written), written
