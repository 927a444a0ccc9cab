"""``attend_end=False``: the source's end token is encoded but attention gives it no weight
(a model without the `</s>` sink).  Plain and fast paths agree, the config round-trips,
and a checkpoint saved without it (every earlier one) reads as attending to it."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from models import search
from models.checkpoint import load_checkpoint, save_checkpoint
from models.config import ConfigError, ModelConfig
from models.encoder import source_mask
from models.engine import DecodeSettings, Translator
from models.fast import FastDecoder
from tests.conftest import tiny_config, tiny_model
from tests.test_fast import _same_results
from tests.test_search import SOURCES

KINDS = [("bahdanau", "additive"), ("luong", "general"), ("luong", "concat")]


def test_the_mask_leaves_out_the_end_token_unless_it_is_alone():
    lengths = torch.tensor([3, 1, 2])
    on = source_mask(lengths, 3, True, "cpu").tolist()
    off = source_mask(lengths, 3, False, "cpu").tolist()
    assert on == [[True, True, True], [True, False, False], [True, True, False]]
    assert off == [[True, True, False], [True, False, False], [True, False, False]]


@pytest.mark.parametrize(("attention", "score"), KINDS)
def test_no_row_weighs_the_end_token_and_rows_still_sum_to_one(tokenizer, attention, score):
    model = tiny_model(tokenizer, attention, score, seed=3, attend_end=False)
    translator = Translator(model, tokenizer, "no-end")
    for settings in (DecodeSettings(), DecodeSettings(beam=3)):
        trace = translator.translate(SOURCES[0], settings)
        alphas = trace.best.alphas
        assert trace.source.pieces[-1] == "</s>"
        assert (alphas[:, -1] == 0).all() and np.allclose(alphas.sum(1), 1, atol=1e-5)
        scores = trace.best.scores
        assert np.isneginf(scores[:, -1]).all() and np.isfinite(scores[:, :-1]).all()
    forced = translator.translate(SOURCES[1], force="der hund")
    assert (forced.best.alphas[:, -1] == 0).all()
    attending = Translator(tiny_model(tokenizer, attention, score, seed=3), tokenizer, "end")
    assert (attending.translate(SOURCES[0]).best.alphas[:, -1] > 0).all()


@pytest.mark.parametrize(("attention", "score"), KINDS)
def test_fast_path_matches_the_plain_model(tokenizer, attention, score):
    model = tiny_model(tokenizer, attention, score, seed=6, attend_end=False)
    sources = [tokenizer.encode(s, 100).ids for s in SOURCES]
    for run in (
        lambda m: search.greedy(m, sources, [10] * len(sources)),
        lambda m: search.beam_search(m, sources, [10] * len(sources), beam=3),
    ):
        _same_results(run(model), run(FastDecoder(model)))


def test_config_round_trips_and_older_configs_attend_to_the_end(tokenizer, tmp_path):
    cfg = tiny_config(tokenizer, "bahdanau", "additive", attend_end=False)
    assert ModelConfig.from_dict(cfg.to_dict()) == cfg
    old = cfg.to_dict()
    del old["attend_end"]
    assert ModelConfig.from_dict(old).attend_end is True
    with pytest.raises(ConfigError, match="attention"):
        tiny_config(tokenizer, "none", "none", attend_end=False)
    with pytest.raises(ConfigError, match="true or false"):
        tiny_config(tokenizer, "bahdanau", "additive", attend_end="no")
    model = tiny_model(tokenizer, "bahdanau", "additive", seed=2, attend_end=False)
    loaded = load_checkpoint(save_checkpoint(tmp_path / "ck", model, tokenizer))
    assert loaded.config.attend_end is False
    again = Translator(loaded.model, loaded.tokenizer, "x").translate(SOURCES[2])
    mine = Translator(model, tokenizer, "x").translate(SOURCES[2])
    assert again.best.text == mine.best.text
    np.testing.assert_allclose(again.best.alphas, mine.best.alphas, atol=1e-6)


def test_every_tab_and_inside_view_shows_such_a_model(tokenizer, tmp_path, monkeypatch):
    """A model without the sink, in the app: no view fails on its masked end column."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from ui.inside import VIEW, VIEWS
    from ui.state import TABS

    model = tiny_model(tokenizer, "bahdanau", "additive", seed=3, attend_end=False)
    save_checkpoint(tmp_path / "en-xx-noend", model, tokenizer, {"pair": "en-xx"})
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(tmp_path))
    root = Path(__file__).resolve().parents[1]
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.run()
    at.text_area(key="source").set_value("the cat sees the dog .").run()
    assert not at.exception
    for tab in TABS:
        at.session_state["tab"] = tab
        at.run()
        assert not at.exception, tab
    at.session_state["tab"] = TABS[1]
    for view in VIEWS:
        at.session_state[VIEW] = view
        at.run()
        assert not at.exception, view
