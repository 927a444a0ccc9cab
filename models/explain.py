"""One decoder step taken apart: the numbers behind a row of the attention matrix.

``explain_step`` replays the plain model (the readable functions of ``attention.py``)
with the target prefix forced, and returns every quantity of step t as numpy arrays:
the state that asks, the projected query and keys, the terms of the score, the raw
scores e_t, the weights alpha_t = softmax(e_t / tau) and the context c_t.  Nothing is
written to the model.

Shapes: S source pieces (end token included), H decoder hidden, D annotation width,
A attention width (H for general, D for dot).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .attention import additive_terms, dot_terms
from .options import AttentionOptions
from .search import pad_ids
from .seq2seq import Seq2Seq


@dataclass
class StepExplanation:
    attention: str  # none | bahdanau | luong
    score: str  # none | additive | dot | general | concat
    step: int  # t, 0-based: the step that emits target piece t
    values: np.ndarray  # S x D, the annotations h_j
    context: np.ndarray  # D: c_t = sum_j alpha_tj h_j (without attention: the one fixed c)
    state_prev: np.ndarray  # H: s_{t-1} (Bahdanau, none) or h_{t-1} (Luong)
    state_new: np.ndarray  # H: s_t or h_t, after this step's GRU update
    query: np.ndarray | None = None  # H: the state that asks (s_{t-1} or h_t)
    query_proj: np.ndarray | None = None  # A: W q (additive, concat); q itself otherwise
    keys: np.ndarray | None = None  # S x A: U h_j + b, W_a h_j, or h_j (dot)
    terms: np.ndarray | None = None  # S x A: tanh(W q + U h_j), or q_i k_ji (dot, general)
    v: np.ndarray | None = None  # A: the score vector of additive / concat
    scores: np.ndarray | None = None  # S: e_tj
    alphas: np.ndarray | None = None  # S: the weights used at this step
    attentional: np.ndarray | None = None  # H: Luong's h~_t = tanh(W_c [c_t; h_t])
    scale: float = 1.0  # tau of the softmax

    @property
    def has_attention(self) -> bool:
        return self.attention != "none"


def _np(x: torch.Tensor) -> np.ndarray:
    return x.detach().float().cpu().numpy().copy()


@torch.inference_mode()
def explain_step(
    model: Seq2Seq,
    source_ids: list[int],
    target_ids: list[int],
    t: int,
    options: AttentionOptions = AttentionOptions(),
) -> StepExplanation:
    """Step ``t`` (0-based) with ``target_ids[:t]`` as the output so far.

    ``source_ids`` end with the end token, as in a trace; ``options`` are the decoding
    call's (tau, an override at one step), so a re-decoded trace can be explained too.
    """
    if model.training:
        raise ValueError("explain a model in eval mode (dropout would change the numbers)")
    if not 0 <= t <= len(target_ids):
        raise ValueError(f"step {t} is outside the output (0 to {len(target_ids)})")
    cfg, device = model.cfg, model.device
    src, lengths = pad_ids([source_ids], cfg.pad_id, device)
    memory = model.encode(src, lengths)
    state = model.init_state(memory)
    dec = model.decoder
    prev = torch.tensor([cfg.bos_id], device=device)
    for i in range(t + 1):
        emb = model.tgt_embedding(prev)
        before = state
        out, state, att = dec.step(memory, state, emb, options.control(i, src.size(1), device))
        if i < t:
            prev = torch.tensor([target_ids[i]], device=device)
    base = dict(
        attention=cfg.attention,
        score=cfg.score,
        step=t,
        values=_np(memory.values[0]),
        state_prev=_np(before[0][0]),
        state_new=_np(state[0][0]),
        scale=options.scale,
    )
    if att is None:
        return StepExplanation(**base, context=_np(memory.summary[0]))
    attention = dec.attention
    query_proj = attention.project_query(att.query)
    if attention.additive:
        terms = additive_terms(query_proj, memory.keys)
    else:
        terms = dot_terms(query_proj, memory.keys)
    return StepExplanation(
        **base,
        context=_np(att.context[0]),
        query=_np(att.query[0]),
        query_proj=_np(query_proj[0]),
        keys=_np(memory.keys[0]),
        terms=_np(terms[0]),
        v=_np(attention.v) if attention.additive else None,
        scores=_np(att.scores[0]),
        alphas=_np(att.alphas[0]),
        attentional=_np(out[0]) if cfg.attention == "luong" else None,
    )


@torch.inference_mode()
def context_vectors(
    model: Seq2Seq,
    source_ids: list[int],
    target_ids: list[int],
    options: AttentionOptions = AttentionOptions(),
) -> np.ndarray:
    """c_t of every step of ``target_ids`` (teacher forced), in one pass.  -> T x D

    Without attention every row is the one fixed context (the encoder's summary)."""
    if model.training:
        raise ValueError("explain a model in eval mode (dropout would change the numbers)")
    cfg, device = model.cfg, model.device
    src, lengths = pad_ids([source_ids], cfg.pad_id, device)
    memory = model.encode(src, lengths)
    state = model.init_state(memory)
    prev = torch.tensor([cfg.bos_id], device=device)
    rows = []
    for i, token in enumerate(target_ids):
        control = options.control(i, src.size(1), device)
        _, state, att = model.decoder.step(memory, state, model.tgt_embedding(prev), control)
        rows.append(memory.summary[0] if att is None else att.context[0])
        prev = torch.tensor([token], device=device)
    return _np(torch.stack(rows)) if rows else np.zeros((0, memory.values.size(-1)))
