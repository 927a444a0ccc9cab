"""Every model kind learns the toy task (reordering included) in a few hundred steps."""

from __future__ import annotations

import math

import pytest

from tests.conftest import KIND_IDS
from tests.toy import toy_pairs

HELD_OUT = toy_pairs(400)[350:]


@pytest.mark.parametrize("name", KIND_IDS)
def test_every_kind_trains(trained, name):
    translator, prog = trained[name]
    assert prog.step == 250 and prog.stopped == "step limit"
    first, last = prog.history[0], prog.history[-1]
    assert last["train_loss"] < 0.5 * math.log(translator.cfg.vocab_size)
    assert last["train_loss"] < 0.5 * first["train_loss"]
    assert prog.best_dev < 1.0
    exact = sum(translator.translate(s).best.text == t for s, t in HELD_OUT[:20])
    floor = 1 if name.startswith("none") else 10  # the bottleneck learns it much slower
    assert exact >= floor, f"{name}: {exact}/20 held-out sentences exact"


REORDERED = [
    ("the cat sees the dog .", "der katze der hund sieht .", "sees"),
    ("the old man helps the bird .", "der alte mann der vogel hilft .", "helps"),
    ("the king paints the happy woman .", "der koenig der frohe frau malt .", "paints"),
]


@pytest.mark.parametrize("name", KIND_IDS[1:])
def test_attention_learns_the_verb_final_reordering(trained, name):
    """The verb is last in the target: its row should attend to the source verb,
    several words earlier (checked on 3 sentences; at least 2 must show it)."""
    translator, _ = trained[name]
    hits = 0
    for source, target, verb_word in REORDERED:
        trace = translator.translate(source, force=target)
        hyp, src = trace.best, trace.source
        verb = len(hyp.words) - 2
        rows = [i for i, w in enumerate(hyp.piece_to_word) if w == verb]
        top = hyp.alphas[rows].sum(0).argmax()
        hits += src.words[src.piece_to_word[top]] == verb_word
    assert hits >= 2


@pytest.mark.parametrize("source_dropout", [0.0, 0.2])
def test_training_resumes_where_it_stopped(tokenizer, pairs, tmp_path, source_dropout):
    """Two runs of 40 + 40 steps end with the same weights as one run of 80 (with word
    dropout too: the resumed run draws the same dropped pieces)."""
    import torch

    from models.seq2seq import Seq2Seq
    from tests.conftest import id_pairs, tiny_config
    from training.loop import TrainSettings, train

    data = id_pairs(tokenizer, pairs)
    cfg = tiny_config(tokenizer, "luong", "dot", dropout=0.1)

    def run(steps: int, state_dir):
        torch.manual_seed(0)
        model = Seq2Seq(cfg)
        settings = TrainSettings(
            steps=steps, batch_size=32, eval_every=40, patience=99, source_dropout=source_dropout
        )
        return model, train(model, data[:300], data[300:], settings, state_dir)

    straight, p1 = run(80, tmp_path / "a")
    run(40, tmp_path / "b")
    resumed, p2 = run(80, tmp_path / "b")
    assert p1.step == p2.step == 80

    def timeless(history):
        return [{k: v for k, v in h.items() if k != "seconds"} for h in history]

    assert timeless(p1.history) == timeless(p2.history)
    for (name, a), b in zip(straight.state_dict().items(), resumed.state_dict().values()):
        assert torch.equal(a, b), name


def test_sampled_pieces_change_each_epoch_and_a_resumed_run_draws_them_again(
    tokenizer, pairs, tmp_path
):
    """Subword regularization: each epoch trains on other pieces of the same rows (the
    batches follow the rows), and 40 + 40 steps end as one run of 80 (the draws of a
    resumed epoch are the draws it made before)."""
    import torch

    from models.seq2seq import Seq2Seq
    from tests.conftest import tiny_config
    from training.corpus import encode_pairs, sample_pairs
    from training.loop import TrainSettings, train

    kept: list = []
    best = encode_pairs(tokenizer, pairs[:300], 100, kept)
    drawn: list[int] = []

    def resample(epoch: int) -> list:
        drawn.append(epoch)
        return sample_pairs(tokenizer, kept, best, 100, 0.2, 1000 + epoch)

    first, second = resample(0), resample(1)
    assert len(first) == len(best) and first != best and first != second
    assert [tokenizer.decode(s).text for s, _ in first] == [
        tokenizer.decode(s).text for s, _ in best
    ]
    cfg = tiny_config(tokenizer, "bahdanau", "additive", dropout=0.1)
    dev = encode_pairs(tokenizer, pairs[300:], 100)

    def run(steps: int, state_dir):
        torch.manual_seed(0)
        model = Seq2Seq(cfg)
        settings = TrainSettings(steps=steps, batch_size=32, eval_every=40, patience=99,
                                 label_smoothing=0.1)  # fmt: skip
        return model, train(model, best, dev, settings, state_dir, resample=resample)

    drawn.clear()
    straight, p1 = run(80, tmp_path / "a")
    assert drawn == list(range(8))  # 10 batches an epoch
    run(40, tmp_path / "b")
    resumed, p2 = run(80, tmp_path / "b")
    assert p1.step == p2.step == 80
    for (name, a), b in zip(straight.state_dict().items(), resumed.state_dict().values()):
        assert torch.equal(a, b), name


def test_label_smoothing_spreads_the_training_target_and_leaves_the_dev_loss_plain(
    tokenizer, pairs
):
    """With smoothing e the training loss is (1 - e) x cross-entropy + e x the mean
    negative log-probability over the vocabulary; the dev loss stays the cross-entropy."""
    import torch
    import torch.nn.functional as F

    from models.seq2seq import Seq2Seq
    from tests.conftest import id_pairs, tiny_config
    from training.loop import batch_loss, evaluate

    torch.manual_seed(0)
    model = Seq2Seq(tiny_config(tokenizer, "luong", "general")).eval()
    data = id_pairs(tokenizer, pairs[:8])
    plain, n = batch_loss(model, data, torch.device("cpu"))
    smooth, _ = batch_loss(model, data, torch.device("cpu"), smoothing=0.1)
    cfg = model.cfg
    from models.search import pad_ids

    src, lengths = pad_ids([s for s, _ in data], cfg.pad_id, "cpu")
    tgt_in, _ = pad_ids([[cfg.bos_id, *t[:-1]] for _, t in data], cfg.pad_id, "cpu")
    tgt_out, _ = pad_ids([t for _, t in data], cfg.pad_id, "cpu")
    with torch.no_grad():
        outs, _ = model.readouts(src, lengths, tgt_in)
        real = tgt_out != cfg.pad_id
        logp = F.log_softmax(model.logits(outs[real]).float(), -1)
        uniform = -logp.mean(-1).sum()
    smooth, plain = smooth.detach(), plain.detach()  # the losses kept their graphs
    assert float(smooth) == pytest.approx(0.9 * float(plain) + 0.1 * float(uniform), rel=1e-5)
    assert evaluate(model, data) == pytest.approx(float(plain) / n, rel=1e-5)


def test_recipe_commands_carry_each_models_settings():
    """Every recipe command, as ``training.train`` parses it, holds the model's own
    attention and score, its pair's corpus and budget, the shared sizes with the
    model's changes, and writes to ``<out_root>/<name>``; options given after the
    recipe's override them (argparse keeps the last)."""
    from training.recipe import MODELS, OPTIONAL, OPTIONS, command, model_options
    from training.train import parse_args

    assert len({m[0] for m in MODELS}) == len(MODELS)
    for name, budget, attention, score, changes in MODELS:
        args = parse_args(command(name, budget, attention, score, changes, [], "staging")[3:])
        assert (args.attention, args.score) == (attention, score), name
        assert str(args.out) == f"staging/{name}" and str(args.corpus) == budget["corpus"]
        assert (args.steps, args.minutes) == (budget["steps"], budget["minutes"]), name
        sizes = model_options(budget, changes)
        assert {k: getattr(args, k) for k in sizes} == sizes, name
        assert {k: getattr(args, k) for k in OPTIONS} == {k: budget[k] for k in OPTIONS}
        given = {k: budget[k] for k in OPTIONAL if k in budget}
        assert {k: type(v)(getattr(args, k)) for k, v in given.items()} == given, name
    name, budget, attention, score, changes = MODELS[0]
    later = ["--steps", "7", "--dropout", "0.5", "--quiet"]
    args = parse_args(command(name, budget, attention, score, changes, later, "x")[3:])
    assert args.steps == 7 and args.dropout == 0.5 and args.quiet


def test_recipe_is_fair_within_each_pair():
    """What the recipe promises for the app's comparison: a model's name starts with
    its pair and names its attention; within a pair every model shares one budget
    (corpus, steps, minutes, dropout), and only models without attention change the
    sizes. A corpus named after another pair's data (en-fr-bible) names its pair."""
    from training.recipe import MODELS

    pairs: dict[str, list] = {}
    for name, budget, attention, score, changes in MODELS:
        pair = "-".join(name.split("-")[:2])
        assert budget.get("pair", budget["corpus"].split("/")[-1]) == pair, name
        assert name == f"{pair}-{attention}" + (f"-{score}" if attention == "luong" else "")
        assert not changes or attention == "none", f"{name} changes the shared sizes"
        pairs.setdefault(pair, []).append(budget)
    for pair, budgets in pairs.items():
        assert all(b == budgets[0] for b in budgets), pair
    assert {"none", "bahdanau"} <= {m[2] for m in MODELS}


def test_pair_corpus_is_the_corpus_a_pairs_models_train_on():
    """The aligner's reference line and the long-sentence set read a pair's training
    corpus from the recipe: it is the one in each of that pair's training commands."""
    from training.recipe import MODELS, command, pair_corpus
    from training.train import parse_args

    for name, budget, attention, score, changes in MODELS:
        args = parse_args(command(name, budget, attention, score, changes, [], "x")[3:])
        assert str(args.corpus) == pair_corpus("-".join(name.split("-")[:2])), name
    assert pair_corpus("xx-yy") is None


@pytest.mark.parametrize("attention,score", [("none", "none"), ("bahdanau", "additive")])
def test_batched_loss_equals_the_step_by_step_loss(tokenizer, pairs, attention, score):
    """The training loss projects only the real target positions, in one call; it must
    equal the summed log-probabilities of the model's own step function and of its
    teacher-forced forward, and its gradient must reach the encoder."""
    import torch

    from models.search import pad_ids
    from models.seq2seq import Seq2Seq
    from tests.conftest import id_pairs, tiny_config
    from training.loop import batch_loss

    torch.manual_seed(3)
    model = Seq2Seq(tiny_config(tokenizer, attention, score)).eval()
    batch = id_pairs(tokenizer, pairs)[:24]  # lengths differ: targets are padded
    cfg, cpu = model.cfg, torch.device("cpu")
    loss, n = batch_loss(model, batch, cpu)

    expected, count = 0.0, 0
    with torch.no_grad():
        for src_ids, tgt_ids in batch:
            memory = model.encode(*pad_ids([src_ids], cfg.pad_id, cpu))
            state, prev = model.init_state(memory), torch.tensor([cfg.bos_id])
            for gold in tgt_ids:
                lp, state, _ = model.step(memory, state, prev)
                expected -= float(lp[0, gold])
                prev, count = torch.tensor([gold]), count + 1
        src, lengths = pad_ids([s for s, _ in batch], cfg.pad_id, cpu)
        tgt_in, _ = pad_ids([[cfg.bos_id, *t[:-1]] for _, t in batch], cfg.pad_id, cpu)
        log_probs, _ = model(src, lengths, tgt_in)
    forced = -sum(
        float(log_probs[i, t, g]) for i, (_, y) in enumerate(batch) for t, g in enumerate(y)
    )

    assert n == count
    assert loss.item() == pytest.approx(expected, rel=1e-5)
    assert forced == pytest.approx(expected, rel=1e-5)
    loss.backward()
    assert model.encoder.rnn.weight_hh_l0.grad.abs().sum() > 0


def _train_tiny(pairs, tmp_path, out, attention: str, *options: str) -> int:
    """``training.train`` on a TSV of ``pairs`` with tiny sizes; ``options`` come last
    (argparse keeps the last value of a repeated option)."""
    from training.train import main

    tsv = tmp_path / "en-xx.tsv"
    tsv.write_text("".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")
    args = ["--tsv", str(tsv), "--attention", attention, "--out", str(out), "--runs",
            str(tmp_path / "runs"), "--vocab", "100", "--emb", "16", "--enc-hidden", "8",
            "--dec-hidden", "16", "--attn-dim", "8", "--steps", "2", "--eval-every", "2",
            "--batch-size", "8", "--quiet", *options]  # fmt: skip
    return main(args)


def test_train_command_writes_a_checkpoint_and_honours_max_words(pairs, tmp_path):
    """The command end to end on a TSV: the checkpoint folder loads, and --max-words
    leaves out the training pairs with a side over that many words (card records it)."""
    import json

    from models.checkpoint import load_checkpoint
    from training.corpus import is_dev

    out = tmp_path / "en-xx-bahdanau"
    assert _train_tiny(pairs, tmp_path, out, "bahdanau", "--max-words", "6", "--steps", "3") == 0
    card = json.loads((out / "card.json").read_text())
    train = [(s, t) for s, t in pairs if not is_dev(s)]
    short = [p for p in train if max(len(p[0].split()), len(p[1].split())) <= 6]
    assert 0 < len(short) < len(train)
    assert card["training"]["train_pairs"] == len(short) and card["training"]["max_words"] == 6
    assert card["training"]["steps"] == 3
    assert load_checkpoint(out).config.attention == "bahdanau"


def test_source_dropout_reads_source_pieces_as_unknown_and_keeps_the_end():
    """Word dropout: about ``share`` of the source pieces become <unk>; the end token and
    the target never change; share 0 changes nothing."""
    import torch

    from training.loop import drop_source_pieces

    batch = [(list(range(10, 60)) + [3], [5, 6, 3]) for _ in range(40)]
    assert drop_source_pieces(batch, 0.0, 1) == batch
    torch.manual_seed(0)
    dropped = drop_source_pieces(batch, 0.25, 1)
    unknown = sum(s.count(1) for s, _ in dropped)
    assert 0.2 < unknown / (40 * 50) < 0.3
    for (src, tgt), (orig_src, orig_tgt) in zip(dropped, batch):
        assert src[-1] == 3 and tgt == orig_tgt and len(src) == len(orig_src)
        assert all(a in (b, 1) for a, b in zip(src, orig_src))
    assert all(s[:-1] == [1] * 50 for s, _ in drop_source_pieces(batch, 1.0, 1))


@pytest.mark.parametrize("share", ["1", "1.5", "-0.1"])
def test_source_dropout_out_of_range_is_refused(share, capsys):
    from training.train import parse_args

    with pytest.raises(SystemExit):
        parse_args(
            ["--tsv", "x.tsv", "--attention", "none", "--out", "o", "--source-dropout", share]
        )
    assert "--source-dropout must be at least 0 and below 1" in capsys.readouterr().err


def test_train_command_records_label_smoothing_and_sampled_pieces(pairs, tmp_path):
    """The three regularizers reach the run and its card; a run without them records
    none."""
    import json

    with_them, without = tmp_path / "en-xx-with", tmp_path / "en-xx-without"
    options = ("--label-smoothing", "0.1", "--subword-alpha", "0.3", "--source-dropout", "0.1")
    assert _train_tiny(pairs, tmp_path, with_them, "bahdanau", *options) == 0
    assert _train_tiny(pairs, tmp_path, without, "bahdanau") == 0
    card = json.loads((with_them / "card.json").read_text())["training"]
    assert card["label_smoothing"] == 0.1 and card["subword_alpha"] == 0.3
    assert card["source_dropout"] == 0.1
    plain = json.loads((without / "card.json").read_text())["training"]
    assert not {"label_smoothing", "subword_alpha", "source_dropout"} & set(plain)


def test_train_command_builds_a_left_to_right_encoder(pairs, tmp_path):
    """--directions 1: the saved config, the card and the loaded model have one direction."""
    import json

    from models.checkpoint import load_checkpoint

    out = tmp_path / "en-xx-none"
    assert _train_tiny(pairs, tmp_path, out, "none", "--enc-hidden", "16", "--directions", "1") == 0
    assert json.loads((out / "card.json").read_text())["bidirectional"] is False
    loaded = load_checkpoint(out)
    assert loaded.config.bidirectional is False and loaded.config.annotation_dim == 16
    assert not loaded.model.encoder.rnn.bidirectional


def test_init_starts_from_a_checkpoints_weights(pairs, tmp_path, capsys):
    """``--init``: a run with learning rate 0 from a checkpoint writes that checkpoint's
    weights back unchanged and names it in its card; a config that differs is refused."""
    import json

    import torch

    from models.checkpoint import load_checkpoint
    from training.train import main

    tsv = tmp_path / "en-xx.tsv"
    tsv.write_text("".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")
    common = ["--tsv", str(tsv), "--pair", "en-xx", "--attention", "bahdanau", "--vocab", "100",
              "--emb", "16", "--enc-hidden", "8", "--dec-hidden", "16", "--attn-dim", "8",
              "--eval-every", "5", "--batch-size", "8", "--quiet",
              "--dtype", "float32"]  # fmt: skip
    first, second = tmp_path / "first", tmp_path / "second"
    assert main([*common, "--steps", "10", "--out", str(first), "--runs", str(tmp_path / "a")]) == 0
    again = [*common, "--tokenizer", str(first / "tokenizer.model"), "--init", str(first)]
    assert main([*again, "--steps", "5", "--lr", "0", "--out", str(second),
                 "--runs", str(tmp_path / "b")]) == 0  # fmt: skip
    a, b = load_checkpoint(first).model.state_dict(), load_checkpoint(second).model.state_dict()
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert json.loads((second / "card.json").read_text())["training"]["init"] == "first"
    wider = list(again)
    wider[wider.index("--emb") + 1] = "24"
    assert main([*wider, "--steps", "1", "--out", str(tmp_path / "c"),
                 "--runs", str(tmp_path / "c-runs")]) == 2  # fmt: skip
    assert "another config" in capsys.readouterr().err


def test_tokenizer_corpus_trains_the_pairs_tokenizer_on_that_corpus_alone(tmp_path):
    """``--tokenizer-corpus``: the new tokenizer learns from that corpus's train.tsv, not
    from the training rows (long verses mixed into an everyday corpus), and is kept in
    runs/<pair>/ for the pair's other models."""
    import argparse

    from training.corpus import read_tsv
    from training.train import get_tokenizer

    everyday = tmp_path / "everyday"
    everyday.mkdir()
    rows = [(f"the house number {i} is small", f"la maison {i} est petite") for i in range(300)]
    (everyday / "train.tsv").write_text("".join(f"{s}\t{t}\n" for s, t in rows))
    verses = [("zqxj wvkp " * 20, "zqxj wvkp " * 20)] * 300  # words the tokenizer must not learn
    args = argparse.Namespace(tokenizer=None, runs=tmp_path / "runs", vocab=100,
                              tokenizer_corpus=everyday)  # fmt: skip
    tok = get_tokenizer(args, "en-fr", verses + read_tsv(everyday / "train.tsv"))
    assert (tmp_path / "runs" / "en-fr" / "tokenizer.model").exists()
    unk = tok.specials()["unk_id"]
    assert unk not in tok.encode("la maison", 10).ids
    assert unk in tok.encode("zqxj", 10).ids  # the verses' letters were never seen
    args.tokenizer_corpus, args.runs = None, tmp_path / "other"  # without: learnt from all rows
    assert unk not in get_tokenizer(args, "en-fr", verses + rows).encode("zqxj", 10).ids


def test_runs_of_one_pair_started_together_share_one_tokenizer(tmp_path, monkeypatch):
    """Runs of a pair started side by side (``training.recipe --jobs 3``) find no tokenizer
    yet: one trains it while the others wait on the lock, and all read the same file."""
    import argparse
    import threading
    import time

    import training.train as train_module
    from models.tokenizer import train_tokenizer

    calls = []

    def slow_training(texts, vocab):
        calls.append(vocab)
        time.sleep(0.3)  # long enough for the other runs to arrive while it trains
        return train_tokenizer(texts, vocab)

    monkeypatch.setattr(train_module, "train_tokenizer", slow_training)
    rows = [(f"the house number {i} is small", f"la maison {i} est petite") for i in range(300)]
    args = argparse.Namespace(tokenizer=None, runs=tmp_path, vocab=100, tokenizer_corpus=None)
    got = {}

    def run(k):
        got[k] = train_module.get_tokenizer(args, "en-fr", rows)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    pieces = {k: tok.encode("la maison 7 est petite", 20).ids for k, tok in got.items()}
    assert len(set(map(tuple, pieces.values()))) == 1 and len(pieces) == 3


def test_a_staged_recipe_trains_its_first_stages_then_starts_from_the_last(
    pairs, tmp_path, monkeypatch
):
    """A budget with ``pretrain`` stages (the en-hi models): its first command trains on
    the first stage's corpus for its steps into :func:`pretrained` (never the shipped
    folder), the second starts from it on the second stage's corpus, the last from that
    on the budget's corpus, all with the same tokenizer and sizes; the card records every
    stage, and the report counts their steps."""
    import json

    from models.checkpoint import load_checkpoint
    from training.recipe import MODELS, commands, pretrained, total_steps
    from training.report import training_stages
    from training.train import main, parse_args

    monkeypatch.chdir(tmp_path)
    for name, rows in (("mix", pairs), ("xx-en", pairs[:120])):
        folder = tmp_path / "corpora" / name
        folder.mkdir(parents=True)
        for split, part in (("train", rows[:-20]), ("dev", rows[-20:])):
            (folder / f"{split}.tsv").write_text("".join(f"{s}\t{t}\n" for s, t in part))
        credit = "Toy pairs; toy verses" if name == "mix" else "Toy pairs"
        (folder / "stats.json").write_text(json.dumps({"credit": credit}))
    budget = {"corpus": "corpora/xx-en", "pair": "xx-en", "tokenizer_corpus": "corpora/mix",
              "domain": "toy", "steps": 3, "minutes": 0, "dropout": 0.0, "vocab": 100,
              "batch_size": 8, "lr": 1e-3, "eval_every": 3, "patience": 2,
              "sizes": {"emb": 16, "enc_hidden": 8, "dec_hidden": 16, "attn_dim": 8,
                        "directions": 2},
              "pretrain": [{"corpus": "corpora/mix", "steps": 4, "eval_every": 2},
                           {"corpus": "corpora/xx-en", "steps": 2}]}  # fmt: skip
    assert total_steps(budget) == 9
    model = ("xx-en-bahdanau", budget, "bahdanau", "additive", {})
    # with both regularizers: each stage samples the pieces of its own rows
    extra = ["--quiet", "--dtype", "float32", "--label-smoothing", "0.1", "--subword-alpha", "0.3"]
    first, second, last = commands(model, extra, "shipped")
    a, b, c = (parse_args(cmd[3:]) for cmd in (first, second, last))
    assert str(a.out) == pretrained("xx-en-bahdanau") and a.init is None
    assert (str(a.corpus), a.steps, a.eval_every) == ("corpora/mix", 4, 2)
    assert str(b.out) == pretrained("xx-en-bahdanau", 1) != str(a.out)
    assert (str(b.corpus), b.steps, b.eval_every) == ("corpora/xx-en", 2, 3)
    assert str(b.init) == str(a.out)
    assert (str(c.out), str(c.corpus), c.steps, c.eval_every) == (
        "shipped/xx-en-bahdanau",
        "corpora/xx-en",
        3,
        3,
    )
    assert str(c.init) == str(b.out)
    assert all(main(cmd[3:]) == 0 for cmd in (first, second, last))
    start, end = load_checkpoint(a.out), load_checkpoint(c.out)
    assert start.config == end.config and start.tokenizer.model_proto == end.tokenizer.model_proto
    card = json.loads((c.out / "card.json").read_text())["training"]
    assert card["init"] == "xx-en-bahdanau-pretrain2" and card["steps"] == 3
    assert card["subword_alpha"] == 0.3 and card["label_smoothing"] == 0.1
    assert card["init_training"]["steps"] == 2
    assert card["init_training"]["init"] == "xx-en-bahdanau-pretrain"
    assert card["init_training"]["init_training"]["steps"] == 4
    assert card["init_training"]["init_training"]["data"] == "corpora/mix (train.tsv, dev.tsv)"
    assert [stage["steps"] for stage in training_stages(card)] == [4, 2, 3]
    # every stage's data is credited, each source once
    assert json.loads((c.out / "card.json").read_text())["credit"] == "Toy pairs; toy verses"
    # the shipped staged models: every one of a pair has the same stages
    staged = [m for m in MODELS if "pretrain" in m[1]]
    assert {m[0] for m in staged} == {"en-hi-bahdanau", "en-hi-none"}
