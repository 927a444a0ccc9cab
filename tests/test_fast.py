"""The fast inference path gives the plain model's outputs, search by search."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from models import search
from models.fast import FastDecoder, Linear, tanh
from models.search import pad_ids
from tests.conftest import KIND_IDS, KINDS, tiny_model
from tests.test_search import SOURCES, model_digest


def _pair(trained, kind: str):
    translator, _ = trained[kind]
    return translator.model, FastDecoder(translator.model), translator.tokenizer


def _same_hyp(a, b) -> None:
    assert a.ids.tolist() == b.ids.tolist()
    assert a.finished == b.finished
    np.testing.assert_allclose(a.token_logprobs, b.token_logprobs, atol=1e-4)
    np.testing.assert_allclose(a.cand_probs, b.cand_probs, atol=1e-5)
    assert a.cand_ids[:, 0].tolist() == b.cand_ids[:, 0].tolist()
    if a.alphas is None:
        assert b.alphas is None
    else:
        np.testing.assert_allclose(a.alphas, b.alphas, atol=1e-5)


def _same_results(plain, quick) -> None:
    """Two searches' results, sentence by sentence and hypothesis by hypothesis."""
    assert len(plain) == len(quick)
    for ra, rb in zip(plain, quick):
        assert len(ra.hyps) == len(rb.hyps)
        for a, b in zip(ra.hyps, rb.hyps):
            _same_hyp(a, b)


@pytest.mark.parametrize("kind", KIND_IDS)
def test_step_matches_plain_model(trained, kind):
    model, fast, tok = _pair(trained, kind)
    src, lengths = pad_ids([tok.encode(s, 100).ids for s in SOURCES], 0, torch.device("cpu"))
    with torch.inference_mode():
        mem_a, mem_b = model.encode(src, lengths), fast.encode(src, lengths)
        state_a, state_b = model.init_state(mem_a), fast.init_state(mem_b)
        prev = torch.full((len(SOURCES),), model.cfg.bos_id)
        for _ in range(4):
            lp_a, state_a, al_a = model.step(mem_a, state_a, prev)
            lp_b, state_b, al_b = fast.step(mem_b, state_b, prev)
            torch.testing.assert_close(lp_b, lp_a, atol=1e-4, rtol=1e-4)
            for x, y in zip(state_a, state_b):
                torch.testing.assert_close(y, x, atol=1e-5, rtol=1e-5)
            if al_a is None:
                assert al_b is None
            else:
                torch.testing.assert_close(al_b, al_a, atol=1e-6, rtol=1e-5)
                assert float(al_b[~mem_b.mask].abs().sum()) == 0.0  # padding gets exactly 0
            prev = lp_a.argmax(-1)


@pytest.mark.parametrize("kind", KIND_IDS)
def test_searches_match_plain_model(trained, kind):
    model, fast, tok = _pair(trained, kind)
    sources = [tok.encode(s, 100).ids for s in SOURCES]
    limits = [12] * len(sources)
    for run in (
        lambda m: search.greedy(m, sources, limits),
        lambda m: search.beam_search(m, sources, limits, beam=4),
        lambda m: search.greedy(m, sources, limits, prefixes=[[7, 8], [], [9], []]),
        lambda m: search.beam_search(m, sources, limits, beam=3, prefixes=[[], [7], [], [8, 9]]),
    ):
        plain, quick = run(model), run(fast)
        _same_results(plain, quick)
        for ra, rb in zip(plain, quick):
            tokens = [[n.token for n in step] for step in ra.beam_steps]
            assert tokens == [[n.token for n in step] for step in rb.beam_steps]


@pytest.mark.parametrize("kind", KIND_IDS)
def test_forced_matches_plain_model(trained, kind):
    model, fast, tok = _pair(trained, kind)
    sources = [tok.encode(s, 100).ids for s in SOURCES]
    targets = [h.hyps[0].ids.tolist() for h in search.greedy(model, sources, [12] * 4)]
    for a, b in zip(search.forced(model, sources, targets), search.forced(fast, sources, targets)):
        _same_hyp(a.hyps[0], b.hyps[0])


@pytest.mark.parametrize("rows", [1, 2, 5, 64])
@pytest.mark.parametrize("shape", [(300, 64), (64, 32)])
def test_linear_matches_matmul(rows, shape):
    torch.manual_seed(rows)
    weight, bias, x = torch.randn(*shape), torch.randn(shape[0]), torch.randn(rows, shape[1])
    torch.testing.assert_close(Linear(weight, bias)(x), x @ weight.t() + bias)
    torch.testing.assert_close(Linear(weight)(x), x @ weight.t())


def test_tanh_matches_torch_on_small_and_large_tensors():
    for n in (10, 100_000):
        x = torch.linspace(-12, 12, n)
        torch.testing.assert_close(tanh(x.clone()), torch.tanh(x), atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("attention, score", KINDS, ids=KIND_IDS)
def test_building_reads_the_model_and_never_writes_it(tokenizer, attention, score):
    model = tiny_model(tokenizer, attention, score, seed=5)
    before = model_digest(model)
    fast = FastDecoder(model)
    search.beam_search(fast, [tokenizer.encode(SOURCES[0], 100).ids], [10], beam=3)
    assert model_digest(model) == before


def test_a_model_in_training_mode_is_refused(tokenizer):
    model = tiny_model(tokenizer, "bahdanau", "additive").train()
    with pytest.raises(ValueError, match="eval"):
        FastDecoder(model)


def test_reversed_source_model_matches(tokenizer):
    model = tiny_model(tokenizer, "none", "none", seed=4, reverse_source=True)
    sources = [tokenizer.encode(s, 100).ids for s in SOURCES]
    plain = search.beam_search(model, sources, [10] * 4, beam=3)
    _same_results(plain, search.beam_search(FastDecoder(model), sources, [10] * 4, beam=3))


@pytest.mark.parametrize("kind", KIND_IDS)
def test_static_greedy_matches_greedy(trained, kind):
    """The GPU path's fixed-shape loop, run eagerly on the CPU, against ``greedy``."""
    from models.batched import greedy_static

    model, fast, tok = _pair(trained, kind)
    sources = [tok.encode(s, 100).ids for s in SOURCES * 3]
    limits = [6 + i % 7 for i in range(len(sources))]
    plain = search.greedy(model, sources, limits)
    static = greedy_static(fast, sources, limits, batch_size=5)  # several batches, padded
    for a, b in zip(plain, static):
        _same_hyp(a.hyps[0], b.hyps[0])


def test_static_greedy_refuses_graphs_without_cuda(trained):
    from models.batched import greedy_static

    _, fast, tok = _pair(trained, KIND_IDS[1])
    with pytest.raises(ValueError, match="CUDA"):
        greedy_static(fast, [tok.encode(SOURCES[0], 100).ids], [5], graphs=True)


@pytest.mark.parametrize(
    "attention, score, sizes",
    [
        ("none", "none", {}),
        ("bahdanau", "additive", {}),
        ("luong", "dot", {"enc_hidden": 32}),  # dot: annotations as wide as the decoder
    ],
    ids=["none", "bahdanau", "luong-dot"],
)
@pytest.mark.parametrize("count", [2, 8], ids=["few-rows", "many-rows"])
def test_left_to_right_encoder_matches(tokenizer, attention, score, sizes, count):
    """One encoder direction (the 2014 RNN Encoder-Decoder): same outputs on both paths,
    for the few-rows and the many-rows recurrence of the fast encoder."""
    model = tiny_model(tokenizer, attention, score, seed=6, bidirectional=False, **sizes)
    fast = FastDecoder(model)
    assert fast.encoder.directions == 1
    sources = [tokenizer.encode(s, 100).ids for s in (SOURCES * 2)[:count]]
    src, lengths = pad_ids(sources, 0, torch.device("cpu"))
    with torch.inference_mode():
        mem_a, mem_b = model.encode(src, lengths), fast.encode(src, lengths)
    assert mem_a.values.shape[-1] == model.cfg.enc_hidden
    torch.testing.assert_close(mem_b.values, mem_a.values, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(mem_b.summary, mem_a.summary, atol=1e-5, rtol=1e-5)
    for beam in (1, 3):
        plain = search.beam_search(model, sources, [10] * count, beam=beam)
        _same_results(plain, search.beam_search(fast, sources, [10] * count, beam=beam))
    from models.batched import greedy_static  # the GPU path's loop, run eagerly here

    static = greedy_static(fast, sources, [10] * count, batch_size=3)
    for a, b in zip(search.greedy(model, sources, [10] * count), static):
        _same_hyp(a.hyps[0], b.hyps[0])
