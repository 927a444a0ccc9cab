"""The checkpoint folder: ``config.json`` + ``model.safetensors`` + ``tokenizer.model``
+ ``card.json``.  Weights are safetensors, metadata JSON; nothing is ever unpickled.

Loading validates every file before building anything and raises ``CheckpointError``
naming the folder, the file and the reason.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save_file

from .config import FORMAT_VERSION, ConfigError, ModelConfig
from .seq2seq import Seq2Seq
from .tokenizer import Tokenizer

CONFIG = "config.json"
WEIGHTS = "model.safetensors"
TOKENIZER = "tokenizer.model"
CARD = "card.json"
PICKLE_SUFFIXES = (".pt", ".pth", ".bin", ".pkl", ".pickle", ".ckpt")
MAX_JSON_BYTES = 1 << 20
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
class CheckpointInfo:
    """A checkpoint folder read and checked without its weights: what a listing needs."""

    name: str
    folder: Path
    config: ModelConfig
    tokenizer: Tokenizer
    card: dict = field(default_factory=dict)
    header: dict[str, tuple[str, list[int]]] = field(default_factory=dict)  # name: dtype, shape


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
    return load_weights(inspect_checkpoint(folder), device)


def inspect_checkpoint(folder: str | Path) -> CheckpointInfo:
    """Every file checked except the tensors themselves: no pickles, the config, the
    tokenizer against it, the weights' header (present, whole, a size and dtypes this
    program reads) and the card.  Fast: no model is built."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CheckpointError(folder, None, "folder not found")
    _refuse_pickles(folder)
    meta = _read_json(folder, CONFIG, required=True)
    cfg = _config(folder, meta)
    tokenizer = _tokenizer(folder, meta, cfg)
    header = read_safetensors_header(folder)
    card = _read_json(folder, CARD, required=False)
    return CheckpointInfo(folder.name, folder, cfg, tokenizer, card, header)


def load_weights(info: CheckpointInfo, device: str | torch.device = "cpu") -> LoadedModel:
    """The model of an inspected folder, its weights checked against the config (names,
    shapes, finite values) and loaded, in eval mode with gradients off."""
    model = Seq2Seq(info.config)
    _load_weights(info.folder, model, info.header)
    model.to(device).eval()
    model.requires_grad_(False)
    return LoadedModel(info.name, info.folder, info.config, model, info.tokenizer, info.card)


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
    """name -> (dtype, shape), read without loading any tensor.

    ``safe_open`` refuses a truncated file, a garbled header and a header whose offsets
    do not cover the data exactly (so nothing huge is ever declared and read); what it
    does not check is kept here: a size limit for the whole file and the dtypes this
    program loads.
    """
    path = folder / WEIGHTS
    if not path.is_file():
        raise CheckpointError(folder, WEIGHTS, "file missing")
    size = path.stat().st_size
    if size > MAX_WEIGHT_BYTES:
        raise CheckpointError(folder, WEIGHTS, f"{size} bytes is over the {MAX_WEIGHT_BYTES} limit")
    with _open_weights(folder) as f:
        found, names = {}, f.keys()  # the handle is not iterable
        for name in names:
            view = f.get_slice(name)
            found[name] = (view.get_dtype(), list(view.get_shape()))
    for name, (dtype, _) in found.items():
        if dtype not in DTYPES:
            raise CheckpointError(folder, WEIGHTS, f"unsupported dtype {dtype} for {name!r}")
    return found


@contextmanager
def _open_weights(folder: Path):
    """``safe_open`` with its refusals as ``CheckpointError``."""
    try:
        handle = safe_open(str(folder / WEIGHTS), framework="pt", device="cpu")
    except SafetensorError as exc:
        reason = str(exc).removeprefix("Error while deserializing header: ")
        raise CheckpointError(folder, WEIGHTS, f"truncated or garbled ({reason})") from None
    with handle as f:
        yield f


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
    with _open_weights(folder) as f:
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
