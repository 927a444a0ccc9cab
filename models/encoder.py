"""The GRU encoder (both directions, or left to right) and the per-sentence memory
that decoders read."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class Memory(NamedTuple):
    """What is fixed per sentence while decoding (computed once by ``Seq2Seq.encode``).

    values: B x S x D annotations h_j; keys: B x S x A projected keys (None without
    attention); mask: B x S, True on real source pieces; summary: B x D, the final
    states of the encoder (the last forward and the first backward one, or the last
    alone with one direction): the fixed context of the model without attention.
    """

    values: Tensor
    keys: Tensor | None
    mask: Tensor
    summary: Tensor

    def select(self, index: Tensor) -> Memory:
        """Rows ``index`` of every field (beam expansion, dropping finished sentences)."""
        return Memory(*(None if t is None else t.index_select(0, index) for t in self))

    def regroup(self, sentences: Tensor | None, width: int, group: int) -> Memory:
        """The sentences ``sentences`` (all when None), ``group`` rows each.  This memory
        holds a row per hypothesis (``width`` per sentence now), so rows are picked and
        repeated: row k of a kept sentence comes from its row k mod ``width``."""
        kept = range(self.mask.size(0) // width) if sentences is None else sentences.tolist()
        rows = [a * width + k % width for a in kept for k in range(group)]
        return self.select(torch.tensor(rows, device=self.mask.device))


def source_mask(lengths: Tensor, width: int, attend_end: bool, device) -> Tensor:
    """B lengths -> B x ``width``, True on the source pieces attention may weigh: every
    real piece, or with ``attend_end`` off every one but the end token (kept where it is
    the source's only piece, so a row always has somewhere to go)."""
    positions = torch.arange(width, device=device).unsqueeze(0)
    lengths = lengths.to(device).unsqueeze(1)
    mask = positions < lengths
    if not attend_end:
        mask &= (positions != lengths - 1) | (lengths == 1)
    return mask


class Encoder(nn.Module):
    """Embeddings -> GRU over both directions (or left to right only).
    B x S ids -> B x S x kH annotations, B x kH summary (k = 2 or 1 directions of H
    hidden units each, so D = kH is the annotation width the decoders read)"""

    def __init__(
        self, embedding: nn.Embedding, hidden: int, dropout: float, bidirectional: bool = True
    ) -> None:
        super().__init__()
        self.embedding = embedding
        self.dropout = nn.Dropout(dropout)
        self.rnn = nn.GRU(
            embedding.embedding_dim, hidden, batch_first=True, bidirectional=bidirectional
        )

    def forward(self, src: Tensor, lengths: Tensor) -> tuple[Tensor, Tensor]:
        emb = self.dropout(self.embedding(src))  # B x S x E (embedding width)
        packed = pack_padded_sequence(emb, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, h_n = self.rnn(packed)  # h_n: k x B x H
        values, _ = pad_packed_sequence(out, batch_first=True, total_length=src.size(1))
        summary = torch.cat(list(h_n), dim=-1)  # last forward (, first backward)
        return values, summary
