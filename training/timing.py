"""Time the recipe: a short run of each model with the recipe's own settings, scaled
to its step budget.

    python -m training.timing [--only NAME ...] [--steps 600] [--device cpu|cuda]
        [--threads 2]

Each model trains ``--steps`` steps with one dev evaluation, in a scratch folder (the
shipped checkpoints and ``runs/`` are not touched), with its pair's shipped tokenizer.
The seconds include that evaluation and the export, so the scaled minutes are a little
pessimistic.  Prints a Markdown table and, last, one JSON line with the figures and the
recipe's total minutes when the models run one after the other.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from .recipe import BEFORE_TRAINING, MODELS, command, total_steps


def timing_command(model: tuple, steps: int, scratch: Path, extra: list[str]) -> list[str]:
    """The recipe's command for ``model`` cut to ``steps`` steps, evaluated once, writing
    only under ``scratch``; later options override the recipe's (argparse keeps the last).
    A two-stage model is timed on its last stage started afresh: both stages train the same
    network, so a step costs the same.  A model whose corpus is back-translated is timed on
    the corpus it adds to where that corpus is not written yet (sentences of the same
    kind, the same network)."""
    name, budget, *kind = model  # kind: attention, score, changes to the sizes
    short = {k: v for k, v in budget.items() if k not in BEFORE_TRAINING}
    short |= {"steps": steps, "minutes": 0}
    bt = budget.get("back_translate")
    if bt and not (Path(budget["corpus"]) / "train.tsv").exists():
        short["corpus"] = bt["corpus"]
    overrides = ["--eval-every", str(steps), "--runs", str(scratch / "runs"), "--quiet"]
    tokenizer = Path("checkpoints") / name / "tokenizer.model"
    if tokenizer.exists():
        overrides += ["--tokenizer", str(tokenizer)]
    return command(name, short, *kind, [*overrides, *extra], str(scratch))


def last_json(stderr: str) -> dict:
    """The JSON summary ``training.train`` prints last on stderr (its other lines are
    progress for people)."""
    for line in reversed(stderr.splitlines()):
        try:
            summary = json.loads(line)
        except ValueError:
            continue
        if isinstance(summary, dict):
            return summary
    raise ValueError("no JSON summary line in the training output")


def run_summary(stderr: str) -> dict:
    """The run's JSON summary with the hardware it trained on, read from the card
    (``card.json``) the run wrote into its ``out`` folder."""
    summary = last_json(stderr)
    card = json.loads((Path(summary["out"]) / "card.json").read_text(encoding="utf-8"))
    return {**summary, "hardware": card["training"]["hardware"]}


def scale(name: str, seconds: float, steps: int, budget_steps: int) -> dict:
    per_second = steps / seconds
    return {
        "model": name,
        "seconds": round(seconds, 1),
        "steps": steps,
        "steps_per_s": round(per_second, 2),
        "budget_steps": budget_steps,
        "budget_minutes": round(budget_steps / per_second / 60, 1),
    }


def total_minutes(rows: list[dict]) -> float:
    """The recipe's minutes when the models run one after the other."""
    return round(sum(r["budget_minutes"] for r in rows), 1)


def table(rows: list[dict], where: str) -> str:
    lines = [
        f"| model | seconds for the short run | steps/s | minutes for the budget ({where}) |",
        "|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['seconds']} ({r['steps']} steps) | {r['steps_per_s']} "
            f"| {r['budget_minutes']} ({r['budget_steps']:,} steps) |"
        )
    lines.append(f"| all, one after the other | | | {total_minutes(rows):.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.timing", description=__doc__)
    p.add_argument("--only", nargs="*", help="time only these names")
    p.add_argument("--steps", type=int, default=600)
    p.add_argument("--device", default=None, help="cpu or cuda (default: cuda if present)")
    p.add_argument("--threads", type=int, default=0, help="CPU threads (0: torch default)")
    args = p.parse_args(argv)
    extra = ["--device", args.device] if args.device else []
    extra += ["--threads", str(args.threads)] if args.threads else []
    rows, where = [], "unknown"
    with tempfile.TemporaryDirectory(prefix="recipe-timing-") as tmp:
        for model in (m for m in MODELS if not args.only or m[0] in args.only):
            cmd = timing_command(model, args.steps, Path(tmp), extra)
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode:
                print(done.stderr[-2000:], file=sys.stderr)
                return done.returncode
            summary = run_summary(done.stderr)
            rows.append(scale(model[0], summary["seconds_this_run"], summary["steps"],
                              total_steps(model[1])))  # fmt: skip
            where = summary["hardware"]
            print(f"{model[0]}: {rows[-1]['steps_per_s']} steps/s on {where}", file=sys.stderr)
    print(table(rows, where))
    print(json.dumps({"hardware": where, "models": rows, "total_minutes": total_minutes(rows)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
