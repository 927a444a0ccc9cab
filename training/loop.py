"""Training loop: length-bucketed batches, Adam, gradient clipping, dev-loss early
stopping with learning-rate halving, and a resumable state (safetensors + JSON).

``train`` works on id pairs; ``training.train`` is the command around it.
"""

from __future__ import annotations

import contextlib
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from tqdm import tqdm

from models.checkpoint import unique_state
from models.search import pad_ids
from models.seq2seq import Seq2Seq

from .state import load_best, load_state, save_best, save_state

Pair = tuple[list[int], list[int]]  # source ids, target ids (both ending with the end token)
EARLY_STOP = "early stopping on dev loss"


@dataclass
class TrainSettings:
    steps: int = 1000  # most optimiser steps
    minutes: float = 0.0  # wall-clock budget (0: none)
    batch_size: int = 64
    lr: float = 1e-3
    min_lr: float = 1e-5
    clip: float = 1.0
    label_smoothing: float = 0.0  # of the training loss; the dev loss is plain
    source_dropout: float = 0.0  # share of source pieces read as <unk> in training
    seed: int = 1
    eval_every: int = 200
    patience: int = 4  # evaluations without improvement before stopping
    amp: bool = False  # bfloat16 autocast (CUDA)
    progress: bool = False  # tqdm bar


@dataclass
class Progress:
    """What a resumed run needs to go on exactly where it stopped."""

    step: int = 0
    epoch: int = 0
    batch_in_epoch: int = 0
    seconds: float = 0.0
    target_tokens: int = 0
    best_dev: float = math.inf
    best_step: int = 0
    bad_evals: int = 0
    lr: float = 0.0
    stopped: str = ""
    history: list[dict] = field(default_factory=list)
    window: list[float] = field(default_factory=list)  # the last 100 batch losses


def epoch_seed(seed: int, epoch: int) -> int:
    """The seed of one epoch's random draws (its batch order, its sampled pieces)."""
    return seed * 100_003 + epoch


def epoch_batches(pairs: list[Pair], size: int, seed: int, epoch: int) -> list[list[int]]:
    """Index batches of similar source length, in an order fixed by (seed, epoch)."""
    rng = random.Random(epoch_seed(seed, epoch))
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]), rng.random()))
    chunks = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(chunks)
    return chunks


def drop_source_pieces(pairs: list[Pair], share: float, unk_id: int) -> list[Pair]:
    """Each source piece but the end token read as ``unk_id`` with probability ``share``:
    dropout of source pieces, not whole words (the word dropout that Sennrich and Zhang
    2019 tried for low-resource NMT drops words), drawn from torch's generator so a
    resumed run draws the same."""
    if share <= 0:
        return pairs
    out = []
    for src, tgt in pairs:
        drop = (torch.rand(len(src) - 1) < share).tolist()
        out.append(([unk_id if d else i for i, d in zip(src, drop)] + src[-1:], tgt))
    return out


def batch_loss(
    model: Seq2Seq, pairs: list[Pair], device, smoothing: float = 0.0
) -> tuple[torch.Tensor, int]:
    """Summed cross-entropy over target pieces (``smoothing``: label smoothing, Szegedy
    et al. 2016), and their number."""
    cfg = model.cfg
    src, lengths = pad_ids([s for s, _ in pairs], cfg.pad_id, device)
    tgt_in, _ = pad_ids([[cfg.bos_id, *t[:-1]] for _, t in pairs], cfg.pad_id, device)
    tgt_out, _ = pad_ids([t for _, t in pairs], cfg.pad_id, device)
    outs, _ = model.readouts(src, lengths, tgt_in)  # B x T x R
    real = tgt_out != cfg.pad_id  # B x T
    logits = model.logits(outs[real])  # N x V: the projection only where a target piece is
    loss = F.cross_entropy(
        logits.float(), tgt_out[real], reduction="sum", label_smoothing=smoothing
    )
    return loss, int(real.sum())


@torch.no_grad()
def evaluate(model: Seq2Seq, pairs: list[Pair], batch_size: int = 64) -> float:
    """Mean per-piece cross-entropy (nats) on ``pairs``."""
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]))
    for i in range(0, len(order), batch_size):
        loss, n = batch_loss(model, [pairs[j] for j in order[i : i + batch_size]], device)
        total, count = total + float(loss), count + n
    model.train(was_training)
    return total / max(count, 1)


def train(
    model: Seq2Seq,
    train_pairs: list[Pair],
    dev_pairs: list[Pair],
    settings: TrainSettings,
    state_dir: Path | None = None,
    on_best: Callable[[Seq2Seq, Progress], None] | None = None,
    resample: Callable[[int], list[Pair]] | None = None,
) -> Progress:
    """Train ``model`` in place.  With ``state_dir`` the run saves its state at every
    evaluation and resumes from it when started again.  ``on_best`` is called each
    time the dev loss improves.  ``resample(epoch)``, if given, gives each epoch's
    training pairs (the same rows as ``train_pairs``, segmented afresh; the same for the
    same epoch).  At the end the model holds the best dev weights."""
    device = next(model.parameters()).device
    optimizer = torch.optim.Adam(model.parameters(), lr=settings.lr)
    prog = Progress(lr=settings.lr)
    torch.manual_seed(settings.seed)  # a resumed run restores the RNG state instead
    if state_dir is not None and (state_dir / "state.json").exists():
        prog = load_state(state_dir, model, optimizer, Progress)
        if prog.stopped != EARLY_STOP and not _out_of_budget(prog, settings):
            prog.stopped = ""  # a larger budget this time: go on
    best_weights = _snapshot(model)
    if state_dir is not None and (saved_best := load_best(state_dir)) is not None:
        best_weights.update(saved_best)
    bar = tqdm(
        total=settings.steps,
        initial=prog.step,
        disable=not settings.progress,
        unit="step",
        dynamic_ncols=True,
    )
    start, seconds0, tokens0 = time.time(), prog.seconds, prog.target_tokens
    window = prog.window
    model.train()
    while not prog.stopped:
        if resample is not None:
            train_pairs = resample(prog.epoch)
        batches = epoch_batches(train_pairs, settings.batch_size, settings.seed, prog.epoch)
        for idx in batches[prog.batch_in_epoch :]:
            loss_value, n = _step(model, optimizer, [train_pairs[i] for i in idx], settings, device)
            prog.step += 1
            prog.batch_in_epoch += 1
            prog.target_tokens += n
            prog.seconds = seconds0 + time.time() - start
            window[:] = (window + [loss_value])[-100:]
            rate = (prog.target_tokens - tokens0) / max(time.time() - start, 1e-9)
            bar.update(1)
            bar.set_postfix(
                loss=f"{sum(window) / len(window):.3f}", tok_s=f"{rate:,.0f}", lr=f"{prog.lr:.1e}"
            )
            if prog.step % settings.eval_every == 0 or _out_of_budget(prog, settings):
                if _evaluate_and_decide(model, optimizer, dev_pairs, settings, prog, window):
                    best_weights = _snapshot(model)
                    if state_dir is not None:
                        save_best(state_dir, model)
                    if on_best:
                        on_best(model, prog)
                if state_dir is not None:
                    save_state(state_dir, model, optimizer, prog)
            if prog.stopped:
                break
        else:
            prog.epoch += 1
            prog.batch_in_epoch = 0
    bar.close()
    model.load_state_dict(best_weights, strict=False)
    model.eval()
    return prog


def _snapshot(model: Seq2Seq) -> dict[str, torch.Tensor]:
    """A copy of the weights, each tied tensor once (so loading it back is unambiguous)."""
    return {k: v.detach().clone() for k, v in unique_state(model).items()}


def _step(
    model, optimizer, batch: list[Pair], settings: TrainSettings, device
) -> tuple[float, int]:
    autocast = (
        torch.autocast(device_type="cuda", dtype=torch.bfloat16)
        if settings.amp and device.type == "cuda"
        else contextlib.nullcontext()
    )
    batch = drop_source_pieces(batch, settings.source_dropout, model.cfg.unk_id)
    with autocast:
        loss, n = batch_loss(model, batch, device, settings.label_smoothing)
    optimizer.zero_grad(set_to_none=True)
    (loss / n).backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), settings.clip)
    optimizer.step()
    return loss.item() / n, n


def _out_of_budget(prog: Progress, settings: TrainSettings) -> bool:
    over_time = settings.minutes > 0 and prog.seconds >= 60 * settings.minutes
    return prog.step >= settings.steps or over_time


def _evaluate_and_decide(model, optimizer, dev_pairs, settings, prog, window) -> bool:
    """Dev loss; halve the learning rate on no improvement; decide whether to stop.
    Returns True when this is the best model so far."""
    dev = evaluate(model, dev_pairs) if dev_pairs else sum(window) / max(len(window), 1)
    prog.history.append(
        {
            "step": prog.step,
            "train_loss": round(sum(window) / len(window), 4),
            "dev_loss": round(dev, 4),
            "seconds": round(prog.seconds, 1),
        }
    )
    improved = dev < prog.best_dev - 1e-4
    if improved:
        prog.best_dev, prog.best_step, prog.bad_evals = dev, prog.step, 0
    else:
        prog.bad_evals += 1
        prog.lr = max(prog.lr / 2, settings.min_lr)
        for group in optimizer.param_groups:
            group["lr"] = prog.lr
    if prog.bad_evals >= settings.patience:
        prog.stopped = EARLY_STOP
    elif prog.step >= settings.steps:
        prog.stopped = "step limit"
    elif settings.minutes > 0 and prog.seconds >= 60 * settings.minutes:
        prog.stopped = "time limit"
    return improved
