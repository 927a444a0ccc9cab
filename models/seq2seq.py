"""The translator: embeddings + encoder + one decoder + output projection.

``encode`` builds the per-sentence ``Memory`` once (keys projected there);
``decode_step`` is one decoder step from token ids to log-probabilities (the
``interface.StepDecoder`` the searches use).  Neither stores anything on the module,
so one model can serve many decoding calls at once.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .config import ModelConfig
from .decoders import DECODERS, ReadoutAfterRecurrence, State
from .encoder import Encoder, Memory, source_mask
from .interface import AttentionControl, StepOut


def reverse_valid(src: Tensor, lengths: Tensor) -> Tensor:
    """Reverse each row's pieces, keeping the final end token in place.  B x S -> B x S"""
    positions = torch.arange(src.size(1), device=src.device).unsqueeze(0)  # 1 x S
    last = (lengths - 2).unsqueeze(1)  # index of the last piece before the end token
    index = torch.where(positions <= last, last - positions, positions)
    return src.gather(1, index)


class Seq2Seq(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.tgt_embedding = nn.Embedding(cfg.vocab_size, cfg.emb_dim, padding_idx=cfg.pad_id)
        src_embedding = (
            self.tgt_embedding
            if cfg.share_embeddings
            else nn.Embedding(cfg.vocab_size, cfg.emb_dim, padding_idx=cfg.pad_id)
        )
        self.encoder = Encoder(src_embedding, cfg.enc_hidden, cfg.dropout, cfg.bidirectional)
        self.decoder = DECODERS[cfg.attention](cfg)
        self.dropout = nn.Dropout(cfg.dropout)
        self.out_proj = nn.Linear(cfg.readout_dim, cfg.vocab_size)
        if cfg.tie_embeddings:
            self.out_proj.weight = self.tgt_embedding.weight

    @property
    def device(self) -> torch.device:
        return self.out_proj.weight.device

    @property
    def has_attention(self) -> bool:
        return self.cfg.attention != "none"

    def encode(self, src: Tensor, lengths: Tensor) -> Memory:
        """B x S ids (end token included, pad after), B lengths -> Memory"""
        if self.cfg.reverse_source:
            src = reverse_valid(src, lengths)
        values, summary = self.encoder(src, lengths)
        mask = source_mask(lengths, src.size(1), self.cfg.attend_end, src.device)
        attention = getattr(self.decoder, "attention", None)
        keys = attention.project_keys(values) if attention is not None else None
        return Memory(values, keys, mask, summary)

    def init_state(self, memory: Memory) -> State:
        return self.decoder.init_state(memory)

    def decode_step(
        self, memory: Memory, state: State, prev: Tensor, control: AttentionControl | None = None
    ) -> StepOut:
        """B previous ids -> StepOut (log-probs B x V, new state, alphas and raw
        scores B x S or None)"""
        emb = self.dropout(self.tgt_embedding(prev))
        out, state, att = self.decoder.step(memory, state, emb, control)
        logp = F.log_softmax(self.out_proj(self.dropout(out)).float(), dim=-1)
        if att is None:
            return StepOut(logp, state, None, None)
        return StepOut(logp, state, att.alphas, att.scores)

    def step(self, memory: Memory, state: State, prev: Tensor):
        """B previous ids -> (log-probs B x V, new state, alphas B x S or None)"""
        return self.decode_step(memory, state, prev)[:3]

    def readouts(self, src: Tensor, lengths: Tensor, tgt_in: Tensor):
        """Teacher forcing up to the readout.  B x S, B, B x T ->
        (readouts B x T x R, alphas B x T x S or None).

        The output projection is left out, so a caller can apply it once to every
        position (or only to the real ones) instead of once per step.
        """
        memory = self.encode(src, lengths)
        state = self.init_state(memory)
        embedded = self.dropout(self.tgt_embedding(tgt_in))  # B x T x E
        if isinstance(self.decoder, ReadoutAfterRecurrence):  # read out once, after the loop
            return self._readouts_after(memory, state, embedded)
        outs, alphas = [], []
        for t in range(tgt_in.size(1)):
            out, state, att = self.decoder.step(memory, state, embedded[:, t])
            outs.append(out)
            alphas.append(att.alphas)
        stacked = torch.stack(alphas, 1) if self.has_attention else None
        return torch.stack(outs, 1), stacked

    def _readouts_after(self, memory: Memory, state: State, embedded: Tensor):
        """The recurrence step by step, then the readout of every step in one call."""
        states, contexts, alphas = [], [], []
        for t in range(embedded.size(1)):
            s, c, att = self.decoder.advance(memory, state, embedded[:, t])
            state = (s,)
            states.append(s)
            contexts.append(c)
            alphas.append(None if att is None else att.alphas)
        outs = self.decoder.read(torch.stack(states, 1), embedded, torch.stack(contexts, 1))
        return outs, torch.stack(alphas, 1) if self.has_attention else None

    def logits(self, readouts: Tensor) -> Tensor:
        """... x R readouts -> ... x V unnormalised scores (dropout as in ``step``)."""
        return self.out_proj(self.dropout(readouts))

    def forward(self, src: Tensor, lengths: Tensor, tgt_in: Tensor):
        """Teacher forcing.  B x S, B, B x T -> (log-probs B x T x V, alphas B x T x S or None)"""
        outs, alphas = self.readouts(src, lengths, tgt_in)
        return F.log_softmax(self.logits(outs).float(), dim=-1), alphas
