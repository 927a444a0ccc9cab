"""Command line: translate one sentence with a checkpoint and print the trace.

    python -m models.translate --checkpoint DIR [--beam K] [--force TEXT]
        [--prefix TEXT] [--device cpu|cuda] --json SOURCE_TEXT

With ``--json`` one JSON object is printed (best hypothesis first); without it, a
short human-readable summary.  Errors: one line on stderr, exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys

from .checkpoint import CheckpointError, load_checkpoint
from .device import resolve_device
from .engine import DecodeSettings, Translator
from .text import InputError
from .unknown import target_notes


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m models.translate", description=__doc__.split("\n")[0]
    )
    p.add_argument("source", help="the sentence to translate")
    p.add_argument("--checkpoint", required=True, help="checkpoint folder")
    p.add_argument("--beam", type=int, default=1, help="beam size 1-16 (1 = greedy)")
    p.add_argument("--n-best", type=int, default=None, help="hypotheses to print (beam)")
    p.add_argument("--max-len", type=int, default=None, help="max output pieces")
    p.add_argument("--length-penalty", type=float, default=1.0, help="GNMT alpha")
    p.add_argument("--topk", type=int, default=5, help="candidates recorded per step")
    p.add_argument("--force", default=None, help="score this target instead of searching")
    p.add_argument("--prefix", default=None, help="the output starts with these words")
    p.add_argument("--device", default=None, help="cpu or cuda (default: cuda if present)")
    p.add_argument("--json", action="store_true", help="print the whole trace as JSON")
    return p.parse_args(argv)


def run(args: argparse.Namespace) -> dict:
    device = resolve_device(args.device)
    loaded = load_checkpoint(args.checkpoint, device)
    translator = Translator(loaded.model, loaded.tokenizer, loaded.name)
    settings = DecodeSettings(args.beam, args.max_len, args.length_penalty, args.n_best, args.topk)
    trace = translator.translate(args.source, settings, force=args.force, prefix=args.prefix)
    notes = target_notes(loaded.tokenizer, args.force, args.prefix)
    return {**trace.to_dict(), "target_notes": notes, "device": str(device)}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        out = run(args)
    except (CheckpointError, InputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback for a user
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        for hyp in out["hypotheses"]:
            print(f"{hyp['score']:.3f}\t{hyp['text']}")
        for note in out["notes"] + out["target_notes"]:
            print(f"note: {note}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
