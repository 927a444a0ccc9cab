"""Decoding speed with full traces, side by side with Joey NMT 2.3.0.

    python -m bench                       # random Bahdanau model, GRU 256, emb 256, vocab 5000
    python -m bench --checkpoint checkpoints/es-en-bahdanau --sources FILE
    python -m bench --no-joey --device cuda

Every output runs to ``--length`` pieces on both sides (the end token is barred), so
the figures do not depend on how well a model is trained.  Each setting is timed
``--repeats`` times after one warm-up; the table shows the median with min and max.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

from models.device import describe, resolve_device

from . import ours
from .joey import PeerUnavailable, ensure_env, run_joey
from .table import render


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
    python = None if args.no_joey or device.type != "cpu" else joey_python(args.joey_env)
    steppers = ours.steppers(model, args.paths.split(","))
    print(render([], header=True), flush=True)
    for s in settings:  # per setting: the peer, then ours, so both see the same machine
        subset = sources[: args.sentences if s.batch == 1 else args.sentences_batched]
        if python is not None:
            rows += joey_rows(python, args, subset, s)
        for path, stepper in steppers.items():
            r = ours.time_setting(stepper, subset, s, args.length, args.repeats)
            rows.append({"who": f"ours ({path})", "device": device.type, **vars(s), **r})
            print(render(rows[-1:]), flush=True)
    if device.type == "cuda" or args.static:
        many = ours.synthetic_sources(args.static_sentences, cfg.vocab_size, seed=1)
        fast = steppers.get("fast") or ours.FastDecoder(model)
        r = ours.time_static(fast, many, args.length, args.repeats)
        row = {"who": "ours (fixed shapes)", "device": device.type, "search": "greedy"}
        rows.append({**row, "batch": len(many), **r})
        print(render(rows[-1:]), flush=True)
    print("\n" + render(rows, header=True))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


def joey_python(env: str) -> Path | None:
    try:
        return ensure_env(Path(env))
    except PeerUnavailable as err:
        print(f"Joey NMT left out: {err}", file=sys.stderr)
        return None


def joey_rows(python: Path, args, subset: list[list[int]], s) -> list[dict]:
    job = {
        "hidden": args.hidden,
        "emb": args.emb,
        "vocab": args.vocab + 2,  # Joey's vocabulary: ours plus its 2 extra specials
        "threads": args.threads,
        "repeats": args.repeats,
        "length": args.length,
        "sources": subset,
        "settings": [{"search": s.search, "batch": s.batch, "beam": s.beam}],
    }
    try:
        rows = run_joey(python, job)
    except PeerUnavailable as err:
        print(f"Joey NMT left out of {s.search}-{s.batch}: {err}", file=sys.stderr)
        return []
    for row in rows:
        row.update(who="Joey NMT 2.3.0", device="cpu")
        print(render([row]), flush=True)
    return rows


if __name__ == "__main__":
    sys.exit(main())
