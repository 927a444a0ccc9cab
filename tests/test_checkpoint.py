"""Save -> load round trips, and every broken folder gives one clear CheckpointError."""

from __future__ import annotations

import json
import shutil
import struct

import numpy as np
import pytest
import torch
from safetensors.torch import load_file, save_file

from models.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from models.config import ConfigError, ModelConfig
from models.engine import DecodeSettings, Translator
from models.tokenizer import Tokenizer, train_tokenizer
from tests.conftest import KINDS, tiny_model

TEXT = "the old teacher helps the small child ."


@pytest.fixture
def saved(tmp_path, tokenizer):
    model = tiny_model(tokenizer, "bahdanau", "additive", seed=5)
    folder = save_checkpoint(tmp_path / "en-xx-bahdanau", model, tokenizer, {"pair": "en-xx"})
    return folder, model


@pytest.mark.parametrize("attention, score", KINDS)
def test_save_load_gives_identical_outputs(tmp_path, tokenizer, attention, score):
    model = tiny_model(tokenizer, attention, score, seed=7, reverse_source=attention == "none")
    folder = save_checkpoint(tmp_path / "ck", model, tokenizer, {"note": "x"})
    loaded = load_checkpoint(folder)
    assert loaded.config == model.cfg and loaded.card == {"note": "x"}
    a = Translator(model, tokenizer).translate(TEXT, DecodeSettings(beam=3, max_len=10))
    b = Translator(loaded.model, loaded.tokenizer).translate(
        TEXT, DecodeSettings(beam=3, max_len=10)
    )
    assert a.to_dict() == b.to_dict()


def test_fp16_checkpoint_is_close(tmp_path, tokenizer):
    model = tiny_model(tokenizer, "luong", "general", seed=2)
    loaded = load_checkpoint(save_checkpoint(tmp_path / "h", model, tokenizer, dtype="float16"))
    assert (tmp_path / "h" / "model.safetensors").stat().st_size < 0.6 * sum(
        t.numel() * 4 for t in model.state_dict().values()
    )
    a = Translator(model, tokenizer).translate(TEXT, DecodeSettings(max_len=10)).best
    b = Translator(loaded.model, loaded.tokenizer).translate(TEXT, DecodeSettings(max_len=10)).best
    np.testing.assert_allclose(a.alphas, b.alphas, atol=2e-2)


def test_loaded_model_is_frozen(saved):
    loaded = load_checkpoint(saved[0])
    assert not loaded.model.training
    assert not any(p.requires_grad for p in loaded.model.parameters())


def test_tied_weights_are_stored_once(saved):
    tensors = load_file(str(saved[0] / "model.safetensors"))
    assert "out_proj.weight" not in tensors and "tgt_embedding.weight" in tensors


def rewrite_config(folder, edit):
    path = folder / "config.json"
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))


def truncate(path, keep):
    data = path.read_bytes()
    path.write_bytes(data[:keep] if keep >= 0 else data[:keep])


def huge_header(folder):
    path = folder / "model.safetensors"
    data = path.read_bytes()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8 : 8 + n])
    name = next(k for k in header if k != "__metadata__")
    header[name]["shape"] = [10**6, 10**6]
    header[name]["data_offsets"] = [0, 4 * 10**12]
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + data[8 + n :])


def shape_mismatch(folder):
    rewrite_config(folder, lambda d: d["model"].update(dec_hidden=48))


def missing_tensor(folder):
    path = folder / "model.safetensors"
    tensors = load_file(str(path))
    tensors.pop(sorted(tensors)[0])
    save_file(tensors, str(path))


def int_weights(folder):
    """A well-formed file whose tensor is integer: safetensors accepts it, we do not."""
    path = folder / "model.safetensors"
    tensors = load_file(str(path))
    name = sorted(tensors)[0]
    tensors[name] = torch.zeros(tensors[name].shape, dtype=torch.int64)
    save_file(tensors, str(path))


def nan_weights(folder):
    path = folder / "model.safetensors"
    tensors = load_file(str(path))
    name = sorted(tensors)[0]
    tensors[name] = torch.full_like(tensors[name], float("nan"))
    save_file(tensors, str(path))


def other_tokenizer(folder):
    proto = train_tokenizer(["völlig andere wörter hier"] * 20 + ["zzz yyy"] * 5, 30)
    (folder / "tokenizer.model").write_bytes(proto)
    rewrite_config(folder, lambda d: d["tokenizer"].pop("sha256"))
    assert Tokenizer(proto).vocab_size != 100


CASES = {
    "folder not found": (lambda f: shutil.rmtree(f), None, "folder not found"),
    "config missing": (lambda f: (f / "config.json").unlink(), "config.json", "missing"),
    "config garbled": (
        lambda f: (f / "config.json").write_bytes(b"{\xff not json"),
        "config.json",
        "JSON",
    ),
    "config newer": (
        lambda f: rewrite_config(f, lambda d: d.update(format_version=99)),
        "config.json",
        "newer",
    ),
    "config unknown key": (
        lambda f: rewrite_config(f, lambda d: d["model"].update(heads=8)),
        "config.json",
        "heads",
    ),
    "config bad value": (
        lambda f: rewrite_config(f, lambda d: d["model"].update(score="dot")),
        "config.json",
        "no score",
    ),
    "weights missing": (
        lambda f: (f / "model.safetensors").unlink(),
        "model.safetensors",
        "missing",
    ),
    "weights truncated": (
        lambda f: truncate(f / "model.safetensors", -100),
        "model.safetensors",
        "truncated",
    ),
    "weights tiny": (
        lambda f: truncate(f / "model.safetensors", 5),
        "model.safetensors",
        "truncated",
    ),
    "weights garbled header": (
        lambda f: (f / "model.safetensors").write_bytes(struct.pack("<Q", 20) + b"\x00" * 40),
        "model.safetensors",
        "garbled",
    ),
    "weights huge declared": (huge_header, "model.safetensors", "invalid offset"),
    "weights extra bytes": (
        lambda f: (f / "model.safetensors").write_bytes(
            (f / "model.safetensors").read_bytes() + b"\x00" * 16
        ),
        "model.safetensors",
        "truncated or garbled",
    ),
    "weights integer dtype": (int_weights, "model.safetensors", "unsupported dtype I64"),
    "weights shape mismatch": (shape_mismatch, "model.safetensors", "shape of"),
    "weights missing tensor": (missing_tensor, "model.safetensors", "missing tensors"),
    "weights nan": (nan_weights, "model.safetensors", "NaN"),
    "tokenizer missing": (lambda f: (f / "tokenizer.model").unlink(), "tokenizer.model", "missing"),
    "tokenizer garbled": (
        lambda f: (
            (f / "tokenizer.model").write_bytes(b"garbage" * 10),
            rewrite_config(f, lambda d: d["tokenizer"].pop("sha256")),
        ),
        "tokenizer.model",
        "SentencePiece",
    ),
    "tokenizer changed": (
        lambda f: (f / "tokenizer.model").write_bytes(b"garbage"),
        "tokenizer.model",
        "sha256",
    ),
    "tokenizer other vocabulary": (other_tokenizer, "tokenizer.model", "vocabulary"),
    "pickle dropped in": (
        lambda f: (f / "pytorch_model.bin").write_bytes(b"\x80\x04K\x01."),
        "pytorch_model.bin",
        "pickle",
    ),
    "card garbled": (lambda f: (f / "card.json").write_text("[1, 2"), "card.json", "JSON"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_checkpoint_gives_clear_error(saved, case):
    folder, _ = saved
    breaker, file, reason = CASES[case]
    breaker(folder)
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(folder)
    err = info.value
    assert err.file == file
    assert reason in err.reason
    assert "en-xx-bahdanau" in str(err) and "\n" not in str(err)


def test_pickle_is_never_opened(saved, monkeypatch):
    folder, _ = saved
    (folder / "weights.pt").write_bytes(b"not even a pickle")
    monkeypatch.setattr("pickle.loads", lambda *a, **k: pytest.fail("unpickled"))
    monkeypatch.setattr("torch.load", lambda *a, **k: pytest.fail("torch.load called"))
    with pytest.raises(CheckpointError, match="pickle"):
        load_checkpoint(folder)


def test_left_to_right_encoder_survives_save_and_load(tmp_path, tokenizer):
    model = tiny_model(tokenizer, "none", "none", seed=3, bidirectional=False)
    loaded = load_checkpoint(save_checkpoint(tmp_path / "uni", model, tokenizer))
    assert loaded.config.bidirectional is False
    assert not loaded.model.encoder.rnn.bidirectional
    settings = DecodeSettings(beam=3, max_len=10)
    a = Translator(model, tokenizer).translate(TEXT, settings)
    b = Translator(loaded.model, loaded.tokenizer).translate(TEXT, settings)
    assert a.to_dict() == b.to_dict()


def test_config_without_the_direction_key_is_bidirectional(tokenizer):
    """Checkpoints written before the key existed keep loading as they were trained."""
    data = tiny_model(tokenizer, "none", "none").cfg.to_dict()
    del data["bidirectional"]
    cfg = ModelConfig.from_dict(data)
    assert cfg.bidirectional and cfg.annotation_dim == 2 * cfg.enc_hidden
    with pytest.raises(ConfigError, match="bidirectional"):
        ModelConfig.from_dict({**data, "bidirectional": "yes"})
