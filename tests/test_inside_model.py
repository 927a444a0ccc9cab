"""The model side of "Inside alpha": one decoder interface, raw scores in every trace,
the step explanation, and the per-call attention options (tau, an override)."""

from __future__ import annotations

import hashlib
import inspect
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from models import batched, search
from models.checkpoint import save_checkpoint
from models.engine import DecodeSettings, Translator
from models.explain import explain_step
from models.fast import FastDecoder
from models.interface import DecoderMemory, StepDecoder
from models.options import AttentionOptions, normalise_weights
from models.search import pad_ids
from models.text import InputError
from models.translate import main
from tests.conftest import KIND_IDS, KINDS, tiny_model

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    "the cat sees the dog .",
    "the old teacher helps the small child .",
    "the bird follows the king .",
]
ATTENTION_KINDS = KINDS[1:]
ATTENTION_IDS = KIND_IDS[1:]


def _softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    x = x - x.max(axis=axis, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)


@pytest.fixture(scope="module")
def models(tokenizer):
    """A seeded model of every kind (outputs run to different lengths: real padding)."""
    return {f"{a}-{s}": tiny_model(tokenizer, a, s, seed=5) for a, s in KINDS}


def _digest(*objects) -> str:
    """Every tensor and every plain attribute of the modules / decoders given."""
    h = hashlib.sha256()

    def add(obj, prefix):
        if isinstance(obj, torch.nn.Module):
            for name, t in sorted(obj.state_dict(keep_vars=True).items()):
                h.update(f"{prefix}{name}".encode())
                h.update(t.detach().cpu().numpy().tobytes())
            for name, mod in obj.named_modules():
                plain = {
                    k: v for k, v in vars(mod).items() if not k.startswith("_") or k == "training"
                }
                h.update(f"{prefix}{name}{sorted(map(repr, plain.items()))}".encode())
            return
        for key, value in sorted(vars(obj).items()):
            if isinstance(value, torch.Tensor):
                h.update(f"{prefix}{key}".encode())
                dense = value.to_dense() if value.layout != torch.strided else value
                h.update(dense.detach().cpu().numpy().tobytes())
            elif hasattr(value, "__dict__") and not isinstance(value, torch.nn.Module):
                add(value, f"{prefix}{key}.")
            elif not isinstance(value, torch.nn.Module):
                h.update(f"{prefix}{key}={value!r}".encode())

    for i, obj in enumerate(objects):
        add(obj, f"{i}:")
    return h.hexdigest()


# -- one interface -----------------------------------------------------------------


@pytest.mark.parametrize("kind", KIND_IDS)
def test_plain_and_fast_decoders_meet_one_interface(models, tokenizer, kind):
    model = models[kind]
    src, lengths = pad_ids([tokenizer.encode(s, 100).ids for s in SOURCES], 0, model.device)
    for decoder in (model, FastDecoder(model)):
        assert isinstance(decoder, StepDecoder)
        memory = decoder.encode(src, lengths)
        assert isinstance(memory, DecoderMemory)
        # regroup: 3 sentences read by 1 row each -> sentences 0 and 2, 4 rows each
        kept = memory.regroup(torch.tensor([0, 2]), 1, 4)
        state = decoder.init_state(memory)
        rows = torch.tensor([0, 0, 0, 0, 2, 2, 2, 2])
        state = tuple(s.index_select(0, rows) for s in state)
        prev = torch.full((8,), model.cfg.bos_id)
        out = decoder.decode_step(kept, state, prev)
        assert out.logp.shape == (8, model.cfg.vocab_size)
        torch.testing.assert_close(out.logp[0], out.logp[3])
        torch.testing.assert_close(out.logp[4], out.logp[7])
        assert not torch.allclose(out.logp[0], out.logp[4])  # two different sentences


def test_search_has_no_implementation_branches():
    """The searches reach every implementation through the interface alone."""
    source = inspect.getsource(search)
    assert "hasattr" not in source and "isinstance" not in source
    assert "record_tree" not in inspect.signature(search.beam_search).parameters


# -- raw scores ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ATTENTION_IDS)
def test_step_scores_are_masked_like_alphas(models, tokenizer, kind):
    model = models[kind]
    src, lengths = pad_ids([tokenizer.encode(s, 100).ids for s in SOURCES], 0, model.device)
    with torch.inference_mode():
        for decoder in (model, FastDecoder(model)):
            memory = decoder.encode(src, lengths)
            out = decoder.decode_step(memory, decoder.init_state(memory), src[:, 0] * 0 + 1)
            assert (~memory.mask).any()
            assert torch.isneginf(out.scores[~memory.mask]).all()
            assert torch.isfinite(out.scores[memory.mask]).all()
            torch.testing.assert_close(out.scores.softmax(-1), out.alphas)


def _same_scores(a, b, atol=1e-4, tau: float | None = 1.0):
    """Same outputs and scores; with ``tau``, alphas = softmax(scores / tau)."""
    for ra, rb in zip(a, b):
        for ha, hb in zip(ra.hyps, rb.hyps):
            assert ha.ids.tolist() == hb.ids.tolist()
            assert ha.scores.shape == ha.alphas.shape == hb.scores.shape
            np.testing.assert_allclose(ha.scores, hb.scores, atol=atol, rtol=1e-4)
            if tau is not None:
                np.testing.assert_allclose(_softmax(ha.scores / tau), ha.alphas, atol=1e-5)


@pytest.mark.parametrize("kind", ATTENTION_IDS)
def test_scores_equal_on_every_decoding_path(models, tokenizer, kind):
    model = models[kind]
    fast = FastDecoder(model)
    sources = [tokenizer.encode(s, 100).ids for s in SOURCES]
    lens = [12] * len(sources)
    plain_greedy = search.greedy(model, sources, lens)
    _same_scores(plain_greedy, search.greedy(fast, sources, lens))
    _same_scores(plain_greedy, batched.greedy_static(fast, sources, lens, batch_size=2))
    _same_scores(
        search.beam_search(model, sources, lens, 3), search.beam_search(fast, sources, lens, 3)
    )
    targets = [h.hyps[0].ids.tolist() for h in plain_greedy]
    _same_scores(search.forced(model, sources, targets), search.forced(fast, sources, targets))


def test_none_model_has_no_scores(models, tokenizer):
    trace = Translator(models["none-none"], tokenizer).translate(SOURCES[0], DecodeSettings(beam=2))
    assert all(h.scores is None and h.alphas is None for h in trace.hypotheses)


@pytest.mark.parametrize("kind", ["none-none", "luong-general"])
def test_cli_prints_scores_beside_alphas(models, tokenizer, tmp_path, capsys, kind):
    folder = save_checkpoint(tmp_path / f"en-xx-{kind}", models[kind], tokenizer, {"pair": "en-xx"})
    assert main([SOURCES[1], "--checkpoint", str(folder), "--beam", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for hyp in data["hypotheses"]:
        for step, ids in zip(hyp["candidates"], hyp["candidate_ids"]):
            assert [p for p, _ in step] == [tokenizer.sp.id_to_piece(i) for i in ids]
        if kind == "none-none":
            assert hyp["scores"] is None
            continue
        scores = np.array(hyp["scores"], dtype=float)
        assert scores.shape == np.array(hyp["alphas"]).shape
        np.testing.assert_allclose(_softmax(scores), hyp["alphas"], atol=1e-5)


def test_masked_scores_are_null_in_json(models, tokenizer):
    trace = Translator(models["bahdanau-additive"], tokenizer).translate(SOURCES[0])
    hyp = trace.best
    hyp.scores = hyp.scores.copy()
    hyp.scores[0, -1] = -np.inf  # as a padded piece would be
    row = hyp.to_dict()["scores"][0]
    assert row[-1] is None and all(isinstance(x, float) for x in row[:-1])


def test_candidates_keep_their_ids(models, tokenizer):
    trace = Translator(models["luong-dot"], tokenizer).translate(SOURCES[2], DecodeSettings(beam=3))
    for hyp in trace.hypotheses:
        assert len(hyp.candidate_ids) == len(hyp.candidates) == len(hyp.pieces)
        for cands, ids in zip(hyp.candidates, hyp.candidate_ids):
            assert [p for p, _ in cands] == [tokenizer.sp.id_to_piece(i) for i in ids]
        # greedy-like: a beam's best pick at each step is among that step's candidates
        assert all(i in ids for i, ids in zip(hyp.ids, hyp.candidate_ids))


# -- the step explanation -----------------------------------------------------------


@pytest.mark.parametrize("kind", ATTENTION_IDS)
def test_explanation_matches_the_trace(models, tokenizer, kind):
    model = models[kind]
    trace = Translator(model, tokenizer).translate(SOURCES[1], DecodeSettings(beam=3))
    src = trace.source.ids
    for hyp in trace.hypotheses[:2]:  # the best and another beam hypothesis
        for t in range(len(hyp.ids)):
            ex = explain_step(model, src, hyp.ids, t)
            np.testing.assert_allclose(ex.alphas, hyp.alphas[t], atol=1e-6)
            np.testing.assert_allclose(ex.scores, hyp.scores[t], atol=1e-4, rtol=1e-5)
            np.testing.assert_allclose(ex.context, ex.alphas @ ex.values, atol=1e-6)
            if ex.v is not None:  # additive, concat: e_j = v . tanh(W q + U h_j)
                np.testing.assert_allclose(ex.terms @ ex.v, ex.scores, atol=1e-6)
                np.testing.assert_allclose(ex.terms, np.tanh(ex.query_proj + ex.keys), atol=1e-6)
            else:  # dot, general: e_j = sum_i q_i k_ji
                np.testing.assert_allclose(ex.terms.sum(-1), ex.scores, atol=1e-5)
            asks = ex.state_prev if ex.attention == "bahdanau" else ex.state_new
            np.testing.assert_array_equal(ex.query, asks)
    assert len(trace.hypotheses) > 1
    assert not np.array_equal(trace.hypotheses[0].alphas, trace.hypotheses[1].alphas)


def test_explanation_of_a_model_without_attention(models, tokenizer):
    model = models["none-none"]
    trace = Translator(model, tokenizer).translate(SOURCES[0])
    first = explain_step(model, trace.source.ids, trace.best.ids, 0)
    last = explain_step(model, trace.source.ids, trace.best.ids, len(trace.best.ids) - 1)
    assert not first.has_attention and first.alphas is None and first.scores is None
    np.testing.assert_array_equal(first.context, last.context)  # one fixed c at every step
    assert not np.array_equal(first.state_new, last.state_new)


def test_explanation_checks_its_step(models, tokenizer):
    with pytest.raises(ValueError, match="outside"):
        explain_step(models["luong-dot"], [5, 6, 2], [7, 8], 3)


# -- tau and the override -----------------------------------------------------------


@pytest.mark.parametrize("kind", ATTENTION_IDS)
def test_options_never_touch_the_shared_model(models, tokenizer, kind):
    model = models[kind]
    translator = Translator(model, tokenizer)
    before = _digest(model, translator.decoder)
    n = len(translator.encode_source(SOURCES[1]).ids)
    override = AttentionOptions(0.3, 1, normalise_weights([1] + [0] * (n - 1)))
    for options in (AttentionOptions(scale=0.2), AttentionOptions(scale=5.0), override):
        for beam in (1, 3):
            translator.translate(SOURCES[1], DecodeSettings(beam=beam, attention=options))
        explain_step(model, translator.encode_source(SOURCES[1]).ids, [5, 6, 7], 2, options)
    assert _digest(model, translator.decoder) == before


@pytest.mark.parametrize("kind", ATTENTION_IDS)
def test_tau_divides_the_scores(models, tokenizer, kind):
    translator = Translator(models[kind], tokenizer)
    base = translator.translate(SOURCES[1]).best
    for tau in (0.05, 4.0):
        opts = AttentionOptions(scale=tau)
        hyp = translator.translate(SOURCES[1], DecodeSettings(attention=opts)).best
        # step 0 reads the same state: same scores, softmax(e / tau)
        np.testing.assert_allclose(hyp.scores[0], base.scores[0], atol=1e-5)
        np.testing.assert_allclose(hyp.alphas[0], _softmax(base.scores[0] / tau), atol=1e-5)
        ex = explain_step(
            translator.model, translator.encode_source(SOURCES[1]).ids, hyp.ids, 2, opts
        )
        np.testing.assert_allclose(ex.alphas, hyp.alphas[2], atol=1e-6)
    sharp = translator.translate(SOURCES[1], DecodeSettings(attention=AttentionOptions(0.01)))
    flat = translator.translate(SOURCES[1], DecodeSettings(attention=AttentionOptions(100.0)))

    def entropy(p):
        return float(-(p * np.log(np.maximum(p, 1e-30))).sum())

    # step 0 reads the same state whatever tau: sharper below 1, flatter above
    rows = [h.best.alphas[0] for h in (sharp, translator.translate(SOURCES[1]), flat)]
    assert entropy(rows[0]) < entropy(rows[1]) < entropy(rows[2])
    np.testing.assert_allclose(rows[2], 1.0 / len(rows[2]), atol=1e-3)  # nearly the average
    assert rows[0].argmax() == base.scores[0].argmax()


@pytest.mark.parametrize("kind", ATTENTION_IDS)
@pytest.mark.parametrize("beam, steps", [(1, (0, 2)), (3, (0,))])
def test_overriding_with_the_models_own_alphas_changes_nothing(
    models, tokenizer, kind, beam, steps
):
    """tau = 1 and an override equal to the model's own alphas: the same trace, bit for
    bit.  (A beam's hypotheses share step 0's row; later rows differ per hypothesis.)"""
    translator = Translator(models[kind], tokenizer)
    base = translator.translate(SOURCES[1], DecodeSettings(beam=beam))
    same_tau = translator.translate(
        SOURCES[1], DecodeSettings(beam=beam, attention=AttentionOptions(scale=1.0))
    )
    for t in steps:
        own = AttentionOptions(1.0, t, tuple(float(a) for a in base.best.alphas[t]))
        for again in (
            same_tau,
            translator.translate(SOURCES[1], DecodeSettings(beam, attention=own)),
        ):
            assert len(again.hypotheses) == len(base.hypotheses)
            for hyp, ref in zip(again.hypotheses, base.hypotheses):
                assert hyp.ids == ref.ids
                np.testing.assert_array_equal(hyp.alphas, ref.alphas)
                np.testing.assert_array_equal(hyp.scores, ref.scores)
                assert hyp.token_logprobs == ref.token_logprobs
                assert hyp.score == ref.score


@pytest.mark.parametrize("kind", ATTENTION_IDS)
def test_override_puts_the_attention_there(models, tokenizer, kind):
    translator = Translator(models[kind], tokenizer)
    base = translator.translate(SOURCES[1]).best
    n = base.alphas.shape[1]
    weights = normalise_weights([0] * (n - 2) + [1, 1])
    opts = AttentionOptions(1.0, 1, weights)
    for beam in (1, 3):
        trace = translator.translate(SOURCES[1], DecodeSettings(beam=beam, attention=opts))
        for hyp in trace.hypotheses:
            np.testing.assert_allclose(hyp.alphas[1], weights, atol=1e-7)
        np.testing.assert_array_equal(trace.best.alphas[0], base.alphas[0])
        assert trace.settings["attention_override"]["step"] == 1
    ex = explain_step(translator.model, translator.encode_source(SOURCES[1]).ids, base.ids, 1, opts)
    np.testing.assert_allclose(ex.alphas, weights, atol=1e-7)
    np.testing.assert_allclose(ex.context, ex.alphas @ ex.values, atol=1e-6)


def test_options_plain_and_fast_agree(models, tokenizer):
    model = models["bahdanau-additive"]
    sources = [tokenizer.encode(SOURCES[1], 100).ids]
    n = len(sources[0])
    for opts in (AttentionOptions(0.3), AttentionOptions(2.0, 2, normalise_weights(range(n)))):
        for run in (
            lambda m, o=opts: search.greedy(m, sources, [12], options=o),
            lambda m, o=opts: search.beam_search(m, sources, [12], 3, options=o),
        ):
            a, b = run(model), run(FastDecoder(model))
            _same_scores(a, b, tau=None)
            for ha, hb in zip(a[0].hyps, b[0].hyps):
                np.testing.assert_allclose(ha.alphas, hb.alphas, atol=1e-5)


@pytest.mark.parametrize(
    "options, message",
    [
        (AttentionOptions(scale=0.0), "sharpness"),
        (AttentionOptions(scale=1000.0), "sharpness"),
        (AttentionOptions(1.0, 0, (0.5, 0.5)), "source pieces"),
        (AttentionOptions(1.0, None, (1.0,)), "both"),
        (AttentionOptions(1.0, -1, (1.0,)), "0 or more"),
    ],
)
def test_bad_options_get_a_message(models, tokenizer, options, message):
    translator = Translator(models["luong-concat"], tokenizer)
    with pytest.raises(InputError, match=message):
        translator.translate(SOURCES[0], DecodeSettings(attention=options))


def test_override_weights_must_sum_to_one(models, tokenizer):
    translator = Translator(models["luong-concat"], tokenizer)
    n = len(translator.encode_source(SOURCES[0]).ids)
    with pytest.raises(InputError, match="sum to 1"):
        translator.translate(
            SOURCES[0], DecodeSettings(attention=AttentionOptions(1.0, 0, (0.5,) * n))
        )
    with pytest.raises(InputError, match="no attention"):
        Translator(models["none-none"], tokenizer).translate(
            SOURCES[0], DecodeSettings(attention=AttentionOptions(0.5))
        )
    assert normalise_weights([1, 3]) == (0.25, 0.75)
    with pytest.raises(ValueError):
        normalise_weights([0, 0])


# -- the trace types without torch --------------------------------------------------


def test_viz_imports_without_torch():
    """viz, and the models' plain-data modules the page's first view uses."""
    code = (
        "import importlib, pkgutil, sys, viz\n"
        "for m in pkgutil.iter_modules(viz.__path__): importlib.import_module('viz.' + m.name)\n"
        "import models.trace, models.options, models.folder, models.registry, models.stored\n"
        "import ui.state, ui.sidebar, ui.explorer, ui.inside\n"
        "print('torch' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
    # and the package's names still load on first use
    out = subprocess.run(
        [sys.executable, "-c", "import models; print(models.Translator.__name__)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "Translator"


@pytest.mark.parametrize("kind", ["none-none", "luong-concat"])
def test_context_vectors_of_every_step(models, tokenizer, kind):
    from models.explain import context_vectors

    model = models[kind]
    trace = Translator(model, tokenizer).translate(SOURCES[0])
    src, ids = trace.source.ids, trace.best.ids
    contexts = context_vectors(model, src, ids)
    assert contexts.shape == (len(ids), model.cfg.annotation_dim)
    for t in (0, len(ids) - 1):
        np.testing.assert_allclose(contexts[t], explain_step(model, src, ids, t).context, atol=1e-6)
    constant = np.allclose(contexts, contexts[:1])
    assert constant == (kind == "none-none")  # attention's context changes from step to step
