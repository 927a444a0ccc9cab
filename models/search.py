"""The decoding engine: ids in, ids + attention + candidates out (numpy, no tensors).

Three searches decode through one interface, ``interface.StepDecoder`` (``encode``,
``init_state``, ``decode_step``; the plain ``Seq2Seq`` and the fast path both meet it):
- ``greedy``: argmax at every step, batched; finished sentences leave the batch.
- ``beam_search``: batched beam with a length penalty; every hypothesis keeps its
  attention history and candidates (recovered through back-pointers), and every
  step's beam is recorded as nodes (token, parent, cumulative score) for a tree.
- ``forced``: teacher-forced scoring of a given target.
``prefixes`` force the first pieces of the output, after which the search is free;
``options`` (``interface.AttentionOptions``) sharpen or flatten the softmax, or fix
the weights of one step.  Every step's alphas and raw scores e are kept.
Nothing here writes to the model: all per-sentence data lives in local tensors.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import torch
from torch import Tensor

from .interface import StepDecoder
from .options import AttentionOptions

NEG_INF = float("-inf")


@dataclass
class Hyp:
    """One output: T pieces (end token included when ``finished``)."""

    ids: np.ndarray  # T
    score: float  # sum of log-probabilities
    norm_score: float  # score / length penalty (what beam search ranks by)
    alphas: np.ndarray | None  # T x S, None without attention
    token_logprobs: np.ndarray  # T
    cand_ids: np.ndarray  # T x k, the k most probable next pieces at each step
    cand_probs: np.ndarray  # T x k
    finished: bool = True
    node: tuple[int, int] | None = None  # (step, index) of its last beam node
    scores: np.ndarray | None = None  # T x S raw scores e (-inf on padding), None without


@dataclass
class BeamNode:
    token: int
    parent: int  # index of the parent node in the previous step's alive list (-1 at step 0)
    score: float  # cumulative log-probability
    finished: bool  # ended with the end token (or at the length limit)
    slot: int | None  # position among the step's alive hypotheses; None when finished


@dataclass
class SearchResult:
    hyps: list[Hyp]
    beam_steps: list[list[BeamNode]] = field(default_factory=list)


def length_penalty(length: int, alpha: float) -> float:
    """GNMT length penalty ((5 + |Y|) / 6) ** alpha."""
    return ((5.0 + length) / 6.0) ** alpha


def pad_ids(seqs: list[list[int]], pad: int, device: torch.device) -> tuple[Tensor, Tensor]:
    """Lists of ids -> (B x L ids, B lengths)."""
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.long)
    out = torch.full((len(seqs), int(lengths.max())), pad, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = torch.tensor(s, dtype=torch.long)
    return out.to(device), lengths.to(device)


def _prefix_tensor(prefixes, batch: int, device) -> Tensor | None:
    """B x P forced ids, -1 where a sentence's prefix has ended."""
    if not prefixes or not any(prefixes):
        return None
    width = max(len(p) for p in prefixes)
    out = torch.full((batch, width), -1, dtype=torch.long)
    for i, p in enumerate(prefixes):
        if p:
            out[i, : len(p)] = torch.tensor(p, dtype=torch.long)
    return out.to(device)


def _force(logp: Tensor, forced: Tensor) -> Tensor:
    """Rows with forced >= 0 keep only that token's log-prob.  R x V, R -> R x V"""
    rows = forced >= 0
    if not bool(rows.any()):
        return logp
    kept = logp.gather(1, forced.clamp(min=0).unsqueeze(1))
    masked = torch.full_like(logp, NEG_INF).scatter(1, forced.clamp(min=0).unsqueeze(1), kept)
    return torch.where(rows.unsqueeze(1), masked, logp)


@dataclass
class _Flat:
    """Per-step records as flat arrays: step t's rows are ``start[t]`` onwards."""

    data: dict[str, np.ndarray]
    start: np.ndarray


class _Steps:
    """Per-step records on the device, moved to numpy once at the end."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Tensor]] = []

    def add(self, **tensors: Tensor | None) -> None:
        self.rows.append({k: v for k, v in tensors.items() if v is not None})

    def flat(self) -> _Flat:
        if not self.rows:
            return _Flat({}, np.zeros(1, dtype=np.int64))
        sizes = [len(next(iter(r.values()))) for r in self.rows]
        data = {k: torch.cat([r[k] for r in self.rows]).cpu().numpy() for k in self.rows[0]}
        return _Flat(data, np.cumsum([0, *sizes]))


@torch.inference_mode()
def greedy(
    model: StepDecoder,
    sources: list[list[int]],
    max_lens: list[int],
    topk: int = 5,
    prefixes: list[list[int]] | None = None,
    options: AttentionOptions = AttentionOptions(),
) -> list[SearchResult]:
    """Argmax decoding of a batch of sources (ids ending with the end token)."""
    cfg, device = model.cfg, model.device
    src, lengths = pad_ids(sources, cfg.pad_id, device)
    memory = model.encode(src, lengths)
    state = model.init_state(memory)
    batch = len(sources)
    forced = _prefix_tensor(prefixes, batch, device)
    active = torch.arange(batch, device=device)
    h_active = list(range(batch))  # the same sentences on the host
    prev = torch.full((batch,), cfg.bos_id, dtype=torch.long, device=device)
    steps = _Steps()
    for t in range(max(max_lens)):
        out = model.decode_step(memory, state, prev, options.control(t, src.size(1), device))
        logp, state = out.logp, out.state
        if forced is not None and t < forced.size(1):
            logp = _force(logp, forced[active, t])
        cand_lp, cand_ids = logp.topk(min(topk, logp.size(-1)), dim=-1)  # the first is argmax
        tok = cand_ids[:, 0]
        steps.add(
            sent=active,
            tok=tok,
            lp=cand_lp[:, 0],
            alphas=out.alphas,
            scores=out.scores,
            ci=cand_ids,
            cp=cand_lp,
        )
        keep = [
            i
            for i, (x, sent) in enumerate(zip(tok.tolist(), h_active))
            if x != cfg.eos_id and t + 1 < max_lens[sent]
        ]
        if len(keep) < len(h_active):  # some sentences are done
            if not keep:
                break
            h_active = [h_active[i] for i in keep]
            index = torch.tensor(keep, device=device)
            memory, active, tok = memory.select(index), active[index], tok[index]
            state = tuple(s.index_select(0, index) for s in state)
        prev = tok
    return _collect_greedy(steps.flat(), sources, cfg.eos_id)


def _path_hyp(flat: _Flat, idx: np.ndarray, width: int, eos_id: int, ids=None, lps=None) -> Hyp:
    """One hypothesis from the flat rows ``idx`` (one per step, in order); ``ids`` and
    ``lps`` default to the rows' chosen tokens and their log-probs.  Score = sum of
    the per-step log-probs."""
    d = flat.data
    ids = np.asarray(ids if ids is not None else d["tok"][idx], dtype=np.int64)
    lps = np.asarray(lps if lps is not None else d["lp"][idx], dtype=np.float32)
    return Hyp(
        ids=ids,
        score=float(lps.sum()),
        norm_score=float(lps.sum()),
        alphas=d["alphas"][idx, :width] if "alphas" in d else None,
        scores=d["scores"][idx, :width] if "scores" in d else None,
        token_logprobs=lps,
        cand_ids=d["ci"][idx],
        cand_probs=np.exp(d["cp"][idx]),
        finished=bool(ids[-1] == eos_id),
    )


def _collect_greedy(flat: _Flat, sources, eos_id: int) -> list[SearchResult]:
    """The rows of each sentence (step-major, so already in step order) -> its hypothesis."""
    sent = flat.data["sent"]
    order = np.argsort(sent, kind="stable")  # rows grouped by sentence, steps in order
    bounds = np.searchsorted(sent[order], np.arange(len(sources) + 1))
    return [
        SearchResult([_path_hyp(flat, order[bounds[i] : bounds[i + 1]], len(src), eos_id)])
        for i, src in enumerate(sources)
    ]


@torch.inference_mode()
def forced(
    model: StepDecoder,
    sources: list[list[int]],
    targets: list[list[int]],
    topk: int = 5,
    options: AttentionOptions = AttentionOptions(),
):
    """Score given targets (ids ending with the end token) with teacher forcing."""
    cfg, device = model.cfg, model.device
    src, lengths = pad_ids(sources, cfg.pad_id, device)
    tgt, _ = pad_ids(targets, cfg.pad_id, device)
    memory = model.encode(src, lengths)
    state = model.init_state(memory)
    prev = torch.full((len(sources),), cfg.bos_id, dtype=torch.long, device=device)
    steps = _Steps()
    for t in range(tgt.size(1)):
        out = model.decode_step(memory, state, prev, options.control(t, src.size(1), device))
        logp, state = out.logp, out.state
        prev = tgt[:, t]
        cand_lp, cand_ids = logp.topk(min(topk, logp.size(-1)), dim=-1)
        lp = logp.gather(1, prev.unsqueeze(1)).squeeze(1)
        steps.add(lp=lp, alphas=out.alphas, scores=out.scores, ci=cand_ids, cp=cand_lp)
    flat = steps.flat()  # every sentence has a row at every step
    return [
        SearchResult([_path_hyp(flat, flat.start[: len(target)] + i, len(src), cfg.eos_id, target)])
        for i, (src, target) in enumerate(zip(sources, targets))
    ]


@torch.inference_mode()
def beam_search(
    model: StepDecoder,
    sources: list[list[int]],
    max_lens: list[int],
    beam: int,
    alpha: float = 1.0,
    n_best: int | None = None,
    topk: int = 5,
    prefixes: list[list[int]] | None = None,
    options: AttentionOptions = AttentionOptions(),
) -> list[SearchResult]:
    """Batched beam search.

    Step t reads R_t input rows (one per sentence at t = 0, then ``beam`` per live
    sentence, sentence-major).  Of the 2K best continuations of a sentence, end tokens
    ranked inside the first K finish a hypothesis; the first K others live on.  A
    sentence is done when it reaches its length limit
    (its live hypotheses are then kept as unfinished), or once no live hypothesis can
    beat the K-th finished one.  Done sentences leave the batch.
    Attention rows, candidates and back-pointers are stored per step and walked back
    once at the end, so every hypothesis keeps its own attention history.
    The device does the wide work (the step, the top-k over the vocabulary and over
    each sentence's rows); the few numbers a step's decisions need come to the host
    once, and the decisions are made there, so a step costs a handful of device ops
    whatever the batch.
    """
    cfg, device = model.cfg, model.device
    K, batch, eos = beam, len(sources), cfg.eos_id
    n_best = min(n_best or K, K)
    src, lengths = pad_ids(sources, cfg.pad_id, device)
    memory = model.encode(src, lengths)
    state = model.init_state(memory)
    forced_ids = _prefix_tensor(prefixes, batch, device)

    active = list(range(batch))  # sentences still decoding
    width = 1  # input rows per active sentence
    prev = torch.full((batch,), cfg.bos_id, dtype=torch.long, device=device)
    cum = torch.zeros(batch, device=device)
    h_cum = [0.0] * batch  # the same scores on the host
    finished: list[list[tuple]] = [[] for _ in range(batch)]
    trees: list[list[list[BeamNode]]] = [[] for _ in range(batch)]
    steps = _Steps()  # per step: outputs of the input rows
    links: list[tuple[list[int], list[int], np.ndarray]] = []  # per step: parent, token, lp

    for t in range(max(max_lens)):
        out = model.decode_step(memory, state, prev, options.control(t, src.size(1), device))
        logp, state = out.logp, out.state  # R x V
        # A sentence's 2K best continuations are among its rows' own 2K best, so one
        # top-k per row serves the recorded candidates and the beam's choice.
        row_lp, row_ids = logp.topk(min(max(topk, 2 * K), logp.size(1)), dim=1)  # R x W
        steps.add(alphas=out.alphas, scores=out.scores, ci=row_ids[:, :topk], cp=row_lp[:, :topk])
        if forced_ids is not None and t < forced_ids.size(1):
            rows_sent = torch.tensor(active, device=device).repeat_interleave(width)
            logp = _force(logp, forced_ids[rows_sent, t])
            row_lp, row_ids = logp.topk(row_lp.size(1), dim=1)
        n_act, per_row = len(active), min(2 * K, row_lp.size(1))
        total = (cum.unsqueeze(1) + row_lp[:, :per_row]).view(n_act, width * per_row)
        top_scores, top_idx = total.topk(min(2 * K, width * per_row), dim=1)  # n_act x 2K

        # The step's decisions, on the host.
        h_scores, h_idx = top_scores.tolist(), top_idx.tolist()
        h_ids = row_ids[:, :per_row].tolist()
        penalty = length_penalty(t + 1, alpha)
        parents, new_tok, new_cum, kept = [], [], [], []
        for a, sent in enumerate(active):
            nodes: list[BeamNode] = []
            limit = int(max_lens[sent])
            slot, best_alive, at_limit, n_alive = 0, NEG_INF, t + 1 >= limit, 0
            chosen = []  # this sentence's K live continuations: (input row, token, score)
            for j, (score, idx) in enumerate(zip(h_scores[a], h_idx[a])):
                in_row = a * width + idx // per_row
                tok = h_ids[in_row][idx % per_row]
                is_end = tok == eos and j < K and score > NEG_INF
                if tok != eos:
                    n_alive += 1
                    if n_alive > K:
                        continue
                    chosen.append((in_row, tok, score))
                elif not is_end:
                    continue
                link = idx // per_row if t > 0 else -1
                if is_end or at_limit:
                    entry = (score / penalty, score, t, in_row, tok, score - h_cum[in_row])
                if is_end:
                    finished[sent].append((*entry, True))
                    nodes.append(BeamNode(tok, link, score, True, None))
                    continue
                best_alive = max(best_alive, score)
                if score > NEG_INF:
                    nodes.append(BeamNode(tok, link, score, at_limit, slot))
                    if at_limit:
                        finished[sent].append((*entry, False))
                slot += 1
            trees[sent].append(nodes)
            if not (at_limit or _beam_done(finished[sent], K, best_alive, alpha, limit)):
                kept.append(a)
                for in_row, tok, score in chosen:
                    parents.append(in_row)
                    new_tok.append(tok)
                    new_cum.append(score)
        if not kept:
            break
        # New rows: the K live continuations of every kept sentence, in rank order.
        with np.errstate(invalid="ignore"):  # -inf - -inf: a row no score can reach
            new_lp = np.float32(new_cum) - np.float32([h_cum[r] for r in parents])
        links.append((parents, new_tok, new_lp))
        if t == 0 or len(kept) < n_act:
            sentences = torch.tensor(kept, device=device) if len(kept) < n_act else None
            memory = memory.regroup(sentences, width, K)
        active = [active[a] for a in kept]
        parent_index = torch.tensor(parents, device=device)
        state = tuple(s.index_select(0, parent_index) for s in state)
        prev = torch.tensor(new_tok, device=device)
        cum, h_cum = torch.tensor(new_cum, device=device), new_cum
        width = K

    links_flat = _links_flat(links)
    return _collect_beam(steps.flat(), links_flat, finished, trees, sources, n_best, eos)


def _links_flat(links: list[tuple[list[int], list[int], np.ndarray]]) -> _Flat:
    if not links:
        return _Flat({}, np.zeros(1, dtype=np.int64))
    data = {
        "parent": np.concatenate([np.asarray(p, dtype=np.int64) for p, _, _ in links]),
        "tok": np.concatenate([np.asarray(t, dtype=np.int64) for _, t, _ in links]),
        "lp": np.concatenate([lp for _, _, lp in links]),
    }
    return _Flat(data, np.cumsum([0, *(len(p) for p, _, _ in links)]))


def _beam_done(finished: list[tuple], k: int, best_alive: float, alpha: float, limit: int):
    """Done when K hypotheses have finished and no live one can still beat the K-th.

    Log-probabilities only fall as a hypothesis grows, and the length penalty grows
    with length, so a live score s can at best reach s / lp(limit).
    """
    if len(finished) < k:
        return False
    kth = sorted((e[0] for e in finished), reverse=True)[k - 1]
    bound = best_alive / length_penalty(limit, alpha) if alpha > 0 else best_alive
    return kth >= bound


def _walk_back(links: _Flat, t: int, row: int, last_tok: int, last_lp: float):
    """Follow back-pointers from input row ``row`` of step ``t``.

    Returns the tokens, their log-probs and the (step, input row) that emitted each.
    """
    tok, lp, parent = links.data["tok"], links.data["lp"], links.data["parent"]
    start = links.start.tolist()
    toks, lps, rows_at = [last_tok], [last_lp], [(t, row)]
    for s in range(t - 1, -1, -1):
        at = start[s] + row
        toks.append(int(tok[at]))
        lps.append(float(lp[at]))
        row = int(parent[at])
        rows_at.append((s, row))
    return toks[::-1], lps[::-1], rows_at[::-1]


def _collect_beam(out: _Flat, links: _Flat, finished, trees, sources, n_best, eos_id: int):
    results = []
    for sent, entries in enumerate(finished):
        entries.sort(key=lambda e: (not e[6], -e[0]))  # finished first, then by score
        hyps = []
        # (an entry's "finished" flag is whether its last token is the end token)
        for norm, score, t, row, tok, last_lp, _ in entries[:n_best]:
            toks, lps, rows_at = _walk_back(links, t, row, tok, last_lp)
            idx = out.start[[s for s, _ in rows_at]] + [r for _, r in rows_at]
            path = _path_hyp(out, idx, len(sources[sent]), eos_id, ids=toks, lps=lps)
            node = _find_node(trees[sent], t, tok, score)
            # the beam's own running score (summed on the device) and its ranking score
            hyps.append(replace(path, score=float(score), norm_score=float(norm), node=node))
        results.append(SearchResult(hyps, trees[sent]))
    return results


def _find_node(tree, t: int, tok: int, score: float) -> tuple[int, int] | None:
    for index, node in enumerate(tree[t]):
        if node.token == tok and abs(node.score - score) < 1e-6:
            return t, index
    return None
