"""A model's own output, forced, gives back its own log p and weights.

The en-hi models learnt from sampled pieces (subword regularization), so they may write a
word in pieces other than the tokenizer's best split of it; forcing the output's text
then scores another piece sequence.  Forced as the piece ids the model wrote, the output
is the same sequence, and the page forces it so wherever it forces a model's output."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from models.checkpoint import load_checkpoint
from models.engine import DecodeSettings, Translator
from models.registry import DEFAULT_ROOT

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "Turn off the lights."


@pytest.fixture(scope="module")
def en_hi() -> Translator:
    loaded = load_checkpoint(DEFAULT_ROOT / "en-hi-bahdanau")
    return Translator(loaded.model, loaded.tokenizer, loaded.name)


def _own(translator: Translator, settings: DecodeSettings = DecodeSettings()):
    free = translator.translate(SOURCE, settings)
    return free, [int(i) for i in free.best.ids]


def test_forcing_the_pieces_a_model_wrote_reproduces_its_log_p_and_weights(en_hi):
    free, ids = _own(en_hi)
    assert ids[-1] == en_hi.cfg.eos_id
    # the premise: this output, split again from its text, is other pieces
    assert en_hi.tokenizer.encode_target(free.best.text).ids != ids
    by_text = en_hi.translate(SOURCE, force=free.best.text)
    assert abs(by_text.best.score - free.best.score) > 0.01
    forced = en_hi.translate(SOURCE, force=ids)
    assert forced.mode == "forced"
    assert list(forced.best.ids) == list(free.best.ids)
    assert forced.best.score == pytest.approx(free.best.score, abs=1e-5)
    np.testing.assert_allclose(forced.best.alphas, free.best.alphas, atol=1e-6)
    assert forced.settings["force_ids"] == ids
    assert forced.settings["force"] == free.best.text


def test_an_output_cut_by_the_length_limit_is_forced_without_an_end_token(en_hi):
    """It wrote no </s>: forced, it gets none, and keeps its own log p and rows."""
    free, ids = _own(en_hi, DecodeSettings(max_len=3))
    assert not free.best.finished and en_hi.cfg.eos_id not in ids
    forced = en_hi.translate(SOURCE, force=ids)
    assert list(forced.best.ids) == ids and not forced.best.finished
    assert forced.best.score == pytest.approx(free.best.score, abs=1e-5)
    np.testing.assert_allclose(forced.best.alphas, free.best.alphas, atol=1e-6)


@pytest.mark.parametrize("max_len", [0, 3])
def test_what_if_forces_the_models_own_output_as_it_wrote_it(en_hi, monkeypatch, max_len):
    """The What-if box starts from the model's output: its log p is the output's own,
    cut by the length limit or not."""
    from viz.inside import signed

    free, _ = _own(en_hi, DecodeSettings(max_len=max_len or None))
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(DEFAULT_ROOT))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    link = {"pair": "en-hi", "text": SOURCE, "tab": "What-if", "tour": "done"}
    at.query_params.update({**link, "max_len": str(max_len)} if max_len else link)
    at.run()
    assert not at.exception
    captions = " ".join(c.value.replace("\\", "") for c in at.caption)
    own = signed(free.best.score, 3)
    assert f"log p of this target: {own} (the model's own output, " in captions
    assert any(m.value == "**The model's own output, forced**" for m in at.markdown)
