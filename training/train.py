"""Train one translator and write its checkpoint folder.

    python -m training.train --corpus corpora/en-de --attention bahdanau
        --out checkpoints/en-de-bahdanau
    python -m training.train --tsv hi-en.tsv --attention luong --score general
        --out checkpoints/hi-en-luong-general

A corpus folder holds train.tsv and dev.tsv (``source<TAB>target``); a single TSV file
is split deterministically (2% dev).  The tokenizer of a pair is trained once on the
training split and reused by every model of that pair (so comparisons are fair).
Runs resume from ``runs/<name>/`` when started again.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import torch

from models.checkpoint import load_checkpoint, save_checkpoint
from models.config import ModelConfig
from models.device import describe, resolve_device
from models.seq2seq import Seq2Seq
from models.tokenizer import Tokenizer, train_tokenizer

from .corpus import encode_pairs, read_split, read_tsv, sample_pairs
from .loop import Progress, TrainSettings, epoch_seed, train

SCORES = {"none": "none", "bahdanau": "additive", "luong": "general"}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m training.train", description=__doc__)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--corpus", type=Path, help="folder with train.tsv and dev.tsv")
    src.add_argument(
        "--tsv",
        type=Path,
        help="one source<TAB>target file; a manythings.org/anki file (three columns, or its "
        ".zip) as downloaded also works: the attribution column is ignored",
    )
    p.add_argument("--pair", help="language pair, e.g. hi-en (default: from the corpus name)")
    p.add_argument("--attention", choices=["none", "bahdanau", "luong"], required=True)
    p.add_argument("--score", choices=["none", "additive", "dot", "general", "concat"])
    p.add_argument(
        "--reverse",
        action="store_true",
        help="with --tsv: the second column is the source (e.g. hi -> en from a "
        "manythings.org hin.txt, whose first column is English)",
    )
    p.add_argument("--reverse-source", action="store_true", help="the 2014 reversed-input trick")
    p.add_argument(
        "--no-attend-end",
        dest="attend_end",
        action="store_false",
        help="the source's end token is encoded but attention gives it no weight",
    )
    p.add_argument(
        "--directions",
        type=int,
        choices=[1, 2],
        default=2,
        help="encoder directions: 2 (bidirectional, as in RNNsearch) or 1 (left to right, "
        "the RNN Encoder-Decoder of Cho et al. 2014)",
    )
    p.add_argument("--out", type=Path, required=True, help="checkpoint folder to write")
    p.add_argument("--runs", type=Path, default=Path("runs"), help="resumable run states")
    p.add_argument("--tokenizer", type=Path, help="reuse this SentencePiece model")
    p.add_argument(
        "--tokenizer-corpus",
        type=Path,
        help="train a new tokenizer on this corpus's train.tsv instead of the training data "
        "(e.g. the everyday sentences alone, when long verses are mixed into training)",
    )
    p.add_argument(
        "--init",
        type=Path,
        help="start from this checkpoint folder's weights (fine-tuning; its config must "
        "equal the one these options build, so pass its tokenizer and sizes too; "
        "--no-attend-end may differ, as it changes no weight)",
    )
    p.add_argument("--vocab", type=int, default=5000)
    p.add_argument("--emb", type=int, default=256)
    p.add_argument("--enc-hidden", type=int, default=128, help="per direction")
    p.add_argument("--dec-hidden", type=int, default=256)
    p.add_argument("--attn-dim", type=int, default=256)
    p.add_argument("--dropout", type=float, default=0.2)
    p.add_argument("--max-pieces", type=int, default=80, help="longer training pairs are skipped")
    p.add_argument(
        "--max-words",
        type=int,
        default=0,
        help="skip training pairs with a side over this many words (0: no limit; 30 is "
        "the RNNsearch-30 / RNNencdec-30 setting of Bahdanau et al. 2015)",
    )
    p.add_argument("--steps", type=int, default=20000)
    p.add_argument("--minutes", type=float, default=0.0, help="wall-clock budget (0: none)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument(
        "--label-smoothing", type=float, default=0.0, help="of the training loss (0: none)"
    )
    p.add_argument(
        "--source-dropout",
        type=float,
        default=0.0,
        help="source piece dropout: the share of source pieces read as <unk> in training "
        "(0 <= P < 1; 0: none)",
    )
    p.add_argument(
        "--subword-alpha",
        type=float,
        default=0.0,
        help="subword regularization: each epoch draws every training sentence's pieces "
        "from the tokenizer's segmentations with this smoothing (0: the one best)",
    )
    p.add_argument("--eval-every", type=int, default=500)
    p.add_argument("--patience", type=int, default=4)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=0, help="CPU threads (0: torch default)")
    p.add_argument("--device", default=None, help="cpu or cuda (default: cuda if present)")
    p.add_argument("--dtype", default="float16", choices=["float16", "float32"])
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--domain",
        default="",
        help='what the data is, shown where the pair is picked (e.g. "Bible verses")',
    )
    args = p.parse_args(argv)
    if not 0 <= args.source_dropout < 1:
        p.error(f"--source-dropout must be at least 0 and below 1, not {args.source_dropout}")
    return args


def pair_name(args: argparse.Namespace) -> str:
    if args.pair:
        return args.pair
    return (args.corpus.name if args.corpus else args.tsv.stem).split("-tsv")[0]


def get_tokenizer(args, pair: str, train_rows: list[tuple[str, str]]) -> Tokenizer:
    """The pair's tokenizer: ``--tokenizer``, else the one under ``runs/<pair>/``, trained
    there by the first run of the pair that needs it.  Runs of one pair started side by
    side (``training.recipe --jobs``) take a lock, so one trains it and the others wait
    and read the same file: a pair shares one tokenizer."""
    if args.tokenizer:
        return Tokenizer.from_file(args.tokenizer)
    path = args.runs / pair / "tokenizer.model"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            if args.tokenizer_corpus:
                train_rows = read_tsv(args.tokenizer_corpus / "train.tsv")
            print(f"training the {pair} tokenizer ({args.vocab} pieces)", file=sys.stderr)
            proto = train_tokenizer((text for row in train_rows for text in row), args.vocab)
            partial = path.with_suffix(".partial")
            partial.write_bytes(proto)
            partial.replace(path)
    return Tokenizer.from_file(path)


def build_config(args, pair: str, tokenizer: Tokenizer) -> ModelConfig:
    src_lang, _, tgt_lang = pair.partition("-")
    return ModelConfig(
        attention=args.attention,
        score=args.score or SCORES[args.attention],
        vocab_size=tokenizer.vocab_size,
        emb_dim=args.emb,
        enc_hidden=args.enc_hidden,
        dec_hidden=args.dec_hidden,
        attn_dim=args.attn_dim,
        dropout=args.dropout,
        reverse_source=args.reverse_source,
        attend_end=args.attend_end,
        bidirectional=args.directions == 2,
        src_lang=src_lang or "src",
        tgt_lang=tgt_lang or "tgt",
        **tokenizer.specials(),
    )


def joined_credits(*credits: str) -> str:
    """Data credits ("A; B") joined, each source once, in order of first mention."""
    parts = [p.strip() for credit in credits for p in credit.split(";") if p.strip()]
    return "; ".join(dict.fromkeys(parts))


def make_card(args, cfg, model, prog: Progress, data: dict, device, credit: str = "") -> dict:
    """``credit``: the data of the stages before this one (a staged model's)."""
    return {
        "name": args.out.name,
        "pair": cfg.pair,
        "domain": args.domain,
        "credit": joined_credits(credit, data.get("corpus_stats", {}).get("credit", "")),
        "attention": cfg.attention,
        "score": cfg.score,
        "reverse_source": cfg.reverse_source,
        "attend_end": cfg.attend_end,
        "bidirectional": cfg.bidirectional,
        "params": sum(p.numel() for p in set(model.parameters())),
        "sizes": {
            "emb": cfg.emb_dim,
            "enc_hidden": cfg.enc_hidden,
            "dec_hidden": cfg.dec_hidden,
            "attn_dim": cfg.attn_dim,
            "vocab": cfg.vocab_size,
        },
        "training": {
            **data,
            "steps": prog.step,
            "best_step": prog.best_step,
            "best_dev_loss": round(prog.best_dev, 4),
            "target_tokens": prog.target_tokens,
            "seconds": round(prog.seconds, 1),
            "stopped": prog.stopped,
            "hardware": describe(device),
            "batch_size": args.batch_size,
            "lr": args.lr,
            "seed": args.seed,
            **({"label_smoothing": args.label_smoothing} if args.label_smoothing else {}),
            **({"subword_alpha": args.subword_alpha} if args.subword_alpha else {}),
            **({"source_dropout": args.source_dropout} if args.source_dropout else {}),
            **(
                {"tokenizer_corpus": f"corpora/{args.tokenizer_corpus.name} (train.tsv)"}
                if args.tokenizer_corpus
                else {}
            ),
            "history": prog.history,
        },
        "test": None,
        "aer": None,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = resolve_device(args.device)
    pair = pair_name(args)
    try:
        train_rows, dev_rows, data = read_split(args.corpus, args.tsv, args.reverse)
    except (OSError, ValueError) as error:  # InputError is a ValueError
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.tsv:
        src, tgt = train_rows[0] if train_rows else ("", "")
        print(f"source: {'second' if args.reverse else 'first'} column ({src!r}); "
              f"target: the other ({tgt!r})", file=sys.stderr)  # fmt: skip
    tokenizer = get_tokenizer(args, pair, train_rows)
    if args.max_words:
        train_rows = [
            r for r in train_rows if max(len(r[0].split()), len(r[1].split())) <= args.max_words
        ]
    kept_rows: list = []  # the rows of train_pairs, for subword sampling
    train_pairs = encode_pairs(tokenizer, train_rows, args.max_pieces, kept_rows)
    dev_pairs = encode_pairs(tokenizer, dev_rows, 4 * args.max_pieces)
    data.update(train_pairs=len(train_pairs), dev_pairs=len(dev_pairs))
    if args.max_words:
        data["max_words"] = args.max_words
    cfg = build_config(args, pair, tokenizer)
    torch.manual_seed(args.seed)
    model = Seq2Seq(cfg).to(device)
    earlier_credit = ""
    if args.init:
        start_from = load_checkpoint(args.init)
        earlier_credit = start_from.card.get("credit", "")
        if replace(start_from.config, attend_end=cfg.attend_end) != cfg:  # changes no weight
            print(f"error: {args.init} has another config than these options build: "
                  f"{start_from.config} against {cfg}", file=sys.stderr)  # fmt: skip
            return 2
        model.load_state_dict(start_from.model.state_dict())
        data["init"] = start_from.name
        first = start_from.card.get("training", {})
        # the stage before's data and time, and its own stages before it, so the card
        # holds the whole recipe
        kept = ("data", "train_pairs", "steps", "best_step", "best_dev_loss", "seconds")
        kept += ("init", "init_training")
        data["init_training"] = {k: first[k] for k in kept if k in first}
    settings = TrainSettings(
        steps=args.steps,
        minutes=args.minutes,
        batch_size=args.batch_size,
        lr=args.lr,
        label_smoothing=args.label_smoothing,
        source_dropout=args.source_dropout,
        seed=args.seed,
        eval_every=args.eval_every,
        patience=args.patience,
        amp=device.type == "cuda",
        progress=not args.quiet,
    )
    print(
        f"{args.out.name}: {len(train_pairs)} training pairs, {len(dev_pairs)} dev, "
        f"{sum(p.numel() for p in set(model.parameters())):,} parameters, {describe(device)}",
        file=sys.stderr,
    )

    def write(m: Seq2Seq, prog: Progress) -> None:
        card = make_card(args, cfg, m, prog, data, device, earlier_credit)
        save_checkpoint(args.out, m, tokenizer, card, dtype=args.dtype)

    start = time.time()
    resample = None
    if args.subword_alpha:

        def resample(epoch: int) -> list:
            seed = epoch_seed(args.seed, epoch)
            return sample_pairs(
                tokenizer, kept_rows, train_pairs, args.max_pieces, args.subword_alpha, seed
            )

    prog = train(
        model, train_pairs, dev_pairs, settings, args.runs / args.out.name, write, resample
    )
    write(model, prog)
    summary = {
        "out": str(args.out),
        "steps": prog.step,
        "best_dev_loss": prog.best_dev,
        "stopped": prog.stopped,
        "seconds_this_run": round(time.time() - start, 1),
    }
    print(json.dumps(summary), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
