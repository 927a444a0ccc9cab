"""Bidirectional GRU encoder and the per-sentence memory that decoders read."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class Memory(NamedTuple):
    """What is fixed per sentence while decoding (computed once by ``Seq2Seq.encode``).

    values: B x S x D annotations h_j; keys: B x S x A projected keys (None without
    attention); mask: B x S, True on real source pieces; summary: B x D, the final
    forward and backward states (the fixed context of the model without attention).
    """

    values: Tensor
    keys: Tensor | None
    mask: Tensor
    summary: Tensor

    def select(self, index: Tensor) -> Memory:
        """Rows ``index`` of every field (beam expansion, dropping finished sentences)."""
        return Memory(*(None if t is None else t.index_select(0, index) for t in self))


class Encoder(nn.Module):
    """Embeddings -> bidirectional GRU.  B x S ids -> B x S x 2E annotations, B x 2E summary"""

    def __init__(self, embedding: nn.Embedding, hidden: int, dropout: float) -> None:
        super().__init__()
        self.embedding = embedding
        self.dropout = nn.Dropout(dropout)
        self.rnn = nn.GRU(embedding.embedding_dim, hidden, batch_first=True, bidirectional=True)

    def forward(self, src: Tensor, lengths: Tensor) -> tuple[Tensor, Tensor]:
        emb = self.dropout(self.embedding(src))  # B x S x E
        packed = pack_padded_sequence(emb, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, h_n = self.rnn(packed)  # h_n: 2 x B x E
        values, _ = pad_packed_sequence(out, batch_first=True, total_length=src.size(1))
        summary = torch.cat([h_n[0], h_n[1]], dim=-1)  # last forward, first backward
        return values, summary
