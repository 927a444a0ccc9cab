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

It meets ``interface.StepDecoder`` as ``Seq2Seq`` does (``cfg``, ``device``,
``encode``, ``init_state``, ``decode_step``) and gives the same outputs (alphas and
raw scores included) up to float rounding;
the tests compare the two paths search by search.  Shapes: B batch, S source,
n sentences and N = n g decoder rows in a step (g hypotheses per sentence),
V vocabulary, E embedding, H decoder hidden, D annotation width, A attention width,
R readout width.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor

from .encoder import source_mask
from .interface import AttentionControl, State, StepOut
from .seq2seq import Seq2Seq, reverse_valid


class FastMemory(NamedTuple):
    """Per-sentence constants, one row per sentence (n), read by ``group`` decoder rows
    each (the hypotheses of a beam: row r belongs to sentence r // group), so a beam
    never copies them per hypothesis.  values n x S x D; keys n x S x A (or None);
    mask n x S; neg n x S, 0 on real pieces and -inf on padding (None when nothing is
    padded); fixed n x (3H + R), the context's share of the GRU input and readout
    (no-attention model only); summary n x D; proj n x S x P, every annotation through
    the weights that read the context (not for very large batches: see
    ``FastDecoder.encode``)."""

    values: Tensor
    keys: Tensor | None
    mask: Tensor
    neg: Tensor | None
    fixed: Tensor | None
    summary: Tensor
    proj: Tensor | None
    group: int = 1

    def select(self, index: Tensor) -> FastMemory:
        """The sentences ``index`` (n'), each still read by ``group`` rows."""
        tensors = (None if t is None else t.index_select(0, index) for t in self[:-1])
        return FastMemory(*tensors, self.group)

    def regroup(self, sentences: Tensor | None, width: int, group: int) -> FastMemory:
        """The sentences ``sentences`` (all when None), each now read by ``group`` rows
        (``width``, the rows that read it until now, changes nothing here: one row per
        sentence is all this memory holds)."""
        kept = self if sentences is None else self.select(sentences)
        return kept._replace(group=group)


def tanh(x: Tensor) -> Tensor:
    """tanh x = 2 sigmoid(2x) - 1: on the CPU, torch's sigmoid is ~9x faster than its tanh
    on large tensors; small ones keep the single call."""
    if x.numel() < 8192:
        return torch.tanh(x)
    return torch.sigmoid(x * 2).mul_(2).sub_(1)


def gru_update(gi: Tensor, gh: Tensor, h: Tensor) -> Tensor:
    """A GRU cell from precomputed gate inputs.  ... x 3H, ... x 3H, ... x H -> ... x H

    r, z = sigmoid(gi_rz + gh_rz);  n = tanh(gi_n + r * gh_n);  h' = (1 - z) n + z h
    """
    size = h.size(-1)
    r, z = torch.sigmoid(gi[..., : 2 * size] + gh[..., : 2 * size]).chunk(2, dim=-1)
    n = tanh(torch.addcmul(gi[..., 2 * size :], r, gh[..., 2 * size :]))
    return torch.lerp(n, h, z)


class FastEncoder:
    """The GRU encoder with its input projection as a vocabulary table.

    The k directions (2, or 1 for a left-to-right encoder) step together (one batched
    matmul per time step); the backward direction reads each row's valid pieces
    reversed, and a finished row keeps its state, so outputs and final states match
    ``nn.GRU`` over packed sequences.
    """

    def __init__(self, encoder) -> None:
        rnn, emb = encoder.rnn, encoder.embedding.weight.float()
        suffixes = ("", "_reverse") if rnn.bidirectional else ("",)
        tables = [
            emb @ getattr(rnn, f"weight_ih_l0{sfx}").float().t()
            + getattr(rnn, f"bias_ih_l0{sfx}").float()
            for sfx in suffixes
        ]
        self.table = torch.stack(tables)  # k x V x 3H
        hh = [getattr(rnn, f"weight_hh_l0{sfx}").float().t() for sfx in suffixes]
        self.w_hh = torch.stack(hh).contiguous()  # k x H x 3H
        bh = [getattr(rnn, f"bias_hh_l0{sfx}").float() for sfx in suffixes]
        self.b_hh = torch.stack(bh).unsqueeze(1)  # k x 1 x 3H
        self.hh = [Linear(w.t(), b) for w, b in zip(hh, bh)]  # per direction, for many rows
        self.hidden = rnn.hidden_size
        self.directions = len(suffixes)

    def __call__(self, src: Tensor, lengths: Tensor, static: bool = False) -> tuple[Tensor, Tensor]:
        """B x S ids, B lengths -> (annotations B x S x kH, summary B x kH)

        ``static``: always apply the padding masks instead of asking the device
        whether anything is padded (no host sync: the loop can be graph-captured)."""
        batch, width = src.shape
        positions = torch.arange(width, device=src.device).unsqueeze(0)  # 1 x S
        valid = positions < lengths.unsqueeze(1)  # B x S
        flip = torch.where(valid, lengths.unsqueeze(1) - 1 - positions, positions)
        ids = [src.t().reshape(-1)]  # S B, left to right
        if self.directions == 2:
            ids.append(src.gather(1, flip).t().reshape(-1))  # each row's pieces reversed
        gi = torch.stack([self.table[k].index_select(0, ids[k]) for k in range(self.directions)])
        gi = gi.view(self.directions, width, batch, -1)  # k x S x B x 3H
        padded = static or not bool(valid.all())
        keep = valid.t().unsqueeze(0).unsqueeze(-1)  # 1 x S x B x 1
        run = self._few_rows if batch < 4 else self._many_rows
        outs, h = run(gi, keep if padded else None)
        out = torch.stack(outs, 2)  # k x B x S x H
        parts = [out[0]]
        if self.directions == 2:
            parts.append(out[1].gather(1, flip.unsqueeze(-1).expand(-1, -1, self.hidden)))
        values = torch.cat(parts, dim=-1)  # B x S x kH
        if padded:
            values = values * valid.unsqueeze(-1)
        return values, torch.cat(list(h), dim=-1)

    def _few_rows(self, gi: Tensor, keep: Tensor | None):
        """The recurrence for a few rows: one batched BLAS call a step, whose addend
        already holds the r, z input gates and the hidden bias, so it returns
        [gi_rz + gh_rz, gh_n] at once.  gi k x S x B x 3H -> (S states k x B x H, last)"""
        g2 = 2 * self.hidden
        addend = gi + self.b_hh.unsqueeze(1)  # k x S x B x 3H
        addend[..., g2:] = self.b_hh[..., g2:].unsqueeze(1)
        gi_n = gi[..., g2:]
        h = gi.new_zeros((self.directions, gi.size(2), self.hidden))
        outs = []
        for t in range(gi.size(1)):
            gates = torch.baddbmm(addend[:, t], h, self.w_hh)  # k x B x 3H
            r, z = torch.sigmoid(gates[..., :g2]).chunk(2, dim=-1)
            new = torch.lerp(tanh(torch.addcmul(gi_n[:, t], r, gates[..., g2:])), h, z)
            h = new if keep is None else torch.where(keep[:, t], new, h)
            outs.append(h)
        return outs, h

    def _many_rows(self, gi: Tensor, keep: Tensor | None):
        """The recurrence for many rows, each direction's hidden gates through oneDNN."""
        h = gi.new_zeros((self.directions, gi.size(2), self.hidden))
        outs = []
        for t in range(gi.size(1)):
            gh = torch.stack([hh(h[k]) for k, hh in enumerate(self.hh)])
            new = gru_update(gi[:, t], gh, h)
            h = new if keep is None else torch.where(keep[:, t], new, h)
            outs.append(h)
        return outs, h


_ONEDNN = torch.backends.mkldnn.is_available() and hasattr(torch.ops.mkldnn, "_linear_pointwise")
PACK_ROWS = 320  # the row count oneDNN tunes its packed weight layout for
PROJECT_SENTENCES = 64  # up to this many sentences, encode precomputes W h_j (FastMemory.proj)


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

    def _onednn(self, x: Tensor) -> bool:
        return self.packed is not None and not (self.small and x.size(0) == 1)

    def __call__(self, x: Tensor) -> Tensor:
        """B x I -> B x O"""
        if self._onednn(x):
            return torch.ops.mkldnn._linear_pointwise(x, self.packed, self.bias, "none", [], "")
        out = x @ self.wt
        return out if self.bias is None else out + self.bias

    def add_to(self, base: Tensor, x: Tensor) -> Tensor:
        """base + x W^T (+ b) in one call where the kernel allows.  B x O, B x I -> B x O"""
        if self._onednn(x):
            return base + self(x)
        out = torch.addmm(base, x, self.wt)
        return out if self.bias is None else out + self.bias


class FastDecoder:
    """Derived, read-only tensors of one model (see the module docstring)."""

    def __init__(self, model: Seq2Seq) -> None:
        if model.training:
            raise ValueError("the fast path is for inference: call model.eval() first")
        self.model, self.cfg = model, model.cfg
        self.device = model.device
        dec, cfg = model.decoder, model.cfg
        e, h = cfg.emb_dim, cfg.dec_hidden
        with torch.no_grad():
            emb = model.tgt_embedding.weight.float()  # V x E
            w_ih = dec.cell.weight_ih.float()  # 3H x (E + rest)
            gate_table = emb @ w_ih[:, :e].t() + dec.cell.bias_ih.float()  # V x 3H
            self.out = Linear(model.out_proj.weight, model.out_proj.bias)  # R -> V
            self.hidden = h
            self.kind = cfg.attention
            self.additive = cfg.score in ("additive", "concat")
            self.v_sum = 0.0  # sum(v): the shift of the additive scores (_additive_scores)
            self.table = gate_table  # V x 3H; with a readout V x (3H + R)
            getattr(self, f"_build_{cfg.attention}")(dec, w_ih[:, e:], e, h)
            self.encoder = FastEncoder(model.encoder)
            self.bridge = Linear(dec.bridge.weight, dec.bridge.bias)
            self.keys = self._key_projection(getattr(dec, "attention", None))

    # -- derived weights per decoder kind ------------------------------------------
    def _build_readout(self, dec, e: int, h: int) -> None:
        lw = dec.readout.weight.float()  # R x (H + E + D)
        emb = self.model.tgt_embedding.weight.float()
        readout_table = emb @ lw[:, h : h + e].t() + dec.readout.bias.float()  # V x R
        self.table = torch.cat([self.table, readout_table], dim=1)  # V x (3H + R)
        self.ro_s = Linear(lw[:, :h])  # H -> R
        self.w_ro_c = lw[:, h + e :]  # R x D

    def _build_none(self, dec, w_ic: Tensor, e: int, h: int) -> None:
        self._build_readout(dec, e, h)
        self.hh = Linear(dec.cell.weight_hh, dec.cell.bias_hh)  # H -> 3H
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
        self.v_sum = float(att.v.float().sum())
        # c_t feeds the GRU input and the readout: one matmul.
        self.from_c = Linear(torch.cat([w_ic, self.w_ro_c]))  # D -> 3H + R

    def _build_luong(self, dec, w_if: Tensor, e: int, h: int) -> None:
        att = dec.attention
        self.score = att.score
        self.feed = Linear(w_if)  # H -> 3H
        self.hh = Linear(dec.cell.weight_hh, dec.cell.bias_hh)  # H -> 3H
        comb = dec.combine.weight.float()  # H x (D + H)
        d = comb.size(1) - h
        self.from_c = Linear(comb[:, :d])  # D -> H
        if att.score == "concat":
            self.from_h = Linear(torch.cat([comb[:, d:], 2 * att.query_proj.weight.float()]))
            self.v2 = 2 * att.v.float()  # from_h: H -> H + 2A
            self.v_sum = float(att.v.float().sum())
        else:
            self.from_h = Linear(comb[:, d:])  # H -> H

    @staticmethod
    def _key_projection(att) -> Linear | None:
        """U h_j (additive, concat; doubled, see _additive_alphas) or W_a h_j (general)."""
        if att is None or att.score == "dot":
            return None
        scale = 2.0 if att.score in ("additive", "concat") else 1.0
        bias = None if att.key_proj.bias is None else scale * att.key_proj.bias.float()
        return Linear(scale * att.key_proj.weight.float(), bias)

    # -- the Seq2Seq interface -------------------------------------------------------
    def encode(self, src: Tensor, lengths: Tensor, static: bool = False) -> FastMemory:
        """B x S ids (end token included, pad after), B lengths -> FastMemory

        ``static``: no host sync (see ``FastEncoder``), for graph-captured loops."""
        if self.cfg.reverse_source:
            src = reverse_valid(src, lengths)
        values, summary = self.encoder(src, lengths, static)
        batch, width = src.shape
        mask = source_mask(lengths, width, self.cfg.attend_end, src.device)
        neg = None
        if static or not bool(mask.all()):
            neg = torch.zeros(mask.shape, device=src.device).masked_fill_(~mask, float("-inf"))
        flat = values.reshape(batch * width, -1)
        keys = fixed = proj = None
        if self.keys is not None:
            keys = self.keys(flat).view(batch, width, -1)
        elif self.kind == "luong":  # dot: the annotations themselves
            keys = values
        if self.kind == "none":
            fixed = self.fixed(summary)  # B x (3H + R)
        elif batch <= PROJECT_SENTENCES:
            # W c_t = sum_j alpha_tj (W h_j): a row then costs S x P products instead
            # of D x P, and the K hypotheses of a beam share their sentence's S x P.
            # (For thousands of sentences at once, the fixed-shape path, the table of
            # S x P numbers per sentence costs more memory than it saves.)
            proj = self.from_c(flat).view(batch, width, -1)
        return FastMemory(values, keys, mask, neg, fixed, summary, proj)

    def init_state(self, memory: FastMemory) -> State:
        h0 = tanh(self.bridge(memory.summary))
        return (h0, torch.zeros_like(h0)) if self.kind == "luong" else (h0,)

    def decode_step(
        self,
        memory: FastMemory,
        state: State,
        prev: Tensor,
        control: AttentionControl | None = None,
    ) -> StepOut:
        """N previous ids (``memory.group`` rows per sentence) -> StepOut (log-probs
        N x V, new state, alphas and raw scores N x S or None)"""
        step = getattr(self, f"_step_{self.kind}")
        out, state, alphas, scores = step(memory, state, prev, control)
        return StepOut(torch.log_softmax(self.out(out), dim=-1), state, alphas, scores)

    def step(self, memory: FastMemory, state: State, prev: Tensor):
        """N previous ids -> (log-probs N x V, new state, alphas N x S or None)"""
        return self.decode_step(memory, state, prev)[:3]

    @staticmethod
    def _grouped(memory: FastMemory, rows: Tensor) -> Tensor:
        """N x F decoder rows -> n x g x F, the rows of each sentence together."""
        return rows.view(memory.values.size(0), memory.group, rows.size(-1))

    def _softmax(self, memory: FastMemory, scores: Tensor, control, shift: float = 0.0):
        """n x g x S scores (the raw ones + ``shift``) -> (alphas N x S, raw scores N x S),
        padding masked."""
        if memory.neg is not None:
            scores = scores + memory.neg.unsqueeze(1)
        flat = scores.view(-1, scores.size(-1))
        alphas = flat.softmax(dim=-1) if control is None else control.weights(flat)
        return alphas, flat - shift if shift else flat

    def _additive_alphas(self, memory: FastMemory, query: Tensor, control):
        """N x A projected query -> (alphas, raw scores) N x S.

        v . tanh(q + k_j) = v2 . sigmoid(2q + 2k_j) - sum(v): keys and query come in
        doubled, and the constant shift leaves the softmax (and e / tau) unchanged.
        """
        query = self._grouped(memory, query).unsqueeze(2)  # n x g x 1 x A
        scores = torch.sigmoid_(memory.keys.unsqueeze(1) + query) @ self.v2  # n x g x S
        return self._softmax(memory, scores, control, self.v_sum)

    def _dot_alphas(self, memory: FastMemory, query: Tensor, control):
        """N x D query -> (alphas, raw scores) N x S (keys n x S x D)."""
        scores = torch.bmm(self._grouped(memory, query), memory.keys.transpose(1, 2))
        return self._softmax(memory, scores, control)

    def _add_context(self, base: Tensor, memory: FastMemory, alphas: Tensor) -> Tensor:
        """base + W c_t, with c_t = sum_j alpha_tj h_j.  N x P, N x S -> N x P"""
        weights = self._grouped(memory, alphas)  # n x g x S
        if memory.proj is not None:
            out = torch.baddbmm(self._grouped(memory, base), weights, memory.proj)
            return out.view(base.shape)
        context = torch.bmm(weights, memory.values).view(base.size(0), -1)  # N x D
        return self.from_c.add_to(base, context)

    def _step_none(self, memory: FastMemory, state: State, prev: Tensor, control=None):
        g = 3 * self.hidden
        s_prev = state[0]
        rows = self.table.index_select(0, prev)  # N x (3H + R)
        pre = (self._grouped(memory, rows) + memory.fixed.unsqueeze(1)).view(rows.shape)
        s = gru_update(pre[:, :g], self.hh(s_prev), s_prev)
        return tanh(self.ro_s.add_to(pre[:, g:], s)), (s,), None, None

    def _step_bahdanau(self, memory: FastMemory, state: State, prev: Tensor, control=None):
        g, a = 3 * self.hidden, self.attn_dim
        s_prev = state[0]
        both = self.from_s(s_prev)  # N x (A + 3H)
        alphas, scores = self._additive_alphas(memory, both[:, :a], control)
        pre = self._add_context(self.table.index_select(0, prev), memory, alphas)
        s = gru_update(pre[:, :g], both[:, a:], s_prev)
        return tanh(self.ro_s.add_to(pre[:, g:], s)), (s,), alphas, scores

    def _step_luong(self, memory: FastMemory, state: State, prev: Tensor, control=None):
        h_prev, feed = state
        gi = self.feed.add_to(self.table.index_select(0, prev), feed)
        h = gru_update(gi, self.hh(h_prev), h_prev)
        from_h = self.from_h(h)  # N x H (+ A for concat)
        if self.score == "concat":
            alphas, scores = self._additive_alphas(memory, from_h[:, self.hidden :], control)
            from_h = from_h[:, : self.hidden]
        else:
            alphas, scores = self._dot_alphas(memory, h, control)
        att_h = tanh(self._add_context(from_h, memory, alphas))
        return att_h, (h, att_h), alphas, scores
