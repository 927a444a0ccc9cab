"""The recipe timer: the recipe's own commands cut short, and their figures scaled."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from training.recipe import MODELS
from training.timing import last_json, run_summary, scale, table, timing_command
from training.train import parse_args

BY_NAME = {m[0]: m for m in MODELS}


@pytest.mark.parametrize("name", ["es-en-none", "en-fr-luong-dot", "hi-en-bahdanau"])
def test_the_short_run_keeps_the_recipe_sizes_and_writes_only_to_scratch(name, tmp_path):
    model = BY_NAME[name]
    recipe = parse_args(timing_command(model, 10**9, tmp_path, [])[3:])  # the full recipe's
    short = parse_args(timing_command(model, 600, tmp_path, ["--threads", "2"])[3:])
    assert short.steps == 600 and short.eval_every == 600 and short.minutes == 0
    assert short.out == tmp_path / name and short.runs == tmp_path / "runs"
    shipped = Path("checkpoints") / name / "tokenizer.model"
    assert short.tokenizer == (shipped if shipped.exists() else None)
    assert short.threads == 2 and short.corpus == recipe.corpus
    sizes = ("emb", "enc_hidden", "dec_hidden", "attn_dim", "directions", "dropout", "vocab")
    sizes += ("batch_size",)
    assert [getattr(short, k) for k in sizes] == [getattr(recipe, k) for k in sizes]
    assert (short.attention, short.score) == model[2:4]


def test_scaling_and_table():
    row = scale("m", seconds=60.0, steps=600, budget_steps=8000)
    assert row["steps_per_s"] == 10.0 and row["budget_minutes"] == pytest.approx(13.3)
    text = table([row, scale("n", 30.0, 600, 12000)], "CUDA")
    assert "| m | 60.0 (600 steps) | 10.0 | 13.3 (8,000 steps) |" in text
    assert text.splitlines()[-1] == "| all, one after the other | | | 23.3 |"  # 13.3 + 10.0


def test_a_real_short_run_is_read_back(pairs, tmp_path):
    """One tiny run of a recipe command on a toy corpus: its summary and hardware lines
    are what the timer reads."""
    corpus = tmp_path / "corpora" / "en-xx"
    corpus.mkdir(parents=True)
    for split, rows in (("train", pairs[:300]), ("dev", pairs[300:340])):
        (corpus / f"{split}.tsv").write_text("".join(f"{s}\t{t}\n" for s, t in rows))
    tiny = {"emb": 16, "enc_hidden": 8, "dec_hidden": 16, "attn_dim": 8, "directions": 2}
    budget = {"corpus": str(corpus), "steps": 12000, "minutes": 0, "dropout": 0.1,
              "vocab": 100, "batch_size": 8, "lr": 2e-3, "eval_every": 400, "patience": 4,
              "domain": "toy sentences", "sizes": tiny}  # fmt: skip
    model = ("en-xx-bahdanau", budget, "bahdanau", "additive", {})
    cmd = timing_command(model, 3, tmp_path, [])
    assert cmd[0] == sys.executable
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-1000:]
    summary = run_summary(done.stderr)
    assert summary["steps"] == 3 and summary["seconds_this_run"] > 0
    assert summary["hardware"].startswith(("CPU", "GPU: "))
    assert (tmp_path / "en-xx-bahdanau" / "model.safetensors").exists()
    with pytest.raises(ValueError):
        last_json("no summary here\n")


def test_the_summary_is_read_as_json_not_from_the_progress_lines(tmp_path):
    """Only the JSON line and the card count: progress text, even one that looks like
    the old human-readable line, is ignored."""
    out = tmp_path / "m"
    out.mkdir()
    (out / "card.json").write_text(json.dumps({"training": {"hardware": "GPU: H200"}}))
    stderr = "\n".join([
        "m: 10 training pairs, 2 dev, 1,234 parameters, CPU (2 threads)",
        "{not json",
        json.dumps({"out": str(out), "steps": 7, "seconds_this_run": 1.5}),
        "",
    ])  # fmt: skip
    summary = run_summary(stderr)
    assert summary == {"out": str(out), "steps": 7, "seconds_this_run": 1.5,
                       "hardware": "GPU: H200"}  # fmt: skip
    with pytest.raises(ValueError, match="no JSON summary"):
        last_json("step 10 {loss 3.2}\n[1, 2]\n")


def test_a_back_translated_corpus_not_written_yet_is_timed_on_the_one_it_adds_to(
    tmp_path, monkeypatch
):
    """hi-en's recipe trains on corpora/hi-en-fr-bt, which the recipe writes itself: until
    it exists, the timer runs on corpora/hi-en-fr (a step costs the same)."""
    model = BY_NAME["hi-en-bahdanau"]
    monkeypatch.chdir(tmp_path)
    args = parse_args(timing_command(model, 600, tmp_path, [])[3:])
    assert str(args.corpus) == model[1]["back_translate"]["corpus"] == "corpora/hi-en-fr"
    written = tmp_path / model[1]["corpus"]
    written.mkdir(parents=True)
    (written / "train.tsv").write_text("a\tb\n")
    assert (
        str(parse_args(timing_command(model, 600, tmp_path, [])[3:]).corpus) == model[1]["corpus"]
    )
