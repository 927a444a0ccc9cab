"""Greedy decoding of many sentences with static shapes: the GPU path.

``search.greedy`` drops finished sentences from the batch, which is what a CPU wants
(less work per step).  On a GPU the work per step is nearly free and the launches
cost: here every batch keeps its shape for all T steps, each step writes its ids,
log-probs, candidates, alphas and raw scores into preallocated device buffers, and the buffers
come back to the host once per batch.  With fixed shapes the T-step loop can be
captured as one CUDA graph and replayed for every batch of the same shape.

Sources are sorted by length and cut into batches of ``batch_size``; the source
width of a batch is rounded up to a multiple of ``WIDTH_STEP`` and the last batch is
padded with copies of a source, so a few shapes serve a whole test set.

Outputs equal ``search.greedy`` (the tests compare them on the CPU); only the place
where a sentence stops is found afterwards, at its first end token.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

from .fast import FastDecoder
from .search import Hyp, SearchResult, _Flat, _path_hyp

WIDTH_STEP = 8


def _batches(sources: list[list[int]], batch_size: int) -> list[list[int]]:
    """Indices of the sources, longest first, cut into batches."""
    order = sorted(range(len(sources)), key=lambda i: -len(sources[i]))
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def _pad(sources: list[list[int]], rows: int, pad: int, device) -> tuple[Tensor, Tensor]:
    """B sources -> (rows x W ids, rows lengths); extra rows repeat the first source."""
    width = -(-max(len(s) for s in sources) // WIDTH_STEP) * WIDTH_STEP
    filled = sources + [sources[0]] * (rows - len(sources))
    ids = np.full((rows, width), pad, dtype=np.int64)
    for i, s in enumerate(filled):
        ids[i, : len(s)] = s
    lengths = torch.tensor([len(s) for s in filled])
    pin = device.type == "cuda"
    src = torch.from_numpy(ids)
    if pin:
        src, lengths = src.pin_memory(), lengths.pin_memory()
    return src.to(device, non_blocking=pin), lengths.to(device, non_blocking=pin)


class _Buffers:
    """Device buffers for T steps of B rows (written in place by the loop)."""

    def __init__(self, steps: int, rows: int, width: int, topk: int, alphas: bool, device):
        self.tok = torch.zeros(steps, rows, dtype=torch.long, device=device)
        self.lp = torch.zeros(steps, rows, device=device)
        self.cand_ids = torch.zeros(steps, rows, topk, dtype=torch.long, device=device)
        self.cand_lp = torch.zeros(steps, rows, topk, device=device)
        self.alphas = torch.zeros(steps, rows, width, device=device) if alphas else None
        self.scores = torch.zeros(steps, rows, width, device=device) if alphas else None

    def host(self) -> _Flat:
        """One copy back per buffer, after the whole batch, as the searches' flat
        records: step t's rows start at t x B."""
        steps, rows = self.tok.shape
        names = {
            "tok": "tok",
            "lp": "lp",
            "cand_ids": "ci",
            "cand_lp": "cp",
            "alphas": "alphas",
            "scores": "scores",
        }
        data = {
            key: getattr(self, name).flatten(0, 1).cpu().numpy()
            for name, key in names.items()
            if getattr(self, name) is not None
        }
        return _Flat(data, np.arange(steps + 1) * rows)


def _decode(decoder: FastDecoder, src: Tensor, lengths: Tensor, buf: _Buffers, topk: int):
    """The fixed-shape loop: every row runs all T steps (a graph can hold it)."""
    memory = decoder.encode(src, lengths, static=True)
    state = decoder.init_state(memory)
    prev = torch.full((src.size(0),), decoder.cfg.bos_id, dtype=torch.long, device=src.device)
    for t in range(buf.tok.size(0)):
        logp, state, alphas, scores = decoder.decode_step(memory, state, prev)
        cand_lp, cand_ids = logp.topk(topk, dim=-1)
        prev = cand_ids[:, 0]
        buf.tok[t].copy_(prev)
        buf.lp[t].copy_(cand_lp[:, 0])
        buf.cand_ids[t].copy_(cand_ids)
        buf.cand_lp[t].copy_(cand_lp)
        if buf.alphas is not None:
            buf.alphas[t].copy_(alphas)
            buf.scores[t].copy_(scores)


class _Graphs:
    """One captured T-step loop per (rows, width, steps) shape, replayed per batch."""

    def __init__(self, decoder: FastDecoder, topk: int) -> None:
        self.decoder, self.topk = decoder, topk
        self.graphs: dict[tuple, tuple] = {}

    def run(self, src: Tensor, lengths: Tensor, steps: int) -> _Buffers:
        key = (*src.shape, steps)
        if key not in self.graphs:
            self.graphs[key] = self._capture(src, lengths, steps)
        graph, static_src, static_len, buf = self.graphs[key]
        static_src.copy_(src)
        static_len.copy_(lengths)
        graph.replay()
        return buf

    def _capture(self, src: Tensor, lengths: Tensor, steps: int):
        static_src, static_len = src.clone(), lengths.clone()
        alphas = self.decoder.kind != "none"
        buf = _Buffers(steps, src.size(0), src.size(1), self.topk, alphas, src.device)
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):  # warm-up outside the graph (allocator, kernels)
            _decode(self.decoder, static_src, static_len, buf, self.topk)
        torch.cuda.current_stream().wait_stream(side)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            _decode(self.decoder, static_src, static_len, buf, self.topk)
        return graph, static_src, static_len, buf


@torch.inference_mode()
def greedy_static(
    decoder: FastDecoder,
    sources: list[list[int]],
    max_lens: list[int],
    topk: int = 5,
    batch_size: int = 4096,
    graphs: bool | None = None,
) -> list[SearchResult]:
    """Greedy decoding of all ``sources`` (ids ending with the end token): one output
    of at most ``max_lens[i]`` pieces each; every batch runs max(max_lens) steps.
    ``graphs``: capture CUDA graphs (default: on CUDA).

    The fast decoder's encoder steps through fixed shapes (no packed sequences) and,
    with ``static=True``, never asks the device a question, so the loop can be
    captured."""
    if not sources:
        return []
    device = decoder.device
    graphs = device.type == "cuda" if graphs is None else graphs
    if graphs and device.type != "cuda":
        raise ValueError("CUDA graphs need a CUDA device")
    runner = _Graphs(decoder, topk) if graphs else None
    steps = max(max_lens)
    results: list[SearchResult | None] = [None] * len(sources)
    for index in _batches(sources, batch_size):
        rows = batch_size if graphs else len(index)  # graphs: one row count for all
        src, lengths = _pad([sources[i] for i in index], rows, decoder.cfg.pad_id, device)
        if runner is not None:
            buf = runner.run(src, lengths, steps)
        else:
            buf = _Buffers(steps, rows, src.size(1), topk, decoder.kind != "none", device)
            _decode(decoder, src, lengths, buf, topk)
        out = buf.host()
        for row, i in enumerate(index):
            hyp = _hyp(out, row, len(sources[i]), max_lens[i], decoder.cfg.eos_id)
            results[i] = SearchResult([hyp])
    return results


def _hyp(out: _Flat, row: int, width: int, limit: int, eos_id: int) -> Hyp:
    """Row ``row`` of a batch's records, cut after its first end token or its limit."""
    idx = out.start[:limit] + row
    ends = np.flatnonzero(out.data["tok"][idx] == eos_id)
    return _path_hyp(out, idx[: int(ends[0]) + 1] if ends.size else idx, width, eos_id)
