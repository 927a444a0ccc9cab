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
from models.engine import Translator
from models.registry import DEFAULT_ROOT

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "Turn off the lights."


@pytest.fixture(scope="module")
def en_hi() -> Translator:
    loaded = load_checkpoint(DEFAULT_ROOT / "en-hi-bahdanau")
    return Translator(loaded.model, loaded.tokenizer, loaded.name)


def _own(translator: Translator):
    free = translator.translate(SOURCE)
    ids = list(free.best.ids)
    assert ids[-1] == translator.cfg.eos_id
    return free, ids[:-1]


def test_forcing_the_pieces_a_model_wrote_reproduces_its_log_p_and_weights(en_hi):
    free, ids = _own(en_hi)
    # the premise: this output, split again from its text, is other pieces
    assert en_hi.tokenizer.encode_target(free.best.text).ids != [*ids, en_hi.cfg.eos_id]
    by_text = en_hi.translate(SOURCE, force=free.best.text)
    assert abs(by_text.best.score - free.best.score) > 0.01
    forced = en_hi.translate(SOURCE, force=ids)
    assert forced.mode == "forced"
    assert list(forced.best.ids) == list(free.best.ids)
    assert forced.best.score == pytest.approx(free.best.score, abs=1e-5)
    np.testing.assert_allclose(forced.best.alphas, free.best.alphas, atol=1e-6)
    assert forced.settings["force_ids"] == ids
    assert forced.settings["force"] == free.best.text


def test_what_if_forces_the_models_own_output_as_it_wrote_it(en_hi, monkeypatch):
    """The What-if box starts from the model's output: its log p is the output's own."""
    from viz.inside import signed

    free, _ = _own(en_hi)
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(DEFAULT_ROOT))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"pair": "en-hi", "text": SOURCE, "tab": "What-if", "tour": "done"})
    at.run()
    assert not at.exception
    captions = " ".join(c.value.replace("\\", "") for c in at.caption)
    own = signed(free.best.score, 3)
    assert f"log p of this target: {own} (the model's own output, " in captions
    assert any(m.value == "**The model's own output, forced**" for m in at.markdown)
