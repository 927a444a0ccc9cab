"""Attention as small pure functions: (query, keys, values, mask) -> (context, alphas).

Shapes: B = batch, S = source length, H = query width, A = key width, D = value width.
Keys are whatever is fixed per sentence (the projection U h_j, W_a h_j or h_j itself);
they are computed once per sentence with ``project_keys`` and passed in at every step.
The modules below only hold parameters: nothing is stored on them while decoding.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


def masked_softmax(scores: Tensor, mask: Tensor) -> Tensor:
    """Softmax over source positions; padding gets exactly 0.  B x S, B x S (bool) -> B x S"""
    return scores.masked_fill(~mask, float("-inf")).softmax(dim=-1)


def weighted_sum(alphas: Tensor, values: Tensor) -> Tensor:
    """Context vector.  B x S, B x S x D -> B x D"""
    return torch.bmm(alphas.unsqueeze(1), values).squeeze(1)


def dot_attention(query: Tensor, keys: Tensor, values: Tensor, mask: Tensor):
    """Luong dot / general: score_j = q . k_j.  B x H, B x S x H, B x S x D, B x S"""
    scores = torch.bmm(keys, query.unsqueeze(2)).squeeze(2)  # B x S
    alphas = masked_softmax(scores, mask)
    return weighted_sum(alphas, values), alphas


def additive_attention(query: Tensor, keys: Tensor, values: Tensor, mask: Tensor, v: Tensor):
    """Bahdanau / Luong concat: score_j = v . tanh(q + k_j).

    query is the already projected W q (B x A); keys are U h_j (B x S x A); v is A.
    """
    scores = torch.tanh(keys + query.unsqueeze(1)) @ v  # B x S
    alphas = masked_softmax(scores, mask)
    return weighted_sum(alphas, values), alphas


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

    def project_keys(self, values: Tensor) -> Tensor:
        """Once per sentence.  B x S x D -> B x S x A (dot: the values themselves)"""
        return values if self.score == "dot" else self.key_proj(values)

    def forward(self, query: Tensor, keys: Tensor, values: Tensor, mask: Tensor):
        """B x H, B x S x A, B x S x D, B x S -> (context B x D, alphas B x S)"""
        if self.score in ("additive", "concat"):
            return additive_attention(self.query_proj(query), keys, values, mask, self.v)
        return dot_attention(query, keys, values, mask)
