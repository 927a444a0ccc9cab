"""The three decoders.  Each has ``init_state(memory)`` and a pure
``step(memory, state, prev_emb, control) -> (readout, state, attended)``, where
``attended`` (context, alphas, raw scores, query; see ``attention.Attended``) is None
without attention and ``control`` optionally changes this step's softmax.

State is a tuple of tensors whose first dimension is the batch, so the search can
reorder it with ``index_select``.  Shapes: B batch, S source, E embedding, H decoder
hidden, D annotation width (k x encoder hidden for an encoder of k = 1 or 2
directions), R readout width.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from .attention import Attended, Attention
from .config import ModelConfig
from .encoder import Memory
from .interface import AttentionControl

State = tuple[Tensor, ...]


class ReadoutAfterRecurrence(nn.Module):
    """A decoder whose state is s_t alone and whose readout tanh(L [s_t; E y_{t-1}; c_t])
    does not feed back into the recurrence: ``advance`` runs the recurrence and ``read``
    the readout, so training reads out every step at once after the loop."""

    bridge: nn.Linear
    readout: nn.Linear

    def init_state(self, memory: Memory) -> State:
        return (torch.tanh(self.bridge(memory.summary)),)  # B x H

    def step(self, memory: Memory, state: State, prev_emb: Tensor, control=None):
        s, c, attended = self.advance(memory, state, prev_emb, control)
        return self.read(s, prev_emb, c), (s,), attended

    def advance(
        self, memory: Memory, state: State, prev_emb: Tensor, control: AttentionControl | None
    ) -> tuple[Tensor, Tensor, Attended | None]:
        """B x E -> (s_t B x H, c_t B x D, attended or None)"""
        raise NotImplementedError

    def read(self, s: Tensor, prev_emb: Tensor, c: Tensor) -> Tensor:
        """Readout of any number of steps at once: ... x H, ... x E, ... x D -> ... x R"""
        return torch.tanh(self.readout(torch.cat([s, prev_emb, c], dim=-1)))


class NoAttentionDecoder(ReadoutAfterRecurrence):
    """Encoder-decoder with one fixed context vector c (Cho et al. 2014).

    s_t = GRU([E y_{t-1}; c], s_{t-1});  readout = tanh(L [s_t; E y_{t-1}; c])
    """

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        d, e, h = cfg.annotation_dim, cfg.emb_dim, cfg.dec_hidden
        self.bridge = nn.Linear(d, h)
        self.cell = nn.GRUCell(e + d, h)
        self.readout = nn.Linear(h + e + d, cfg.readout_dim)

    def advance(self, memory: Memory, state: State, prev_emb: Tensor, control=None):
        """The recurrence alone: B x E -> (s_t B x H, c B x D, None)"""
        c = memory.summary  # B x D
        return self.cell(torch.cat([prev_emb, c], dim=-1), state[0]), c, None


class BahdanauDecoder(ReadoutAfterRecurrence):
    """RNNsearch (Bahdanau et al. 2015): the score reads the previous state s_{t-1}.

    alpha_t = softmax_j(v . tanh(W s_{t-1} + U h_j));  c_t = sum_j alpha_tj h_j
    s_t = GRU([E y_{t-1}; c_t], s_{t-1});  readout = tanh(L [s_t; E y_{t-1}; c_t])
    """

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        d, e, h = cfg.annotation_dim, cfg.emb_dim, cfg.dec_hidden
        self.bridge = nn.Linear(d, h)
        self.attention = Attention("additive", h, d, cfg.attn_dim)
        self.cell = nn.GRUCell(e + d, h)
        self.readout = nn.Linear(h + e + d, cfg.readout_dim)

    def advance(self, memory: Memory, state: State, prev_emb: Tensor, control=None):
        """The recurrence alone: B x E -> (s_t B x H, c_t B x D, attended)"""
        s_prev = state[0]
        att = self.attention(s_prev, memory.keys, memory.values, memory.mask, control)
        return self.cell(torch.cat([prev_emb, att.context], dim=-1), s_prev), att.context, att


class LuongDecoder(nn.Module):
    """Global attention (Luong et al. 2015) with input feeding: the score reads h_t.

    h_t = GRU([E y_{t-1}; h~_{t-1}], h_{t-1});  alpha_t = softmax(score(h_t, h_j))
    h~_t = tanh(W_c [c_t; h_t]);  readout = h~_t
    """

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        d, e, h = cfg.annotation_dim, cfg.emb_dim, cfg.dec_hidden
        self.bridge = nn.Linear(d, h)
        self.attention = Attention(cfg.score, h, d, cfg.attn_dim)
        self.cell = nn.GRUCell(e + h, h)
        self.combine = nn.Linear(d + h, h, bias=False)

    def init_state(self, memory: Memory) -> State:
        h0 = torch.tanh(self.bridge(memory.summary))
        return h0, torch.zeros_like(h0)  # (h_t, h~_t)

    def step(self, memory: Memory, state: State, prev_emb: Tensor, control=None):
        h_prev, feed = state
        h = self.cell(torch.cat([prev_emb, feed], dim=-1), h_prev)
        att = self.attention(h, memory.keys, memory.values, memory.mask, control)
        att_h = torch.tanh(self.combine(torch.cat([att.context, h], dim=-1)))
        return att_h, (h, att_h), att


DECODERS = {"none": NoAttentionDecoder, "bahdanau": BahdanauDecoder, "luong": LuongDecoder}
