"""The recipe of the shipped checkpoints.

    python -m training.recipe [--only NAME ...] [--jobs 2] [--device cpu|cuda]

``--jobs 2`` runs two queues side by side with one CPU thread each.

Within a pair every model shares the corpus, the tokenizer, the sizes and the step
budget, so the comparison in the app is fair; only the models without attention change
their encoder (the RNN Encoder-Decoder of Cho et al. 2014 that Bahdanau et al. 2015
compare against: one left-to-right GRU whose last state is the fixed context, as wide as
the attention models' annotations; es-en-none a wider bottleneck).  Why each size was
chosen, with the measurements, is in docs/TRAINING.md.  Each run resumes from
``runs/<name>/`` if it was interrupted; a finished run is only re-exported.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# A budget is a pair's data, sizes and optimiser settings; its step count is the budget
# (every model of a pair sees the same batches), the minutes are a safety cap only.
EVERYDAY_SIZES = {"emb": 256, "enc_hidden": 128, "dec_hidden": 256, "attn_dim": 256}
EVERYDAY = {
    "domain": "everyday sentences",
    "steps": 10000,
    "minutes": 240,
    "dropout": 0.1,
    "vocab": 8000,
    "batch_size": 64,
    "lr": 2e-3,
    "eval_every": 500,
    "patience": 4,
    "sizes": {**EVERYDAY_SIZES, "directions": 2},
}
# en-fr: Tatoeba + 15,000 Bible verses (longer sentences; measured in docs/TRAINING.md),
# the tokenizer learnt from the everyday sentences alone, 6,000 pieces for the size budget;
# 10,000 steps, what the time budget holds for the slowest model (docs/TRAINING.md).
EN_FR = {
    **EVERYDAY,
    "corpus": "corpora/en-fr-bible",
    "domain": "everyday sentences + Bible verses",
    "pair": "en-fr",
    "tokenizer_corpus": "corpora/en-fr",
    "vocab": 6000,
}
# en-de: Tatoeba + Ding's example sentences (measured in docs/TRAINING.md), the tokenizer
# learnt from the everyday sentences alone, 6,000 pieces and 10,000 steps as en-fr.
EN_DE = {
    **EVERYDAY,
    "corpus": "corpora/en-de-tatoeba-ding",
    "domain": "everyday sentences + dictionary examples",
    "pair": "en-de",
    "tokenizer_corpus": "corpora/en-de",
    "vocab": 6000,
}
# Hindi: 2,331 Tatoeba training pairs.  The English side is taught by 40,000 French-English
# Tatoeba pairs trained beside them (corpora/hi-en-fr: one encoder reads both scripts, the
# Hindi pairs repeated 4 times), tokenizer learnt on that corpus; dev and test stay Hindi.
# hi-en trains on the mix with the French pairs' English back-translated into Hindi by
# en-hi-bahdanau (beam 5) beside it; en-hi trains on its mirror first (English -> Hindi or
# French), then on the Hindi pairs alone (measured in docs/TRAINING.md).
HINDI = {
    "corpus": "corpora/hi-en-fr",
    "pair": "hi-en",
    "tokenizer_corpus": "corpora/hi-en-fr",
    "steps": 16000,
    "minutes": 45,
    "dropout": 0.3,
    "vocab": 3000,
    "batch_size": 64,
    "lr": 2e-3,
    "eval_every": 400,
    "patience": 6,
    "sizes": {"emb": 128, "enc_hidden": 64, "dec_hidden": 128, "attn_dim": 64, "directions": 2},
}
HI_EN = {
    **HINDI,
    "corpus": "corpora/hi-en-fr-bt",
    # the pair picker cuts long labels: what the person must know comes first
    "domain": "small-data demo: everyday sentences (trained on 2.3k Hindi sentence pairs, "
    "40k French-English pairs and their English back-translated into Hindi)",
    # written before each of the pair's models trains, unless it is up to date; beam 5
    # (greedy measured too: docs/TRAINING.md)
    "back_translate": {
        "model": "en-hi-bahdanau",
        "corpus": "corpora/hi-en-fr",
        "beam": 5,
    },
}
EN_HI = {
    **HINDI,
    "corpus": "corpora/en-hi",
    "pair": "en-hi",
    "domain": "small-data demo: everyday sentences (trained on 2.3k Hindi sentence pairs, "
    "40k English-French pairs and 10k Bible verses)",
    "steps": 1200,
    "eval_every": 200,
    # label smoothing and subword regularization help en-hi on dev (not hi-en: measured
    # in docs/TRAINING.md)
    "label_smoothing": 0.1,
    "subword_alpha": 0.1,
    # first stages: English -> Hindi or French; then the Hindi pairs with Bible verses
    # (English -> Hindi); then the steps above on the Hindi pairs alone
    "pretrain": [
        {"corpus": "corpora/en-hi-fr", "steps": 6000, "eval_every": 400},
        {"corpus": "corpora/en-hi-bible", "steps": 3000},
    ],
}
ES_EN = {
    "corpus": "corpora/es-en",
    "domain": "Bible verses",
    "steps": 8000,
    "minutes": 150,
    "dropout": 0.2,
    "vocab": 5000,
    "batch_size": 64,
    "lr": 2e-3,
    "eval_every": 400,
    "patience": 4,
    "sizes": {"emb": 128, "enc_hidden": 64, "dec_hidden": 128, "attn_dim": 128, "directions": 2},
}
# The models without attention: a left-to-right encoder as wide as the annotations.
ENCODER_DECODER = {"enc_hidden": 256, "directions": 1}
SMALL_ENCODER_DECODER = {"enc_hidden": 128, "directions": 1}
# es-en-none: a fixed context of 2 x 128 numbers and a decoder of 256, dropout 0.1.
WIDE_BOTTLENECK = {"enc_hidden": 128, "dec_hidden": 256, "dropout": 0.1}
MODELS = [  # name, budget, attention, score, changes to the budget's sizes and dropout
    ("en-fr-bahdanau", EN_FR, "bahdanau", "additive", {}),
    ("en-hi-bahdanau", EN_HI, "bahdanau", "additive", {}),
    ("hi-en-bahdanau", HI_EN, "bahdanau", "additive", {}),
    ("en-fr-none", EN_FR, "none", "none", ENCODER_DECODER),
    ("en-fr-luong-general", EN_FR, "luong", "general", {}),
    ("en-fr-luong-dot", EN_FR, "luong", "dot", {}),
    ("en-fr-luong-concat", EN_FR, "luong", "concat", {}),
    ("en-de-bahdanau", EN_DE, "bahdanau", "additive", {}),
    ("en-de-none", EN_DE, "none", "none", ENCODER_DECODER),
    ("en-de-luong-general", EN_DE, "luong", "general", {}),
    ("en-hi-none", EN_HI, "none", "none", SMALL_ENCODER_DECODER),
    ("hi-en-none", HI_EN, "none", "none", SMALL_ENCODER_DECODER),
    ("es-en-none", ES_EN, "none", "none", WIDE_BOTTLENECK),
    ("es-en-bahdanau", ES_EN, "bahdanau", "additive", {}),
]


def pair_corpus(pair: str) -> str | None:
    """The corpus the recipe trains ``pair``'s models on (``None``: not in the recipe)."""
    for name, budget, *_ in MODELS:
        if "-".join(name.split("-")[:2]) == pair:
            return budget["corpus"]
    return None


# budget keys that are steps before a model's own training, not options of its command
BEFORE_TRAINING = ("pretrain", "back_translate")
OPTIONS = ("vocab", "batch_size", "lr", "eval_every", "patience", "domain")
OPTIONAL = ("pair", "tokenizer_corpus", "label_smoothing", "subword_alpha", "source_dropout")


def model_options(budget: dict, changes: dict) -> dict:
    """The sizes and dropout of one model: its budget's, with its own changes."""
    return {**budget["sizes"], "dropout": budget["dropout"], **changes}


def first_stages(budget: dict) -> list[dict]:
    """The stages a budget trains before its own steps, in order (the en-hi models'):
    each changes the budget's corpus, steps or evaluation and starts from the one before."""
    return list(budget.get("pretrain", []))


def total_steps(budget: dict) -> int:
    """The steps of a budget, its first stages' included."""
    return budget["steps"] + sum(stage["steps"] for stage in first_stages(budget))


def pretrained(name: str, stage: int = 0) -> str:
    """Where first stage ``stage`` (0, 1, ...) of a staged model is written (not shipped)."""
    return f"runs/pretrained/{name}-pretrain{stage + 1 if stage else ''}"


def command(
    name: str,
    budget: dict,
    attention: str,
    score: str,
    changes: dict,
    extra: list[str],
    out_root: str,
    out: str | None = None,
    init: str | None = None,
) -> list[str]:
    """The ``training.train`` command of one model, writing to ``<out_root>/<name>``
    (or to ``out``), starting from the checkpoint ``init`` if given."""
    options = {
        **{k: budget[k] for k in OPTIONS},
        **{k: budget[k] for k in OPTIONAL if k in budget},
        **model_options(budget, changes),
    }
    fixed = [
        "--dtype",
        "float16",
        *(
            arg
            for key, value in options.items()
            for arg in (f"--{key.replace('_', '-')}", str(value))
        ),
    ]
    return [
        *(sys.executable, "-m", "training.train", "--corpus", budget["corpus"]),
        *("--attention", attention, "--score", score, "--out", out or f"{out_root}/{name}"),
        *("--steps", str(budget["steps"]), "--minutes", str(budget["minutes"])),
        *fixed,
        *(("--init", init) if init else ()),
        *extra,
    ]


def back_translator(model: tuple) -> str | None:
    """The name of the model whose checkpoint writes ``model``'s back-translated corpus."""
    bt = model[1].get("back_translate")
    return bt["model"] if bt else None


def back_translation(
    budget: dict, extra: list[str], out_root: str, running: frozenset[str] = frozenset()
) -> list[list[str]]:
    """The command that writes a budget's back-translated corpus (``training.backtranslate``:
    it keeps one that is up to date), if the budget has one.  The translator is the one in
    ``out_root`` when this run trains it (``running``) or it is there, else the shipped one."""
    bt = budget.get("back_translate")
    if bt is None:
        return []
    here = Path(out_root) / bt["model"]
    here_or_shipped = bt["model"] in running or (here / "config.json").exists()
    checkpoint = here if here_or_shipped else Path("checkpoints") / bt["model"]
    at = extra.index("--threads") if "--threads" in extra else None
    threads = extra[at : at + 2] if at is not None else []
    return [
        [
            *(sys.executable, "-m", "training.backtranslate", "--checkpoint", str(checkpoint)),
            *("--corpus", bt["corpus"], "--out", budget["corpus"], "--beam", str(bt["beam"])),
            *threads,
        ]
    ]


def commands(
    model: tuple, extra: list[str], out_root: str, running: frozenset[str] = frozenset()
) -> list[list[str]]:
    """The commands that train one model of :data:`MODELS`: its back-translated corpus (if
    its budget has one, :func:`back_translation`), its first stages (if its budget has
    them: the budget with each stage's corpus, steps and evaluation, written to
    :func:`pretrained`, each starting from the one before), then :func:`command`, starting
    from the last of them."""
    name, budget, attention, score, changes = model
    base = {k: v for k, v in budget.items() if k not in BEFORE_TRAINING}
    stages, init = back_translation(budget, extra, out_root, running), None
    for i, stage in enumerate(first_stages(budget)):
        out = pretrained(name, i)
        stages.append(command(name, base | stage, attention, score, changes, extra, "",
                              out=out, init=init))  # fmt: skip
        init = out
    return [*stages, command(name, base, attention, score, changes, extra, out_root, init=init)]


def run_queue(
    queue: list,
    extra: list[str],
    log_prefix: str,
    out_root: str,
    finished: dict[str, threading.Event] | None = None,
    failed: set[str] | None = None,
) -> int:
    """Train the models of ``queue`` in order.  A model whose corpus another model of this
    run back-translates waits until that one has ``finished`` (it may train in another
    queue), and does not train if it ``failed``."""
    finished = finished if finished is not None else {}
    failed = failed if failed is not None else set()
    running = frozenset(finished)
    code = 0
    for model in queue:
        name = model[0]
        try:
            needed = back_translator(model)
            if needed in finished:
                finished[needed].wait()
                if needed in failed:
                    print(f"{name}: not trained, {needed} failed", file=sys.stderr, flush=True)
                    failed.add(name)
                    return 1
            print(f"{log_prefix}== {name}", flush=True)
            for cmd in commands(model, extra, out_root, running):
                code = subprocess.call(cmd)
                if code:
                    break
            if code:
                print(f"{name} failed with exit status {code}", file=sys.stderr, flush=True)
                failed.add(name)
                return code
        finally:
            if name in finished:
                finished[name].set()
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.recipe", description=__doc__)
    p.add_argument("--only", nargs="*", help="train only these names")
    p.add_argument("--jobs", type=int, default=1, help="queues run side by side")
    p.add_argument("--threads", type=int, default=0, help="CPU threads per run (0: 1 if jobs > 1)")
    p.add_argument("--device", default=None)
    p.add_argument("--quiet", action="store_true")
    p.add_argument(
        "--out-root",
        default="checkpoints",
        help="where the checkpoint folders go (a staging folder keeps the shipped ones "
        "untouched until a whole pair is trained)",
    )
    args = p.parse_args(argv)
    extra = (["--device", args.device] if args.device else []) + (["--quiet"] if args.quiet else [])
    threads = args.threads or (1 if args.jobs > 1 else 0)
    if threads:
        extra += ["--threads", str(threads)]
    models = [m for m in MODELS if not args.only or m[0] in args.only]
    # queues keep MODELS' order, where a back-translator comes before the models it serves
    queues = [models[i :: args.jobs] for i in range(args.jobs)]
    finished = {m[0]: threading.Event() for m in models}
    failed: set[str] = set()

    def run(numbered: tuple[int, list]) -> int:
        index, queue = numbered
        return run_queue(queue, extra, f"[{index}] ", args.out_root, finished, failed)

    with ThreadPoolExecutor(args.jobs) as pool:
        codes = list(pool.map(run, enumerate(queues)))
    return max(codes, default=0)


if __name__ == "__main__":
    sys.exit(main())
