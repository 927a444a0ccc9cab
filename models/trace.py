"""``DecodeTrace``: everything a view needs about one decoding, as plain data.

Numpy arrays and lists only (no tensors), so traces can be cached, compared, drawn
and written to JSON without touching the model again.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, field, fields

import numpy as np


@dataclass
class Sequence:
    """Pieces (what attention rows/columns stand for) and the words they make up."""

    pieces: list[str]
    words: list[str]
    piece_to_word: list[int]  # -1 for special pieces such as </s>
    ids: list[int]
    text: str

    def to_dict(self) -> dict:
        return {"pieces": self.pieces, "words": self.words, "piece_to_word": self.piece_to_word}


@dataclass
class HypothesisTrace(Sequence):
    score: float = 0.0  # sum of log-probabilities
    norm_score: float = 0.0  # after the length penalty
    alphas: np.ndarray | None = None  # target pieces x source pieces; None without attention
    # raw scores e_tj before the softmax, same shape as alphas (-inf where alphas is
    # masked); rows sum to nothing in particular
    scores: np.ndarray | None = None
    token_logprobs: list[float] = field(default_factory=list)
    candidates: list[list[tuple[str, float]]] = field(default_factory=list)  # per step, top-k
    candidate_ids: list[list[int]] = field(default_factory=list)  # their piece ids
    finished: bool = True  # ended with </s> (False: stopped at the length limit)
    beam_node: tuple[int, int] | None = None  # (step, index) in ``DecodeTrace.beam_steps``

    def to_dict(self) -> dict:
        return {
            **super().to_dict(),
            "text": self.text,
            "score": _num(self.score),
            "norm_score": _num(self.norm_score),
            "finished": self.finished,
            "alphas": None if self.alphas is None else [[_num(x) for x in r] for r in self.alphas],
            "scores": None if self.scores is None else [[_num(x) for x in r] for r in self.scores],
            "token_logprobs": [_num(x) for x in self.token_logprobs],
            "candidates": [[[p, round(float(q), 6)] for p, q in step] for step in self.candidates],
            "candidate_ids": self.candidate_ids,
            "beam_node": list(self.beam_node) if self.beam_node else None,
        }


@dataclass
class BeamStepNode:
    piece: str
    token: int
    parent: int  # index among the previous step's live hypotheses (-1 at step 0)
    score: float
    finished: bool
    slot: int | None  # index among this step's live hypotheses, None when finished

    def to_dict(self) -> dict:
        return {**self.__dict__, "score": _num(self.score)}


@dataclass
class DecodeTrace:
    model: str
    attention: str  # none | bahdanau | luong
    score_kind: str  # none | additive | dot | general | concat
    mode: str  # greedy | beam | forced
    source: Sequence
    hypotheses: list[HypothesisTrace]  # best first
    settings: dict
    beam_steps: list[list[BeamStepNode]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def best(self) -> HypothesisTrace:
        return self.hypotheses[0]

    @property
    def has_attention(self) -> bool:
        return self.attention != "none"

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "attention": self.attention,
            "score_kind": self.score_kind,
            "mode": self.mode,
            "settings": self.settings,
            "notes": self.notes,
            "source": {**self.source.to_dict(), "text": self.source.text},
            "hypotheses": [h.to_dict() for h in self.hypotheses],
            "beam_steps": [[n.to_dict() for n in step] for step in self.beam_steps],
        }


def _num(x: float) -> float | None:
    """JSON has no infinities: -inf/nan become null."""
    x = float(x)
    return round(x, 6) if math.isfinite(x) else None


# Exact storage of a trace (``models.stored``): every float as Python writes it (a
# float32 read back as float32 is the same number), arrays as their raw bytes; unlike
# ``to_dict``, which rounds for people, ``trace_from_data(trace_data(t))`` equals ``t``.


def trace_data(trace: DecodeTrace) -> dict:
    """Everything in ``trace``, exactly, as JSON-ready data."""
    return {
        "model": trace.model,
        "attention": trace.attention,
        "score_kind": trace.score_kind,
        "mode": trace.mode,
        "settings": trace.settings,
        "notes": trace.notes,
        "source": _sequence_data(trace.source),
        "hypotheses": [_hypothesis_data(h) for h in trace.hypotheses],
        "beam_steps": [[dict(n.__dict__) for n in step] for step in trace.beam_steps],
    }


def trace_from_data(data: dict) -> DecodeTrace:
    """The inverse of ``trace_data``."""
    return DecodeTrace(
        model=data["model"],
        attention=data["attention"],
        score_kind=data["score_kind"],
        mode=data["mode"],
        source=Sequence(**data["source"]),
        hypotheses=[_hypothesis(h) for h in data["hypotheses"]],
        settings=data["settings"],
        beam_steps=[[BeamStepNode(**n) for n in step] for step in data["beam_steps"]],
        notes=list(data["notes"]),
    )


def _sequence_data(seq: Sequence) -> dict:
    """The ``Sequence`` fields of ``seq`` (a hypothesis is one too)."""
    return {f.name: getattr(seq, f.name) for f in fields(Sequence)}


def _hypothesis_data(h: HypothesisTrace) -> dict:
    return {
        **_sequence_data(h),
        "score": float(h.score),
        "norm_score": float(h.norm_score),
        "alphas": _array_data(h.alphas),
        "scores": _array_data(h.scores),
        "token_logprobs": [float(x) for x in h.token_logprobs],
        "candidates": [[[p, float(q)] for p, q in step] for step in h.candidates],
        "candidate_ids": h.candidate_ids,
        "finished": h.finished,
        "beam_node": None if h.beam_node is None else list(h.beam_node),
    }


def _hypothesis(data: dict) -> HypothesisTrace:
    return HypothesisTrace(
        **{f.name: data[f.name] for f in fields(Sequence)},
        score=data["score"],
        norm_score=data["norm_score"],
        alphas=_array(data["alphas"]),
        scores=_array(data["scores"]),
        token_logprobs=list(data["token_logprobs"]),
        candidates=[[(p, q) for p, q in step] for step in data["candidates"]],
        candidate_ids=data["candidate_ids"],
        finished=data["finished"],
        beam_node=None if data["beam_node"] is None else tuple(data["beam_node"]),
    )


def _array_data(a: np.ndarray | None) -> dict | None:
    if a is None:
        return None
    a = np.ascontiguousarray(a)
    return {
        "dtype": a.dtype.str,
        "shape": list(a.shape),
        "base64": base64.b64encode(a.tobytes()).decode(),
    }


def _array(data: dict | None) -> np.ndarray | None:
    if data is None:
        return None
    flat = np.frombuffer(base64.b64decode(data["base64"]), dtype=np.dtype(data["dtype"]))
    return flat.reshape(data["shape"]).copy()
