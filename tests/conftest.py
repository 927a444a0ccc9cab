"""Shared fixtures: a toy tokenizer, tiny seeded models of every kind, trained ones."""

from __future__ import annotations

import pytest
import torch

from models.config import ModelConfig
from models.engine import Translator
from models.seq2seq import Seq2Seq
from models.tokenizer import Tokenizer, train_tokenizer
from tests.toy import toy_pairs
from training.loop import TrainSettings, train

KINDS = [
    ("none", "none"),
    ("bahdanau", "additive"),
    ("luong", "dot"),
    ("luong", "general"),
    ("luong", "concat"),
]
KIND_IDS = [f"{a}-{s}" for a, s in KINDS]


@pytest.fixture(scope="session")
def pairs() -> list[tuple[str, str]]:
    return toy_pairs(400)


@pytest.fixture(scope="session")
def tokenizer(pairs) -> Tokenizer:
    return Tokenizer(train_tokenizer([s for p in pairs for s in p], 100))


def tiny_config(tokenizer: Tokenizer, attention: str, score: str, **kw) -> ModelConfig:
    base = dict(
        emb_dim=32,
        enc_hidden=16,
        dec_hidden=32,
        attn_dim=24,
        dropout=0.0,
        src_lang="en",
        tgt_lang="xx",
    )
    base.update(kw)
    return ModelConfig(attention, score, tokenizer.vocab_size, **base)


def tiny_model(tokenizer: Tokenizer, attention: str, score: str, seed: int = 0, **kw) -> Seq2Seq:
    torch.manual_seed(seed)
    model = Seq2Seq(tiny_config(tokenizer, attention, score, **kw))
    return model.eval().requires_grad_(False)


def id_pairs(tokenizer: Tokenizer, pairs) -> list[tuple[list[int], list[int]]]:
    return [(tokenizer.encode(s, 100).ids, tokenizer.encode(t, 100).ids) for s, t in pairs]


@pytest.fixture(scope="session")
def trained(tokenizer, pairs) -> dict[str, tuple[Translator, dict]]:
    """Every kind trained for a few hundred steps on 350 toy pairs (the rest is dev)."""
    data = id_pairs(tokenizer, pairs)
    out = {}
    for attention, score in KINDS:
        torch.manual_seed(0)
        model = Seq2Seq(tiny_config(tokenizer, attention, score))
        settings = TrainSettings(steps=250, batch_size=32, lr=3e-3, eval_every=50, patience=99)
        stats = train(model, data[:350], data[350:], settings)
        model.requires_grad_(False)
        out[f"{attention}-{score}"] = (Translator(model, tokenizer, attention), stats)
    return out


@pytest.fixture(params=KINDS[1:], ids=KIND_IDS[1:])
def attention_translator(request, tokenizer) -> Translator:
    """An untrained, seeded model of each attention kind."""
    attention, score = request.param
    return Translator(tiny_model(tokenizer, attention, score, seed=3), tokenizer, attention)


@pytest.fixture(params=KINDS, ids=KIND_IDS)
def translator(request, tokenizer) -> Translator:
    """An untrained, seeded model of each kind (the invariants hold for any weights)."""
    attention, score = request.param
    return Translator(tiny_model(tokenizer, attention, score, seed=3), tokenizer, attention)


@pytest.fixture(scope="session")
def app_checkpoints(tmp_path_factory):
    """Toy checkpoints for the app and browser tests (one of them broken on purpose)."""
    from tests.helpers import build_checkpoints

    return build_checkpoints(tmp_path_factory.mktemp("app-checkpoints"))


def pytest_terminal_summary(terminalreporter):
    """Print the page latencies the browser tests measured (figures, not limits)."""
    from tests.browser_support import FIGURES

    if FIGURES:
        terminalreporter.section("page latency and load (measured by the tests)")
        for key, value in FIGURES.items():
            terminalreporter.write_line(f"{key}: {value}")


# Browser tests: one chromium per test module; a module gives its own ``server`` (the
# app's URL) and may override ``page``.
@pytest.fixture(scope="module")
def browser():
    from tests.browser_support import chromium

    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, server):
    from tests.browser_support import new_page

    with new_page(browser, server) as p:
        yield p
