"""Attention as small pure functions: (query, keys, values, mask) -> context, alphas, scores.

Shapes: B = batch, S = source length, H = query width, A = key width, D = value width.
Keys are whatever is fixed per sentence (the projection U h_j, W_a h_j or h_j itself);
they are computed once per sentence with ``project_keys`` and passed in at every step.
The modules below only hold parameters: nothing is stored on them while decoding.
The step explanation (``models.explain``) shows these same functions' terms.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor, nn

from .interface import AttentionControl

NEG_INF = float("-inf")


class Attended(NamedTuple):
    """One attention read: context B x D, alphas B x S, the raw scores e B x S (-inf on
    padding) and the query B x H that asked (s_{t-1} for Bahdanau, h_t for Luong)."""

    context: Tensor
    alphas: Tensor
    scores: Tensor
    query: Tensor


def masked_softmax(scores: Tensor, mask: Tensor) -> Tensor:
    """Softmax over source positions; padding gets exactly 0.  B x S, B x S (bool) -> B x S"""
    return scores.masked_fill(~mask, NEG_INF).softmax(dim=-1)


def weighted_sum(alphas: Tensor, values: Tensor) -> Tensor:
    """Context vector c = sum_j alpha_j h_j.  B x S, B x S x D -> B x D"""
    return torch.bmm(alphas.unsqueeze(1), values).squeeze(1)


def dot_scores(query: Tensor, keys: Tensor) -> Tensor:
    """Luong dot / general: e_j = q . k_j.  B x H, B x S x H -> B x S"""
    return torch.bmm(keys, query.unsqueeze(2)).squeeze(2)


def dot_terms(query: Tensor, keys: Tensor) -> Tensor:
    """The products q_i k_ji whose sum over i is e_j.  B x H, B x S x H -> B x S x H"""
    return keys * query.unsqueeze(1)


def additive_terms(query: Tensor, keys: Tensor) -> Tensor:
    """tanh(W q + U h_j) for the projected query W q (B x A) and keys U h_j (B x S x A)
    -> B x S x A"""
    return torch.tanh(keys + query.unsqueeze(1))


def additive_scores(query: Tensor, keys: Tensor, v: Tensor) -> Tensor:
    """Bahdanau / Luong concat: e_j = v . tanh(W q + U h_j).  B x A, B x S x A, A -> B x S"""
    return additive_terms(query, keys) @ v


class Attention(nn.Module):
    """Parameters of one attention score; ``forward`` is a pure function of its inputs.

    score: ``additive`` (Bahdanau), ``dot``, ``general`` or ``concat`` (Luong).
    """

    def __init__(self, score: str, query_dim: int, value_dim: int, attn_dim: int) -> None:
        super().__init__()
        self.score = score
        if score in ("additive", "concat"):
            self.query_proj = nn.Linear(query_dim, attn_dim, bias=False)
            self.key_proj = nn.Linear(value_dim, attn_dim, bias=True)
            self.v = nn.Parameter(torch.empty(attn_dim).uniform_(-0.1, 0.1))
        elif score == "general":
            self.key_proj = nn.Linear(value_dim, query_dim, bias=False)
        elif score != "dot":
            raise ValueError(f"unknown attention score {score!r}")

    @property
    def additive(self) -> bool:
        return self.score in ("additive", "concat")

    def project_keys(self, values: Tensor) -> Tensor:
        """Once per sentence.  B x S x D -> B x S x A (dot: the values themselves)"""
        return values if self.score == "dot" else self.key_proj(values)

    def project_query(self, query: Tensor) -> Tensor:
        """W q for additive scores; dot and general read q itself.  B x H -> B x A"""
        return self.query_proj(query) if self.additive else query

    def scores(self, query: Tensor, keys: Tensor) -> Tensor:
        """Raw scores e, padding not yet masked.  B x H, B x S x A -> B x S"""
        if self.additive:
            return additive_scores(self.project_query(query), keys, self.v)
        return dot_scores(query, keys)

    def forward(
        self,
        query: Tensor,
        keys: Tensor,
        values: Tensor,
        mask: Tensor,
        control: AttentionControl | None = None,
    ) -> Attended:
        """B x H, B x S x A, B x S x D, B x S -> Attended.  ``control``: sharpness tau
        or fixed weights for this step (see ``AttentionControl``)."""
        scores = self.scores(query, keys).masked_fill(~mask, NEG_INF)
        alphas = scores.softmax(dim=-1) if control is None else control.weights(scores)
        return Attended(weighted_sum(alphas, values), alphas, scores, query)
