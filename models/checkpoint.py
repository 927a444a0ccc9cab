"""The checkpoint folder: ``config.json`` + ``model.safetensors`` + ``tokenizer.model``
+ ``card.json``.  Weights are safetensors, metadata JSON; nothing is ever unpickled.

Loading validates every file before building anything and raises ``CheckpointError``
naming the folder, the file and the reason.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from .config import FORMAT_VERSION, ConfigError, ModelConfig
from .seq2seq import Seq2Seq
from .tokenizer import Tokenizer

CONFIG = "config.json"
WEIGHTS = "model.safetensors"
TOKENIZER = "tokenizer.model"
CARD = "card.json"
PICKLE_SUFFIXES = (".pt", ".pth", ".bin", ".pkl", ".pickle", ".ckpt")
MAX_JSON_BYTES = 1 << 20
MAX_HEADER_BYTES = 1 << 24
MAX_WEIGHT_BYTES = 1 << 30
DTYPES = {"F16": 2, "BF16": 2, "F32": 4}
TORCH_DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32}


class CheckpointError(Exception):
    """A checkpoint folder that cannot be used, and why."""

    def __init__(self, folder: str | Path, file: str | None, reason: str) -> None:
        self.folder, self.file, self.reason = str(folder), file, reason
        where = f"checkpoint '{Path(folder).name}'" + (f", {file}" if file else "")
        super().__init__(f"{where}: {reason}")


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
    _write_json(folder / CONFIG, config)
    _write_json(folder / CARD, card or {})
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
    folder = Path(folder)
    if not folder.is_dir():
        raise CheckpointError(folder, None, "folder not found")
    _refuse_pickles(folder)
    meta = _read_json(folder, CONFIG, required=True)
    cfg = _config(folder, meta)
    tokenizer = _tokenizer(folder, meta, cfg)
    model = Seq2Seq(cfg)
    _load_weights(folder, model)
    card = _read_json(folder, CARD, required=False)
    model.to(device).eval()
    model.requires_grad_(False)
    return LoadedModel(folder.name, folder, cfg, model, tokenizer, card)


def _refuse_pickles(folder: Path) -> None:
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in PICKLE_SUFFIXES:
            raise CheckpointError(
                folder,
                path.name,
                "pickle files are never loaded (they can run code); "
                "convert the weights to model.safetensors",
            )


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _read_json(folder: Path, name: str, required: bool) -> dict:
    path = folder / name
    if not path.is_file():
        if required:
            raise CheckpointError(folder, name, "file missing")
        return {}
    if path.stat().st_size > MAX_JSON_BYTES:
        raise CheckpointError(folder, name, f"larger than {MAX_JSON_BYTES} bytes")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(folder, name, f"not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise CheckpointError(folder, name, "must hold a JSON object")
    return data


def _config(folder: Path, meta: dict) -> ModelConfig:
    version = meta.get("format_version")
    if not isinstance(version, int):
        raise CheckpointError(folder, CONFIG, "format_version missing or not an integer")
    if version > FORMAT_VERSION:
        raise CheckpointError(
            folder,
            CONFIG,
            f"format version {version} is newer than this program reads ({FORMAT_VERSION})",
        )
    try:
        return ModelConfig.from_dict(meta.get("model"))
    except ConfigError as exc:
        raise CheckpointError(folder, CONFIG, str(exc)) from None


def _tokenizer(folder: Path, meta: dict, cfg: ModelConfig) -> Tokenizer:
    info = meta.get("tokenizer") or {}
    name = info.get("file", TOKENIZER)
    path = folder / name
    if Path(name).name != name or not path.is_file():
        raise CheckpointError(folder, name, "tokenizer file missing")
    proto = path.read_bytes()
    digest = info.get("sha256")
    if digest and hashlib.sha256(proto).hexdigest() != digest:
        raise CheckpointError(folder, name, "tokenizer does not match the sha256 in config.json")
    try:
        tokenizer = Tokenizer(proto)
    except (RuntimeError, OSError, ValueError) as exc:
        raise CheckpointError(folder, name, f"not a SentencePiece model ({exc})") from None
    if tokenizer.vocab_size != cfg.vocab_size:
        raise CheckpointError(
            folder,
            name,
            f"vocabulary of {tokenizer.vocab_size} pieces, config says {cfg.vocab_size}",
        )
    specials = {k: getattr(cfg, k) for k in tokenizer.specials()}
    if tokenizer.specials() != specials:
        raise CheckpointError(folder, name, f"special ids {tokenizer.specials()} != {specials}")
    return tokenizer


def read_safetensors_header(folder: Path) -> dict[str, tuple[str, list[int]]]:
    """Validate the header against the file size; returns name -> (dtype, shape)."""
    path = folder / WEIGHTS
    if not path.is_file():
        raise CheckpointError(folder, WEIGHTS, "file missing")
    size = path.stat().st_size
    if size > MAX_WEIGHT_BYTES:
        raise CheckpointError(folder, WEIGHTS, f"{size} bytes is over the {MAX_WEIGHT_BYTES} limit")
    with path.open("rb") as f:
        head = f.read(8)
        if len(head) < 8:
            raise CheckpointError(folder, WEIGHTS, f"truncated: {size} bytes, no header")
        n = int.from_bytes(head, "little")
        if n > min(size - 8, MAX_HEADER_BYTES):
            raise CheckpointError(
                folder,
                WEIGHTS,
                f"truncated or garbled: header of {n} bytes declared, file has {size}",
            )
        raw = f.read(n)
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CheckpointError(folder, WEIGHTS, "garbled header (not JSON)") from None
    if not isinstance(header, dict):
        raise CheckpointError(folder, WEIGHTS, "garbled header (not a JSON object)")
    return _check_entries(folder, header, size - 8 - n)


def _check_entries(folder: Path, header: dict, data_len: int) -> dict:
    out, end_max = {}, 0
    for name, info in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype, shape, (start, end) = info["dtype"], info["shape"], info["data_offsets"]
            numel = math.prod(int(d) for d in shape)
            ok = dtype in DTYPES and all(int(d) >= 0 for d in shape) and 0 <= start <= end
        except (KeyError, TypeError, ValueError):
            raise CheckpointError(folder, WEIGHTS, f"garbled entry for {name!r}") from None
        if not ok:
            raise CheckpointError(folder, WEIGHTS, f"unsupported dtype or shape for {name!r}")
        if end - start != numel * DTYPES[dtype] or end > data_len:
            raise CheckpointError(
                folder,
                WEIGHTS,
                f"{name!r} declares {numel * DTYPES[dtype]} bytes at {start}..{end}, "
                f"but the data section holds {data_len} (truncated or garbled)",
            )
        end_max = max(end_max, end)
        out[name] = (dtype, [int(d) for d in shape])
    if end_max != data_len:
        raise CheckpointError(folder, WEIGHTS, f"{data_len - end_max} unexplained bytes")
    return out


def _load_weights(folder: Path, model: Seq2Seq) -> None:
    found = read_safetensors_header(folder)
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
    try:
        tensors = load_file(str(folder / WEIGHTS), device="cpu")
    except Exception as exc:  # the library's own parse errors
        raise CheckpointError(folder, WEIGHTS, f"unreadable ({exc})") from None
    for name, tensor in tensors.items():
        if not torch.isfinite(tensor).all():
            raise CheckpointError(folder, WEIGHTS, f"{name!r} holds NaN or infinite values")
    state = {k: v.float() for k, v in tensors.items()}
    model.load_state_dict(state, strict=False)
