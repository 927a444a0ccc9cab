"""Back-translation (``training.backtranslate``): which sentences it translates, which
synthetic sources it leaves out, the corpus it writes, and the recipe step that asks
for it."""

from __future__ import annotations

import json

import pytest

from tests.toy import toy_pairs
from training.backtranslate import main, rejected, synthetic_pairs, wanted

HINDI = "मैं घर जा रहा हूँ।"


def test_wanted_are_the_targets_of_sources_not_in_the_translators_language():
    """For a back-translator that writes Hindi: the English of the French pairs, each
    once and sorted (an English sentence that also has a Hindi pair among them too); not
    the English of the Hindi pairs alone, nor of a source with no letter (no script)."""
    rows = [
        (HINDI, "I am going home."),
        ("Je rentre.", "I am going home."),  # a Hindi pair's English too: still wanted
        ("Il pleut.", "It is raining."),
        ("Il pleut !", "It is raining."),
        ("123 ?", "123?"),
        (f"{HINDI} OK", "OK"),  # some Devanagari: a Hindi source
    ]
    assert wanted(rows, "hi") == ["I am going home.", "It is raining."]
    assert wanted(rows, "xx") == []  # a language without a script rule: none


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty"),
        ("  ", "empty"),
        ("मैं \u2047 हूँ", "unknown piece"),
        ("बहुत बहुत बहुत अच्छा", "loop"),
        ("बहुत बहुत अच्छा", None),  # twice is a language's own ("very very")
        ("a b a b a b", None),  # a repeated phrase is not caught: only a repeated word
        ("मैं घर जा रहा हूँ।", None),
    ],
)
def test_rejected_names_why_a_synthetic_source_is_left_out(text, reason):
    assert rejected(text) == reason


def test_synthetic_pairs_keep_order_and_count_each_reason():
    kept, dropped = synthetic_pairs(["a b", "", "x x x", "c"], ["A", "B", "C", "D"])
    assert kept == [("a b", "A"), ("c", "D")]
    assert dropped == {"empty": 1, "loop": 1}
    with pytest.raises(ValueError):
        synthetic_pairs(["a"], ["A", "B"])


@pytest.fixture(scope="module")
def back_translator(tmp_path_factory, trained):
    """The toy task's trained Bahdanau model saved as an English -> German checkpoint
    (German: Latin script), so Devanagari sources mark the targets it translates."""
    from models.checkpoint import save_checkpoint
    from models.seq2seq import Seq2Seq
    from tests.conftest import tiny_config

    translator, _ = trained["bahdanau-additive"]
    model = Seq2Seq(tiny_config(translator.tokenizer, "bahdanau", "additive", tgt_lang="de"))
    model.load_state_dict(translator.model.state_dict())
    folder = tmp_path_factory.mktemp("bt") / "en-de-bahdanau"
    card = {"pair": "en-de", "credit": "a toy task written for the tests"}
    save_checkpoint(folder, model.eval(), translator.tokenizer, card)
    return folder


def test_the_corpus_gets_one_synthetic_pair_per_wanted_sentence(back_translator, tmp_path):
    """train.tsv is the corpus's, then (the translator's greedy output, target) for each
    wanted target that passes ``rejected``; dev and test are copied byte for byte; the
    stats say what was done and credit the translator's data.  A second run keeps the
    folder; --force writes it again."""
    from models.checkpoint import load_checkpoint
    from models.engine import Translator
    from training.evaluate import translate_all

    english = [source for source, _ in toy_pairs(60)]
    corpus = tmp_path / "xx-en"
    corpus.mkdir()
    base = [f"{HINDI}\t{e}\n" for e in english[:40]] + [f"die katze\t{english[40]}\n"]
    (corpus / "train.tsv").write_text("".join(base), encoding="utf-8")
    (corpus / "dev.tsv").write_text(f"{HINDI}\tdev sentence\n", encoding="utf-8")
    (corpus / "test.tsv").write_text(f"{HINDI}\ttest sentence\n", encoding="utf-8")
    (corpus / "stats.json").write_text(json.dumps({"pair": "xx-en", "credit": "Tatoeba"}))
    out = tmp_path / "xx-en-bt"
    assert main(["--checkpoint", str(back_translator), "--corpus", str(corpus), "--out",
                 str(out)]) == 0  # fmt: skip

    loaded = load_checkpoint(back_translator)
    targets = sorted(set(english[:40]))
    outputs = translate_all(Translator(loaded.model, loaded.tokenizer, loaded.name), targets, 1)
    expected, dropped = synthetic_pairs(outputs, targets)
    lines = (out / "train.tsv").read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines == base + [f"{s}\t{t}\n" for s, t in expected]
    assert expected and all(s and s != t for s, t in expected)  # the model's own German
    for name in ("dev.tsv", "test.tsv"):
        assert (out / name).read_bytes() == (corpus / name).read_bytes()
    stats = json.loads((out / "stats.json").read_text())
    info = stats["back_translation"]
    assert stats["pair"] == "xx-en-bt" and info["checkpoint"] == "en-de-bahdanau"
    assert info["sentences"] == len(targets) == info["kept"] + sum(info["dropped"].values())
    assert info["train_pairs"] == len(base) + len(expected) and info["search"] == "greedy"
    assert stats["credit"] == (
        "Tatoeba; back-translations by en-de-bahdanau; a toy task written for the tests"
    )
    assert stats["splits"]["train"] == {"pairs": len(lines), "synthetic": len(expected)}

    (out / "train.tsv").write_text("kept\tas it is\n")
    assert main(["--checkpoint", str(back_translator), "--corpus", str(corpus), "--out",
                 str(out)]) == 0  # fmt: skip
    assert (out / "train.tsv").read_text() == "kept\tas it is\n"
    assert main(["--checkpoint", str(back_translator), "--corpus", str(corpus), "--out",
                 str(out), "--force"]) == 0  # fmt: skip
    assert (out / "train.tsv").read_text(encoding="utf-8").splitlines(keepends=True) == lines
    assert sorted(p.name for p in tmp_path.iterdir()) == [".xx-en-bt.lock", "xx-en", "xx-en-bt"]
    # a corpus built again (or a retrained translator, another search) is not up to date:
    # the next run writes the folder again without --force
    for change in ("corpus", "beam"):
        (out / "train.tsv").write_text("kept\tas it is\n")
        options = ["--beam", "2"] if change == "beam" else []
        if change == "corpus":
            (corpus / "test.tsv").write_text(f"{HINDI}\tanother test sentence\n", encoding="utf-8")
        assert main(["--checkpoint", str(back_translator), "--corpus", str(corpus), "--out",
                     str(out), *options]) == 0  # fmt: skip
        assert (out / "train.tsv").read_text() != "kept\tas it is\n", change
    assert (out / "test.tsv").read_text(encoding="utf-8") == f"{HINDI}\tanother test sentence\n"


def test_a_missing_checkpoint_or_corpus_is_an_error(back_translator, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["--checkpoint", str(tmp_path / "none"), "--corpus", str(tmp_path), "--out",
                 str(out)]) == 2  # fmt: skip
    assert "none/config.json not found" in capsys.readouterr().err
    assert main(["--checkpoint", str(back_translator), "--corpus", str(tmp_path / "no"),
                 "--out", str(out)]) == 2  # fmt: skip
    assert "no/train.tsv not found" in capsys.readouterr().err
    assert not out.exists()


def test_the_recipe_writes_hi_ens_corpus_before_each_of_its_models():
    """hi-en's models first ask for their back-translated corpus (the one they train on,
    from the corpus named, with the run's threads), by en-hi-bahdanau: the one this run
    trains into its out-root, else the shipped one; no other pair's models do.  In
    MODELS a back-translator comes before the models it serves (a queue keeps that order,
    so no queue waits on itself)."""
    from training.recipe import MODELS, back_translator, commands

    names = [m[0] for m in MODELS]
    for model in MODELS:
        cmds = commands(model, ["--threads", "1", "--quiet"], "staging")
        modules = [c[2] for c in cmds]
        name, budget = model[0], model[1]
        if name.startswith("hi-en-"):
            bt = cmds[0]
            assert modules == ["training.backtranslate", "training.train"], name
            assert bt[bt.index("--out") + 1] == budget["corpus"] == cmds[1][cmds[1].index(
                "--corpus") + 1]  # fmt: skip
            assert bt[bt.index("--checkpoint") + 1] == "checkpoints/en-hi-bahdanau"
            assert bt[bt.index("--corpus") + 1] == "corpora/hi-en-fr"
            assert bt[bt.index("--threads") + 1] == "1" and bt[bt.index("--beam") + 1] == "5"
            here = commands(model, [], "staging", frozenset({"en-hi-bahdanau"}))[0]
            assert here[here.index("--checkpoint") + 1] == "staging/en-hi-bahdanau"
            assert names.index(back_translator(model)) < names.index(name)
        else:
            assert "training.backtranslate" not in modules and back_translator(model) is None


def test_a_recipe_run_trains_hi_en_after_the_en_hi_model_it_back_translates_with(
    tmp_path, monkeypatch
):
    """Two queues side by side: hi-en-bahdanau's queue waits until en-hi-bahdanau (in the
    other queue, slow) has finished, then back-translates with that run's checkpoint; a
    failed en-hi leaves hi-en untrained."""
    import threading
    import time

    from training import recipe

    calls, lock = [], threading.Lock()

    def call(cmd, fail=False):
        out = cmd[cmd.index("--out") + 1]
        if out.endswith("en-hi-bahdanau") and cmd[2] == "training.train":
            time.sleep(0.3)
        with lock:
            calls.append(
                (cmd[2], out, cmd[cmd.index("--checkpoint") + 1] if "--checkpoint" in cmd else None)
            )
        return 1 if fail and out.endswith("en-hi-bahdanau") else 0

    monkeypatch.setattr(recipe.subprocess, "call", call)
    root = str(tmp_path / "staging")
    only = ["--only", "en-hi-bahdanau", "hi-en-bahdanau", "--jobs", "2", "--out-root", root]
    assert recipe.main(only) == 0
    en_hi_done = calls.index(("training.train", f"{root}/en-hi-bahdanau", None))
    bt = next(i for i, c in enumerate(calls) if c[0] == "training.backtranslate")
    assert en_hi_done < bt and calls[bt][2] == f"{root}/en-hi-bahdanau"
    assert calls[-1] == ("training.train", f"{root}/hi-en-bahdanau", None)

    calls.clear()
    monkeypatch.setattr(recipe.subprocess, "call", lambda cmd: call(cmd, fail=True))
    assert recipe.main(only) == 1
    assert all("hi-en" not in c[1] for c in calls)
