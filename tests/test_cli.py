"""The translate command's JSON contract, and its one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from models.checkpoint import save_checkpoint
from models.text import split_words
from models.translate import main
from tests.conftest import KIND_IDS

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "the old teacher helps the small child ."


@pytest.fixture(scope="module")
def folders(trained, tmp_path_factory):
    root = tmp_path_factory.mktemp("checkpoints")
    return {
        name: save_checkpoint(root / f"en-xx-{name}", tr.model, tr.tokenizer, {"pair": "en-xx"})
        for name, (tr, _) in trained.items()
    }


def run_cli(capsys, *args):
    code = main([*map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def check_sequence(seq):
    assert len(seq["pieces"]) == len(seq["piece_to_word"])
    for piece, w in zip(seq["pieces"], seq["piece_to_word"]):
        assert (w == -1) == (piece == "</s>")
        assert -1 <= w < len(seq["words"])


@pytest.mark.parametrize("name", KIND_IDS)
@pytest.mark.parametrize("beam", [1, 4])
def test_json_contract(capsys, folders, name, beam):
    code, out, err = run_cli(
        capsys, SOURCE, "--checkpoint", folders[name], "--beam", beam, "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    src = data["source"]
    check_sequence(src)
    assert src["words"] == SOURCE.split()
    hyps = data["hypotheses"]
    assert len(hyps) == beam
    assert [h["norm_score"] for h in hyps] == sorted((h["norm_score"] for h in hyps), reverse=True)
    for hyp in hyps:
        check_sequence(hyp)
        assert hyp["words"] == split_words(hyp["text"])
        assert isinstance(hyp["score"], float)
        if name.startswith("none"):
            assert hyp["alphas"] is None
        else:
            assert len(hyp["alphas"]) == len(hyp["pieces"])
            assert all(len(row) == len(src["pieces"]) for row in hyp["alphas"])
            assert all(abs(sum(row) - 1) < 1e-4 for row in hyp["alphas"])
            # rounded to 6 decimals as written, no float32 noise (0.41475600004196167)
            assert all(x == round(x, 6) for row in hyp["alphas"] for x in row)


def test_force_and_prefix(capsys, folders):
    ck = folders["bahdanau-additive"]
    code, out, _ = run_cli(capsys, SOURCE, "--checkpoint", ck, "--force", "der hund .", "--json")
    assert code == 0
    hyp = json.loads(out)["hypotheses"][0]
    assert hyp["text"] == "der hund ." and hyp["pieces"][-1] == "</s>"
    code, out, _ = run_cli(capsys, SOURCE, "--checkpoint", ck, "--prefix", "der vogel", "--json")
    assert json.loads(out)["hypotheses"][0]["words"][:2] == ["der", "vogel"]


def test_json_words_split_glued_punctuation(capsys, folders):
    """``words`` / ``piece_to_word``: punctuation at a word's end is a word of its own,
    in the source and in the forced target; the text keeps its spacing."""
    ck = folders["luong-general"]
    source = "the old teacher helps the small child."
    code, out, _ = run_cli(capsys, source, "--checkpoint", ck, "--force", "der hund.", "--json")
    assert code == 0
    data = json.loads(out)
    src, hyp = data["source"], data["hypotheses"][0]
    assert src["words"][-2:] == ["child", "."] and src["text"] == source
    assert hyp["words"] == ["der", "hund", "."] and hyp["text"] == "der hund."
    for seq in (src, hyp):
        real = [w for w in seq["piece_to_word"] if w >= 0]
        assert real == sorted(real) and set(real) == set(range(len(seq["words"])))
    stop = [p for p, w in zip(hyp["pieces"], hyp["piece_to_word"]) if w == 2]
    assert stop and all(p.strip("\u2581") == "." for p in stop)


def test_notes_say_what_reading_did_to_a_forced_target(capsys, folders):
    """As the page does beside a forced reference: what the vocabulary lacks of it, in
    ``target_notes`` (JSON) and on stderr (text); a search has none."""
    ck = folders["luong-general"]
    code, out, _ = run_cli(capsys, SOURCE, "--checkpoint", ck, "--force", "der hund \u2603.",
                           "--json")  # fmt: skip
    assert code == 0
    notes = json.loads(out)["target_notes"]
    assert len(notes) == 1 and "lacks 1 character of the target: \u2603" in notes[0]
    code, out, err = run_cli(capsys, SOURCE, "--checkpoint", ck, "--force", "der hund \u2603.")
    assert code == 0 and "note: the forced target: This model's vocabulary lacks" in err
    code, out, _ = run_cli(capsys, SOURCE, "--checkpoint", ck, "--json")
    assert json.loads(out)["target_notes"] == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["", "--beam", "1"], "empty"),
        ([SOURCE, "--beam", "40"], "beam size"),
        ([SOURCE, "--device", "tpu"], "unknown device"),
    ],
)
def test_errors_are_one_line(capsys, folders, args, message):
    code, out, err = run_cli(capsys, *args, "--checkpoint", folders["luong-dot"], "--json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_missing_checkpoint_in_a_real_process(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "models.translate",
            "--checkpoint",
            str(tmp_path / "nope"),
            "--json",
            "hello",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: checkpoint 'nope': folder not found"


def test_real_process_prints_json(folders):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "models.translate",
            "--checkpoint",
            str(folders["luong-concat"]),
            "--device",
            "cpu",
            "--json",
            SOURCE,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["hypotheses"][0]["text"]
