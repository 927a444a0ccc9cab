"""Decoding speed with full traces, side by side with Joey NMT 2.3.0.

    python -m bench                       # random Bahdanau model, GRU 256, emb 256, vocab 5000
    python -m bench --checkpoint checkpoints/es-en-bahdanau --sources FILE
    python -m bench --no-joey --device cuda

Every output runs to ``--length`` pieces on both sides (the end token is barred), so
the figures do not depend on how well a model is trained.  Each setting is timed
``--repeats`` times after one warm-up; the table shows the median with min and max.
The passes are interleaved: every repeat runs Joey's pass and each of ours back to
back (in alternating order), and the ratio is the median of the per-repeat ratios,
so a machine whose speed drifts during the run slows both sides alike.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from pathlib import Path
from statistics import median

import torch

from models.device import describe, resolve_device

from . import ours
from .joey import JoeyPeer, PeerUnavailable, ensure_env
from .table import PEER, render


def parse(argv):
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    p.add_argument("--checkpoint", help="a checkpoint folder (default: random model)")
    p.add_argument("--hidden", type=int, default=256, help="GRU size (encoder per direction)")
    p.add_argument("--emb", type=int, default=256)
    p.add_argument("--vocab", type=int, default=5000)
    p.add_argument("--sources", help="text file, one source per line (default: synthetic)")
    p.add_argument("--sentences", type=int, default=200, help="sources at batch 1")
    p.add_argument("--sentences-batched", type=int, default=512, help="sources at batch 64")
    p.add_argument("--length", type=int, default=20, help="output pieces per sentence")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="cpu", help="cpu, cuda or auto")
    p.add_argument("--paths", default="fast,plain", help="our decoders: fast, plain or both")
    p.add_argument("--only", nargs="*", help="settings like greedy-1 beam-64")
    p.add_argument(
        "--static-sentences",
        type=int,
        default=10000,
        help="sources for the fixed-shape greedy path (run on CUDA, or with --static)",
    )
    p.add_argument("--static", action="store_true", help="time the fixed-shape path on CPU too")
    p.add_argument("--no-joey", action="store_true", help="skip the side-by-side peer")
    p.add_argument("--joey-env", default=".cache/joey-2.3.0", help="Joey's own virtualenv")
    p.add_argument("--json", help="also write the rows here")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    torch.set_num_threads(args.threads)
    device = resolve_device(args.device)
    tokenizer = None
    if args.checkpoint:
        model, tokenizer = ours.checkpoint_model(args.checkpoint, device)
    else:
        model = ours.random_model(args.hidden, args.emb, args.vocab, device)
    model = ours.fixed_length(model)
    cfg = model.cfg
    n = max(args.sentences, args.sentences_batched)
    if args.sources:
        sources = ours.file_sources(args.sources, n, cfg.vocab_size, tokenizer)
    else:
        sources = ours.synthetic_sources(n, cfg.vocab_size)
    settings = [s for s in ours.SETTINGS if not args.only or f"{s.search}-{s.batch}" in args.only]
    params = sum(p.numel() for p in model.parameters())
    print(
        f"model: {args.checkpoint or 'random'} {cfg.attention}/{cfg.score}, emb {cfg.emb_dim}, "
        f"GRU {cfg.enc_hidden} (bi) / {cfg.dec_hidden}, vocab {cfg.vocab_size}, "
        f"{params:,} parameters; {describe(device)}; output length {args.length}; "
        f"median of {args.repeats}",
        flush=True,
    )
    rows: list[dict] = []
    peer = None if args.no_joey or device.type != "cpu" else start_joey(args, sources)
    steppers = ours.steppers(model, args.paths.split(","))
    print(render([], header=True), flush=True)
    try:
        for s in settings:
            subset = sources[: args.sentences if s.batch == 1 else args.sentences_batched]
            passes = side_passes(peer, steppers, subset, s, args.length)
            new = interleaved(passes, args.repeats, len(subset), device.type, s)
            print(render(new), flush=True)
            rows += new
            if peer is not None and not any(r["who"] == PEER for r in new):
                peer = None  # it failed in this setting; the rest go on without it
    finally:
        if peer is not None:
            peer.close()
    if device.type == "cuda" or args.static:
        many = ours.synthetic_sources(args.static_sentences, cfg.vocab_size, seed=1)
        fast = steppers.get("fast") or ours.FastDecoder(model)
        passes = {"ours (fixed shapes)": partial(ours.static_pass, fast, many, args.length)}
        setting = ours.Setting("greedy", len(many))  # one call decodes them all
        rows += interleaved(passes, args.repeats, len(many), device.type, setting)
        print(render(rows[-1:]), flush=True)
    print("\n" + render(rows, header=True))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


def start_joey(args, sources: list[list[int]]) -> JoeyPeer | None:
    job = {
        "hidden": args.hidden,
        "emb": args.emb,
        "vocab": args.vocab + 2,  # Joey's vocabulary: ours plus its 2 extra specials
        "threads": args.threads,
        "length": args.length,
        "sources": sources,
    }
    try:
        return JoeyPeer(ensure_env(Path(args.joey_env)), job)
    except PeerUnavailable as err:
        print(f"Joey NMT left out: {err}", file=sys.stderr)
        return None


def side_passes(peer, steppers: dict, subset, s: ours.Setting, length: int) -> dict:
    """who -> a function running one timed pass of this setting: (seconds, tokens)."""
    passes = {}
    if peer is not None:
        passes[PEER] = lambda: peer.timed_pass(s.search, s.batch, s.beam, len(subset))
    for path, stepper in steppers.items():
        passes[f"ours ({path})"] = partial(ours.timed_pass, stepper, subset, s, length)
    return passes


def interleaved(passes: dict, repeats: int, n: int, device: str, s: ours.Setting) -> list[dict]:
    """Every side once to warm up, then ``repeats`` rounds of every side back to back,
    the order reversed each round.  Rows carry the median of the per-round ratios."""
    times: dict[str, list[float]] = {who: [] for who in passes}
    tokens: dict[str, int] = {}
    order = list(passes)
    for round_ in range(repeats + 1):
        for who in list(order) if round_ % 2 else order[::-1]:
            try:
                seconds, tokens[who] = passes[who]()
            except PeerUnavailable as err:
                print(f"Joey NMT left out of {s.search}-{s.batch}: {err}", file=sys.stderr)
                order.remove(who)
                times.pop(who)
                continue
            if round_:  # round 0 warms up
                times[who].append(seconds)
    rows = []
    peer = times.get(PEER)
    for who, secs in times.items():
        row = {"who": who, "device": device, **vars(s), **ours.summary(secs, n, tokens[who])}
        if peer is not None and who != PEER:
            ratios = [p / o for p, o in zip(peer, secs)]
            row.update(ratio=median(ratios), ratio_min=min(ratios), ratio_max=max(ratios))
        rows.append(row)
    return rows


if __name__ == "__main__":
    sys.exit(main())
