"""Our side of the benchmark: a model (checkpoint or random sizes) and timed searches."""

from __future__ import annotations

import statistics
import time
import zlib
from dataclasses import dataclass

import torch

from models import batched, search
from models.checkpoint import load_checkpoint
from models.config import ModelConfig
from models.fast import FastDecoder
from models.seq2seq import Seq2Seq


@dataclass(frozen=True)
class Setting:
    search: str  # greedy | beam
    batch: int

    @property
    def beam(self) -> int:
        return 1 if self.search == "greedy" else 5


SETTINGS = [Setting("greedy", 1), Setting("beam", 1), Setting("greedy", 64), Setting("beam", 64)]


def random_model(hidden: int, emb: int, vocab: int, device: torch.device) -> Seq2Seq:
    """Bahdanau attention at Joey-like sizes: bi-GRU hidden per direction, GRU decoder."""
    cfg = ModelConfig(
        attention="bahdanau",
        score="additive",
        vocab_size=vocab,
        emb_dim=emb,
        enc_hidden=hidden,
        dec_hidden=hidden,
        attn_dim=hidden,
        dropout=0.0,
    )
    torch.manual_seed(0)
    return Seq2Seq(cfg).to(device).eval()


def checkpoint_model(folder: str, device: torch.device):
    loaded = load_checkpoint(folder, device)
    return loaded.model, loaded.tokenizer


def fixed_length(model: Seq2Seq) -> Seq2Seq:
    """The end token can never win, so every output runs to the length limit.

    Only for the benchmark's own copy of a model: it writes the output bias.
    """
    with torch.no_grad():
        model.out_proj.bias[model.cfg.eos_id] = float("-inf")
    return model


def synthetic_sources(n: int, vocab: int, seed: int = 0) -> list[list[int]]:
    """n sources of 18-22 pieces (like the peer figures), ids outside the specials."""
    gen = torch.Generator().manual_seed(seed)
    lengths = torch.randint(18, 23, (n,), generator=gen).tolist()
    return [torch.randint(4, vocab, (k,), generator=gen).tolist() for k in lengths]


def file_sources(path: str, n: int, vocab: int, tokenizer=None) -> list[list[int]]:
    """Lines of text -> piece ids (the checkpoint's tokenizer, or a stable word hash)."""
    with open(path, encoding="utf-8") as f:
        lines = [line.strip() for line in f if line.strip()][:n]
    if tokenizer is not None:
        return [tokenizer.encode(line, 400).ids for line in lines]
    return [[4 + zlib.crc32(w.encode()) % (vocab - 4) for w in line.split()] for line in lines]


def run_search(stepper, chunk: list[list[int]], setting: Setting, length: int, eos: int):
    """One batch through a search with full traces; returns the output pieces."""
    sources = [s + [eos] for s in chunk]
    lens = [length] * len(sources)
    if setting.search == "greedy":
        results = search.greedy(stepper, sources, lens, topk=5)
    else:
        results = search.beam_search(stepper, sources, lens, setting.beam, 1.0, topk=5)
    return sum(len(r.hyps[0].ids) for r in results)


def timed_pass(stepper, sources, setting: Setting, length: int) -> tuple[float, int]:
    """Seconds and output tokens of one pass over ``sources`` in batches of the setting."""
    eos = stepper.cfg.eos_id
    start, tokens = time.perf_counter(), 0
    for i in range(0, len(sources), setting.batch):
        tokens += run_search(stepper, sources[i : i + setting.batch], setting, length, eos)
    if stepper.device.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start, tokens


def summary(times: list[float], sentences: int, tokens: int) -> dict:
    med = statistics.median(times)
    return {
        "sent_s": sentences / med,
        "sent_s_min": sentences / max(times),
        "sent_s_max": sentences / min(times),
        "tok_s": tokens / med,
        "seconds": times,
    }


def steppers(model: Seq2Seq, paths: list[str]) -> dict:
    return {p: FastDecoder(model) if p == "fast" else model for p in paths}


def static_pass(decoder: FastDecoder, sources, length: int) -> tuple[float, int]:
    """The GPU path: all sources through ``batched.greedy_static`` in one call.
    Seconds and output tokens of one pass."""
    sources = [s + [decoder.cfg.eos_id] for s in sources]
    start = time.perf_counter()
    results = batched.greedy_static(decoder, sources, [length] * len(sources))
    if decoder.device.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start, sum(len(r.hyps[0].ids) for r in results)
