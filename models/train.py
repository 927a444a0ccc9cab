"""Training loop: length-bucketed batches, Adam, gradient clipping, dev loss.

``train`` works on id pairs; the command that reads corpora, trains the tokenizer and
writes checkpoint folders builds on it.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from .search import pad_ids
from .seq2seq import Seq2Seq

Pair = tuple[list[int], list[int]]  # source ids (with end token), target ids (with end token)


@dataclass
class TrainSettings:
    steps: int = 1000
    batch_size: int = 64
    lr: float = 1e-3
    clip: float = 1.0
    seed: int = 1
    eval_every: int = 200


def batches(pairs: list[Pair], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Index batches of similar source length, in random order."""
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]), rng.random()))
    chunks = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(chunks)
    return chunks


def batch_loss(model: Seq2Seq, pairs: list[Pair], device) -> tuple[torch.Tensor, int]:
    """Summed cross-entropy over target pieces, and their number."""
    cfg = model.cfg
    src, lengths = pad_ids([s for s, _ in pairs], cfg.pad_id, device)
    tgt_in, _ = pad_ids([[cfg.bos_id, *t[:-1]] for _, t in pairs], cfg.pad_id, device)
    tgt_out, _ = pad_ids([t for _, t in pairs], cfg.pad_id, device)
    log_probs, _ = model(src, lengths, tgt_in)
    loss = F.nll_loss(
        log_probs.reshape(-1, log_probs.size(-1)),
        tgt_out.reshape(-1),
        ignore_index=cfg.pad_id,
        reduction="sum",
    )
    return loss, int((tgt_out != cfg.pad_id).sum())


@torch.no_grad()
def evaluate(model: Seq2Seq, pairs: list[Pair], batch_size: int = 64) -> float:
    """Mean per-piece cross-entropy (nats) on ``pairs``."""
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    for i in range(0, len(pairs), batch_size):
        loss, n = batch_loss(model, pairs[i : i + batch_size], device)
        total, count = total + float(loss), count + n
    model.train(was_training)
    return total / max(count, 1)


def train(
    model: Seq2Seq,
    train_pairs: list[Pair],
    dev_pairs: list[Pair],
    settings: TrainSettings,
    log: Callable[[dict], None] | None = None,
) -> dict:
    """Train in place; returns {'steps', 'train_loss', 'dev_loss', 'seconds'}."""
    torch.manual_seed(settings.seed)
    rng = random.Random(settings.seed)
    device = next(model.parameters()).device
    optimizer = torch.optim.Adam(model.parameters(), lr=settings.lr)
    model.train()
    step, start, recent = 0, time.time(), []
    while step < settings.steps:
        for idx in batches(train_pairs, settings.batch_size, rng):
            loss, n = batch_loss(model, [train_pairs[i] for i in idx], device)
            optimizer.zero_grad(set_to_none=True)
            (loss / n).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), settings.clip)
            optimizer.step()
            step += 1
            recent = (recent + [loss.item() / n])[-50:]
            if log and (step % settings.eval_every == 0 or step == settings.steps):
                log({"step": step, "train_loss": sum(recent) / len(recent)})
            if step >= settings.steps:
                break
    model.eval()
    dev_loss = evaluate(model, dev_pairs) if dev_pairs else math.nan
    return {
        "steps": step,
        "train_loss": sum(recent) / max(len(recent), 1),
        "dev_loss": dev_loss,
        "seconds": time.time() - start,
    }
