"""``DecodeTrace``: everything a view needs about one decoding, as plain data.

Numpy arrays and lists only (no tensors), so traces can be cached, compared, drawn
and written to JSON without touching the model again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

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
