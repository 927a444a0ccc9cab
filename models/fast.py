"""The inference path: the same model, rearranged so a decoder step is a few large ops.

``FastDecoder(model)`` reads a trained ``Seq2Seq`` once and builds derived
tensors (the model itself is never written to):
- the embedding half of every matrix that reads E y_{t-1} becomes a vocabulary table
  (V x 3H for the GRU input, V x R for the readout), so that product is a row lookup;
- matrices that read the same vector are stacked into one matmul (the attention query
  and the GRU's hidden-to-hidden weights both read s_{t-1});
- everything that is fixed per sentence is computed once in ``encode``: the projected
  keys, an additive padding mask, and without attention the context's share of the
  GRU input and the readout.

It has the interface of ``Seq2Seq`` that the searches use (``cfg``, ``device``,
``encode``, ``init_state``, ``step``) and gives the same outputs up to float rounding;
the tests compare the two paths search by search.  Shapes: B batch, S source,
V vocabulary, E embedding, H decoder hidden, D annotation width, A attention width,
R readout width.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor

from .seq2seq import Seq2Seq

State = tuple[Tensor, ...]


class FastMemory(NamedTuple):
    """Per-sentence constants.  values B x S x D, keys B x S x A (or None), mask B x S,
    neg B x S (0 on real pieces, -inf on padding), fixed B x (3H + R) (no-attention
    model only: the context's share of the GRU input and readout), summary B x D."""

    values: Tensor
    keys: Tensor | None
    mask: Tensor
    neg: Tensor
    fixed: Tensor | None
    summary: Tensor

    def select(self, index: Tensor) -> FastMemory:
        return FastMemory(*(None if t is None else t.index_select(0, index) for t in self))


def tanh(x: Tensor) -> Tensor:
    """tanh x = 2 sigmoid(2x) - 1: on the CPU, torch's sigmoid is ~9x faster than its tanh
    on large tensors; small ones keep the single call."""
    if x.numel() < 8192:
        return torch.tanh(x)
    return torch.sigmoid(x * 2).mul_(2).sub_(1)


def gru_update(gi: Tensor, gh: Tensor, h: Tensor) -> Tensor:
    """nn.GRUCell from precomputed gate inputs.  B x 3H, B x 3H, B x H -> B x H

    r, z = sigmoid(gi_rz + gh_rz);  n = tanh(gi_n + r * gh_n);  h' = (1 - z) n + z h
    """
    size = h.size(1)
    r, z = torch.sigmoid(gi[:, : 2 * size] + gh[:, : 2 * size]).chunk(2, dim=1)
    n = tanh(torch.addcmul(gi[:, 2 * size :], r, gh[:, 2 * size :]))
    return torch.lerp(n, h, z)


_ONEDNN = torch.backends.mkldnn.is_available() and hasattr(torch.ops.mkldnn, "_linear_pointwise")
PACK_ROWS = 320  # the row count oneDNN tunes its packed weight layout for


class Linear:
    """y = x W^T (+ b) with the weight laid out once for the device's fastest kernel.

    On the CPU, oneDNN with a prepacked weight runs the products of a decoder step
    2-3x faster than the default BLAS call once there are a few rows (it uses the
    CPU's widest vector units whatever the vendor); one row of a small matrix
    still goes to BLAS, where the call itself is cheaper.  Results agree to float
    rounding.  Elsewhere (CUDA) it is ``addmm``.
    """

    def __init__(self, weight: Tensor, bias: Tensor | None = None) -> None:
        weight = weight.detach().float()
        self.wt = weight.t().contiguous()  # I x O
        self.bias = None if bias is None else bias.detach().float()
        self.packed = None
        if weight.device.type == "cpu" and _ONEDNN:
            self.packed = torch.ops.mkldnn._reorder_linear_weight(weight, PACK_ROWS)
        self.small = weight.numel() < 1 << 20  # one row: BLAS is faster here

    def __call__(self, x: Tensor) -> Tensor:
        """B x I -> B x O"""
        if self.packed is not None and not (self.small and x.size(0) == 1):
            return torch.ops.mkldnn._linear_pointwise(x, self.packed, self.bias, "none", [], "")
        out = x @ self.wt
        return out if self.bias is None else out + self.bias


class FastDecoder:
    """Derived, read-only tensors of one model (see the module docstring)."""

    def __init__(self, model: Seq2Seq) -> None:
        if model.training:
            raise ValueError("the fast path is for inference: call model.eval() first")
        self.model, self.cfg = model, model.cfg
        self.device = next(model.parameters()).device
        dec, cfg = model.decoder, model.cfg
        e, h = cfg.emb_dim, cfg.dec_hidden
        with torch.no_grad():
            emb = model.tgt_embedding.weight.float()  # V x E
            w_ih = dec.cell.weight_ih.float()  # 3H x (E + rest)
            self.gate_table = emb @ w_ih[:, :e].t() + dec.cell.bias_ih.float()  # V x 3H
            self.hh = Linear(dec.cell.weight_hh, dec.cell.bias_hh)  # H -> 3H
            self.out = Linear(model.out_proj.weight, model.out_proj.bias)  # R -> V
            self.hidden = h
            self.kind = cfg.attention
            self.additive = cfg.score in ("additive", "concat")
            getattr(self, f"_build_{cfg.attention}")(dec, w_ih[:, e:], e, h)

    # -- derived weights per decoder kind ------------------------------------------
    def _build_readout(self, dec, e: int, h: int) -> None:
        lw = dec.readout.weight.float()  # R x (H + E + D)
        emb = self.model.tgt_embedding.weight.float()
        self.readout_table = emb @ lw[:, h : h + e].t() + dec.readout.bias.float()  # V x R
        self.ro_s = Linear(lw[:, :h])  # H -> R
        self.w_ro_c = lw[:, h + e :]  # R x D

    def _build_none(self, dec, w_ic: Tensor, e: int, h: int) -> None:
        self._build_readout(dec, e, h)
        self.fixed = Linear(torch.cat([w_ic, self.w_ro_c]))  # D -> 3H + R

    def _build_bahdanau(self, dec, w_ic: Tensor, e: int, h: int) -> None:
        self._build_readout(dec, e, h)
        att = dec.attention
        # s_{t-1} feeds the attention query and the GRU's hidden gates: one matmul.
        b_hh = dec.cell.bias_hh.float()
        w_s = torch.cat([2 * att.query_proj.weight.float(), dec.cell.weight_hh.float()])
        self.from_s = Linear(w_s, torch.cat([b_hh.new_zeros(att.query_proj.out_features), b_hh]))
        self.attn_dim = att.query_proj.out_features
        self.v2 = 2 * att.v.float()
        # c_t feeds the GRU input and the readout: one matmul.
        self.from_c = Linear(torch.cat([w_ic, self.w_ro_c]))  # D -> 3H + R

    def _build_luong(self, dec, w_if: Tensor, e: int, h: int) -> None:
        att = dec.attention
        self.score = att.score
        self.feed = Linear(w_if)  # H -> 3H
        comb = dec.combine.weight.float()  # H x (D + H)
        d = comb.size(1) - h
        self.comb_c = Linear(comb[:, :d])  # D -> H
        if att.score == "concat":
            self.from_h = Linear(torch.cat([comb[:, d:], 2 * att.query_proj.weight.float()]))
            self.v2 = 2 * att.v.float()  # from_h: H -> H + 2A
        else:
            self.from_h = Linear(comb[:, d:])  # H -> H

    # -- the Seq2Seq interface -------------------------------------------------------
    def encode(self, src: Tensor, lengths: Tensor) -> FastMemory:
        memory = self.model.encode(src, lengths)
        values = memory.values.float()
        keys = None if memory.keys is None else memory.keys.float()
        if self.additive:
            keys = keys * 2  # see _attend_additive
        neg = torch.zeros(memory.mask.shape, device=src.device)
        neg.masked_fill_(~memory.mask, float("-inf"))
        fixed = None
        if self.kind == "none":
            fixed = self.fixed(memory.summary.float())  # B x (3H + R)
        return FastMemory(values, keys, memory.mask, neg, fixed, memory.summary.float())

    def init_state(self, memory: FastMemory) -> State:
        return tuple(s.float() for s in self.model.init_state(memory))

    def step(self, memory: FastMemory, state: State, prev: Tensor):
        """B previous ids -> (log-probs B x V, new state, alphas B x S or None)"""
        out, state, alphas = getattr(self, f"_step_{self.kind}")(memory, state, prev)
        logits = self.out(out)
        return torch.log_softmax(logits, dim=-1), state, alphas

    def _attend_additive(self, memory: FastMemory, query: Tensor):
        """B x A projected query -> (context B x D, alphas B x S)"""
        # v . tanh(q + k_j) = v2 . sigmoid(2q + 2k_j) - sum(v): keys and query come in
        # doubled, and the constant shift leaves the softmax unchanged.
        scores = torch.sigmoid_(memory.keys + query.unsqueeze(1)) @ self.v2 + memory.neg
        alphas = scores.softmax(dim=-1)
        return torch.bmm(alphas.unsqueeze(1), memory.values).squeeze(1), alphas

    def _attend_dot(self, memory: FastMemory, query: Tensor):
        scores = torch.bmm(memory.keys, query.unsqueeze(2)).squeeze(2) + memory.neg
        alphas = scores.softmax(dim=-1)
        return torch.bmm(alphas.unsqueeze(1), memory.values).squeeze(1), alphas

    def _step_none(self, memory: FastMemory, state: State, prev: Tensor):
        g = 3 * self.hidden
        s_prev = state[0]
        gi = self.gate_table.index_select(0, prev) + memory.fixed[:, :g]
        s = gru_update(gi, self.hh(s_prev), s_prev)
        ro = self.readout_table.index_select(0, prev) + memory.fixed[:, g:]
        return tanh(ro + self.ro_s(s)), (s,), None

    def _step_bahdanau(self, memory: FastMemory, state: State, prev: Tensor):
        g, a = 3 * self.hidden, self.attn_dim
        s_prev = state[0]
        both = self.from_s(s_prev)  # B x (A + 3H)
        c, alphas = self._attend_additive(memory, both[:, :a])
        from_c = self.from_c(c)  # B x (3H + R)
        gi = self.gate_table.index_select(0, prev) + from_c[:, :g]
        s = gru_update(gi, both[:, a:], s_prev)
        ro = self.readout_table.index_select(0, prev) + from_c[:, g:]
        return tanh(ro + self.ro_s(s)), (s,), alphas

    def _step_luong(self, memory: FastMemory, state: State, prev: Tensor):
        h_prev, feed = state
        gi = self.gate_table.index_select(0, prev) + self.feed(feed)
        h = gru_update(gi, self.hh(h_prev), h_prev)
        from_h = self.from_h(h)  # B x H (+ A for concat)
        if self.score == "concat":
            size = self.hidden
            c, alphas = self._attend_additive(memory, from_h[:, size:])
            from_h = from_h[:, :size]
        else:
            c, alphas = self._attend_dot(memory, h)
        att_h = tanh(from_h + self.comb_c(c))
        return att_h, (h, att_h), alphas
