"""The recipe of the shipped checkpoints: seven models, two pairs, one after another.

    python -m training.recipe [--only NAME ...] [--device cpu|cuda]

Within a pair every model shares the corpus, the tokenizer, the sizes and the step
and time budgets, so the comparison in the app is fair.  Each run resumes from
``runs/<name>/`` if it was interrupted; a finished run is only re-exported.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

# name, corpus, attention, score, steps, minutes
EN_DE = dict(corpus="corpora/en-de", steps=4000, minutes=18)
ES_EN = dict(corpus="corpora/es-en", steps=3000, minutes=28)
MODELS = [
    ("en-de-bahdanau", EN_DE, "bahdanau", "additive"),
    ("es-en-none", ES_EN, "none", "none"),
    ("es-en-bahdanau", ES_EN, "bahdanau", "additive"),
    ("en-de-none", EN_DE, "none", "none"),
    ("en-de-luong-dot", EN_DE, "luong", "dot"),
    ("en-de-luong-general", EN_DE, "luong", "general"),
    ("en-de-luong-concat", EN_DE, "luong", "concat"),
]


def command(name: str, budget: dict, attention: str, score: str, extra: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "training.train",
        "--corpus",
        budget["corpus"],
        "--attention",
        attention,
        "--score",
        score,
        "--out",
        f"checkpoints/{name}",
        "--steps",
        str(budget["steps"]),
        "--minutes",
        str(budget["minutes"]),
        "--eval-every",
        "500",
        "--patience",
        "4",
        "--vocab",
        "5000",
        "--emb",
        "256",
        "--enc-hidden",
        "128",
        "--dec-hidden",
        "256",
        "--attn-dim",
        "256",
        "--batch-size",
        "64",
        "--dtype",
        "float16",
        *extra,
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.recipe", description=__doc__)
    p.add_argument("--only", nargs="*", help="train only these names")
    p.add_argument("--device", default=None)
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)
    extra = (["--device", args.device] if args.device else []) + (["--quiet"] if args.quiet else [])
    for name, budget, attention, score in MODELS:
        if args.only and name not in args.only:
            continue
        print(f"== {name}", flush=True)
        code = subprocess.call(command(name, budget, attention, score, extra))
        if code:
            print(f"{name} failed with exit status {code}", file=sys.stderr)
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
