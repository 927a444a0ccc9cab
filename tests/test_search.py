"""Decoding invariants: attention rows, beam 1 == greedy, batching, forcing, prefixes."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
import torch

from models.engine import DecodeSettings
from models.search import beam_search, greedy, length_penalty, pad_ids
from models.text import InputError
from tests.conftest import KIND_IDS

SOURCES = [
    "the cat sees the dog .",
    "the old teacher helps the small child .",
    "the bird follows the king .",
    "the tired farmer paints the happy horse .",
]


def model_digest(model: torch.nn.Module) -> str:
    h = hashlib.sha256()
    for name, t in sorted(model.state_dict().items()):
        h.update(name.encode())
        h.update(t.detach().cpu().numpy().tobytes())
    return h.hexdigest()


def test_attention_rows_sum_to_one_and_zero_on_padding(attention_translator):
    model, tok = attention_translator.model, attention_translator.tokenizer
    sources = [tok.encode(s, 100).ids for s in SOURCES]
    src, lengths = pad_ids(sources, 0, torch.device("cpu"))
    memory = model.encode(src, lengths)
    state = model.init_state(memory)
    prev = torch.full((len(sources),), model.cfg.bos_id)
    for _ in range(3):
        logp, state, alphas = model.step(memory, state, prev)
        assert torch.allclose(alphas.sum(-1), torch.ones(len(sources)), atol=1e-6)
        assert (alphas[~memory.mask] == 0).all()
        assert memory.mask.sum() < memory.mask.numel()  # there really is padding
        prev = logp.argmax(-1)


def test_trace_alphas_have_one_row_per_target_piece(trained):
    for name, (tr, _) in trained.items():
        trace = tr.translate(SOURCES[1], DecodeSettings(beam=3))
        for hyp in trace.hypotheses:
            if trace.has_attention:
                assert hyp.alphas.shape == (len(hyp.pieces), len(trace.source.pieces)), name
                np.testing.assert_allclose(hyp.alphas.sum(1), 1.0, atol=1e-5)
            else:
                assert hyp.alphas is None


@pytest.mark.parametrize("name", KIND_IDS)
def test_beam_one_equals_greedy(trained, name):
    tr = trained[name][0]
    for text in SOURCES:
        g = tr.translate(text, DecodeSettings(beam=1)).best
        b1 = beam_search(tr.model, [tr.encode_source(text).ids], [40], beam=1)[0].hyps[0]
        assert list(b1.ids) == g.ids  # the beam search itself with K = 1
        assert b1.score == pytest.approx(g.score, abs=1e-4)
        assert b1.norm_score == pytest.approx(g.score / length_penalty(len(g.ids), 1.0), 1e-5)
        if g.alphas is not None:
            np.testing.assert_allclose(b1.alphas, g.alphas, atol=1e-6)
        # the engine's beam path (K = 2) ranks by the same penalised score it reports
        b = tr.translate(text, DecodeSettings(beam=2, length_penalty=0.6)).best
        assert b.score == pytest.approx(sum(b.token_logprobs), abs=1e-4)
        assert b.norm_score == pytest.approx(b.score / length_penalty(len(b.ids), 0.6), 1e-5)


def test_beam_one_equals_greedy_untrained(translator):
    """Once per model kind (the ``translator`` fixture runs each kind)."""
    src = [translator.encode_source(t).ids for t in SOURCES]
    g = greedy(translator.model, src, [12] * len(src))
    b = beam_search(translator.model, src, [12] * len(src), beam=1)
    for gi, bi in zip(g, b):
        assert list(gi.hyps[0].ids) == list(bi.hyps[0].ids)
        assert gi.hyps[0].score == pytest.approx(bi.hyps[0].score, abs=1e-4)


@pytest.mark.parametrize("beam", [1, 4])
def test_batched_equals_unbatched(trained, beam):
    for name, (tr, _) in trained.items():
        settings = DecodeSettings(beam=beam)
        together = tr.translate_batch(SOURCES, settings)
        for text, batched in zip(SOURCES, together):
            alone = tr.translate(text, settings)
            assert [h.ids for h in alone.hypotheses] == [h.ids for h in batched.hypotheses], name
            for a, b in zip(alone.hypotheses, batched.hypotheses):
                assert a.score == pytest.approx(b.score, abs=1e-4)
                if a.alphas is not None:
                    np.testing.assert_allclose(a.alphas, b.alphas, atol=1e-5)


def test_batched_forced_equals_unbatched(trained):
    tr = trained["luong-general"][0]
    targets = ["der katze der hund sieht .", "der alte lehrer hilft .", "x", "der koenig ."]
    together = tr.translate_batch(SOURCES, forces=targets)
    for text, target, batched in zip(SOURCES, targets, together):
        alone = tr.translate(text, force=target)
        np.testing.assert_allclose(alone.best.alphas, batched.best.alphas, atol=1e-5)
        assert alone.best.score == pytest.approx(batched.best.score, abs=1e-4)


def test_forced_decoding_of_own_output_reproduces_alphas(trained):
    for name, (tr, _) in trained.items():
        for settings in (DecodeSettings(beam=1), DecodeSettings(beam=4)):
            for text in SOURCES:
                best = tr.translate(text, settings).best
                if not best.finished:
                    continue
                again = tr.translate(text, force=best.text).best
                assert again.ids == best.ids, name
                assert again.score == pytest.approx(best.score, abs=1e-4)
                np.testing.assert_allclose(again.token_logprobs, best.token_logprobs, atol=1e-4)
                if best.alphas is not None:
                    np.testing.assert_allclose(again.alphas, best.alphas, atol=1e-5)


def test_beam_hypotheses_are_ranked_and_scored_consistently(trained):
    tr = trained["bahdanau-additive"][0]
    trace = tr.translate(SOURCES[3], DecodeSettings(beam=5, length_penalty=0.6))
    norms = [h.norm_score for h in trace.hypotheses]
    assert norms == sorted(norms, reverse=True)
    assert len({tuple(h.ids) for h in trace.hypotheses}) == len(trace.hypotheses)
    for hyp in trace.hypotheses:
        assert hyp.score == pytest.approx(sum(hyp.token_logprobs), abs=1e-4)
        forced = tr.translate(SOURCES[3], force=hyp.text).best
        assert forced.score == pytest.approx(hyp.score, abs=1e-4)


def test_beam_search_finds_at_least_greedy_score(trained):
    for name, (tr, _) in trained.items():
        for text in SOURCES:
            g = tr.translate(text).best
            b = tr.translate(text, DecodeSettings(beam=8, length_penalty=0.0)).best
            assert b.score >= g.score - 1e-4, name


def test_beam_tree_links_back_to_each_hypothesis(trained):
    tr = trained["luong-concat"][0]
    trace = tr.translate(SOURCES[2], DecodeSettings(beam=4))
    steps = trace.beam_steps
    for hyp in trace.hypotheses:
        t, index = hyp.beam_node
        node, tokens = steps[t][index], []
        while True:
            tokens.append(node.token)
            if t == 0:
                break
            parent = [n for n in steps[t - 1] if n.slot == node.parent]
            assert len(parent) == 1
            node, t = parent[0], t - 1
        assert tokens[::-1] == hyp.ids
        assert node.parent == -1


def test_prefix_is_kept_and_decoding_continues(trained):
    for name, (tr, _) in trained.items():
        for beam in (1, 3):
            trace = tr.translate(SOURCES[0], DecodeSettings(beam=beam), prefix="der vogel")
            free = tr.translate(SOURCES[0], DecodeSettings(beam=beam)).best
            assert free.words[:2] != ["der", "vogel"], name  # so the prefix changes the output
            n = len(tr.tokenizer.encode("der vogel", 100, add_eos=False).ids)
            for hyp in trace.hypotheses:
                assert hyp.words[:2] == ["der", "vogel"], name
                assert len(hyp.words) > 2
            if beam == 1:  # after the prefix, decoding goes on greedily
                best = trace.best
                assert all(step[0][0] == piece for step, piece in
                           zip(best.candidates[n:], best.pieces[n:])), name  # fmt: skip


def test_prefix_scores_match_forced_scores(trained):
    tr = trained["bahdanau-additive"][0]
    trace = tr.translate(SOURCES[1], prefix="der bauer")
    forced = tr.translate(SOURCES[1], force=trace.best.text).best
    assert forced.score == pytest.approx(trace.best.score, abs=1e-4)


def test_candidates_are_top_k_probabilities(trained):
    tr = trained["luong-dot"][0]
    best = tr.translate(SOURCES[0], DecodeSettings(topk=4)).best
    assert len(best.candidates) == len(best.pieces)
    for step, piece in zip(best.candidates, best.pieces):
        probs = [p for _, p in step]
        assert len(step) == 4 and probs == sorted(probs, reverse=True)
        assert step[0][0] == piece  # greedy picks the most probable candidate
        assert 0 < sum(probs) <= 1 + 1e-5


def test_decoding_never_changes_the_model(trained):
    tr = trained["bahdanau-additive"][0]
    before, attrs = model_digest(tr.model), set(vars(tr.model))
    tr.translate_batch(SOURCES, DecodeSettings(beam=5))
    tr.translate(SOURCES[0], force="der hund .")
    tr.translate(SOURCES[0], prefix="der")
    assert model_digest(tr.model) == before
    assert set(vars(tr.model)) == attrs
    assert not tr.model.training


def test_length_limit_marks_unfinished(translator):
    trace = translator.translate(SOURCES[0], DecodeSettings(beam=3, max_len=4))
    for hyp in trace.hypotheses:
        assert len(hyp.ids) <= 4
        assert hyp.finished == (hyp.ids[-1] == translator.cfg.eos_id)


def test_reverse_source_keeps_the_end_token_and_padding():
    from models.seq2seq import reverse_valid

    src = torch.tensor([[5, 6, 7, 3, 0], [8, 9, 3, 0, 0]])
    out = reverse_valid(src, torch.tensor([4, 3]))
    assert out.tolist() == [[7, 6, 5, 3, 0], [9, 8, 3, 0, 0]]


def test_prefix_as_piece_ids(trained):
    """Choosing another candidate at step 1 and decoding on from there."""
    tr = trained["bahdanau-additive"][0]
    free = tr.translate(SOURCES[0]).best
    second = tr.tokenizer.sp.piece_to_id(free.candidates[1][1][0])
    prefix = [free.ids[0], second]
    trace = tr.translate(SOURCES[0], prefix=prefix)
    assert trace.best.ids[:2] == prefix and trace.best.ids != free.ids
    with pytest.raises(InputError, match="outside the vocabulary"):
        tr.translate(SOURCES[0], prefix=[10**6])
