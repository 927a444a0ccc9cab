"""Building checkpoint folders for the app tests (tiny trained toy models)."""

from __future__ import annotations

from pathlib import Path

import torch

from models.checkpoint import save_checkpoint
from models.seq2seq import Seq2Seq
from models.tokenizer import Tokenizer, train_tokenizer
from tests.toy import toy_pairs
from training.loop import TrainSettings, train


def build_checkpoints(root: Path, steps: int = 150) -> Path:
    """en-xx-bahdanau and en-xx-none trained on the toy task, en-xx-luong-dot
    (untrained), hi-xx-bahdanau (a pair that reads Devanagari), plus one broken folder."""
    from tests.conftest import id_pairs, tiny_config

    pairs = toy_pairs(400)
    tokenizer = Tokenizer(train_tokenizer([s for p in pairs for s in p], 100))
    data = id_pairs(tokenizer, pairs)
    for attention, score in (("bahdanau", "additive"), ("none", "none")):
        torch.manual_seed(0)
        model = Seq2Seq(tiny_config(tokenizer, attention, score))
        settings = TrainSettings(steps=steps, batch_size=32, lr=3e-3, eval_every=50, patience=99)
        train(model, data[:350], data[350:], settings)
        card = {"pair": "en-xx", "attention": attention, "note": "toy test model"}
        save_checkpoint(root / f"en-xx-{attention}", model, tokenizer, card)
    # a second attention model of the pair, untrained: Compare links two heatmaps
    torch.manual_seed(1)
    model = Seq2Seq(tiny_config(tokenizer, "luong", "dot"))
    card = {"pair": "en-xx", "attention": "luong", "note": "toy test model, untrained"}
    save_checkpoint(root / "en-xx-luong-dot", model.eval(), tokenizer, card)
    # a second pair whose vocabulary holds Devanagari (untrained: only its tokenizer matters)
    hindi = ["नमस्ते दुनिया", "बिल्ली कुत्ते को देखती है ।"] * 20
    hi_tokenizer = Tokenizer(train_tokenizer([*hindi, *(t for _, t in pairs)], 100))
    torch.manual_seed(0)
    model = Seq2Seq(tiny_config(hi_tokenizer, "bahdanau", "additive", src_lang="hi"))
    card = {"pair": "hi-xx", "attention": "bahdanau", "note": "toy test model, untrained"}
    save_checkpoint(root / "hi-xx-bahdanau", model.eval(), hi_tokenizer, card)
    broken = root / "en-xx-broken"
    broken.mkdir(parents=True, exist_ok=True)
    (broken / "pytorch_model.bin").write_bytes(b"\x80\x04K\x01.")
    return root


def url_params(at) -> dict[str, str]:
    """An AppTest page's URL parameters, one value each (as the browser's URL holds them)."""
    return {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}
