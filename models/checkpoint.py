"""The checkpoint folder: ``config.json`` + ``model.safetensors`` + ``tokenizer.model``
+ ``card.json``.  Weights are safetensors, metadata JSON; nothing is ever unpickled.

Loading validates every file before building anything and raises ``CheckpointError``
naming the folder, the file and the reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import torch
from safetensors.torch import save_file

from .config import FORMAT_VERSION, ModelConfig
from .folder import (
    CARD,
    CONFIG,
    TOKENIZER,
    WEIGHTS,
    CheckpointError,
    CheckpointInfo,
    inspect_checkpoint,
    open_weights,
    write_json,
)
from .seq2seq import Seq2Seq
from .tokenizer import Tokenizer

TORCH_DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32}


@dataclass
class LoadedModel:
    name: str
    folder: Path
    config: ModelConfig
    model: Seq2Seq
    tokenizer: Tokenizer
    card: dict = field(default_factory=dict)


def save_checkpoint(
    folder: str | Path,
    model: Seq2Seq,
    tokenizer: Tokenizer,
    card: dict | None = None,
    dtype: str = "float32",
) -> Path:
    """Write the four files; tied weights are stored once."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tensors = {
        name: t.detach().to("cpu", TORCH_DTYPES[dtype]).contiguous()
        for name, t in unique_state(model).items()
    }
    save_file(tensors, str(folder / WEIGHTS), metadata={"format": "pt"})
    (folder / TOKENIZER).write_bytes(tokenizer.model_proto)
    config = {
        "format_version": FORMAT_VERSION,
        "architecture": "rnn-seq2seq",
        "model": model.cfg.to_dict(),
        "weights": {"file": WEIGHTS, "dtype": dtype},
        "tokenizer": {
            "file": TOKENIZER,
            "type": "sentencepiece",
            "vocab_size": tokenizer.vocab_size,
            "sha256": hashlib.sha256(tokenizer.model_proto).hexdigest(),
        },
    }
    write_json(folder / CONFIG, config)
    write_json(folder / CARD, card or {})
    return folder


def unique_state(model: Seq2Seq) -> dict[str, torch.Tensor]:
    """State dict with each shared tensor once (first name wins)."""
    seen, out = set(), {}
    for name, tensor in model.state_dict().items():
        if tensor.data_ptr() in seen:
            continue
        seen.add(tensor.data_ptr())
        out[name] = tensor
    return out


def load_checkpoint(folder: str | Path, device: str | torch.device = "cpu") -> LoadedModel:
    return load_weights(inspect_checkpoint(folder), device)


def load_weights(info: CheckpointInfo, device: str | torch.device = "cpu") -> LoadedModel:
    """The model of an inspected folder, its weights checked against the config (names,
    shapes, finite values) and loaded, in eval mode with gradients off."""
    model = Seq2Seq(info.config)
    _load_weights(info.folder, model, info.header)
    model.to(device).eval()
    model.requires_grad_(False)
    return LoadedModel(info.name, info.folder, info.config, model, info.tokenizer, info.card)


def _load_weights(folder: Path, model: Seq2Seq, found: dict[str, tuple[str, list[int]]]) -> None:
    """Load the tensors that the header read at inspection (``found``) promised; a file
    changed since then is refused when a tensor is gone or has another shape."""
    expected = {name: list(t.shape) for name, t in unique_state(model).items()}
    missing = sorted(set(expected) - set(found))
    unexpected = sorted(set(found) - set(expected))
    if missing or unexpected:
        parts = []
        if missing:
            parts.append(f"missing tensors {missing[:5]}")
        if unexpected:
            parts.append(f"unexpected tensors {unexpected[:5]}")
        raise CheckpointError(folder, WEIGHTS, "; ".join(parts) + " (does config.json match?)")
    for name, shape in expected.items():
        if found[name][1] != shape:
            raise CheckpointError(
                folder, WEIGHTS, f"shape of {name!r} is {found[name][1]}, config implies {shape}"
            )
    with open_weights(folder, "pt") as f:
        present = set(f.keys())
        tensors = {name: f.get_tensor(name) for name in expected if name in present}
    for name, shape in expected.items():
        if name not in tensors or list(tensors[name].shape) != shape:
            raise CheckpointError(folder, WEIGHTS, f"{name!r} changed since the folder was listed")
    for name, tensor in tensors.items():
        if not torch.isfinite(tensor).all():
            raise CheckpointError(folder, WEIGHTS, f"{name!r} holds NaN or infinite values")
    state = {k: v.float() for k, v in tensors.items()}
    model.load_state_dict(state, strict=False)
