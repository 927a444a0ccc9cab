"""Reading a checkpoint folder without its weights: ``config.json``, ``tokenizer.model``,
``card.json`` and the header of ``model.safetensors``, each checked, no torch needed.

What a listing of the models needs (``models.registry``); loading the tensors and
building the model is ``models.checkpoint``.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from safetensors import SafetensorError, safe_open

from .config import FORMAT_VERSION, ConfigError, ModelConfig
from .tokenizer import Tokenizer

CONFIG = "config.json"
WEIGHTS = "model.safetensors"
TOKENIZER = "tokenizer.model"
CARD = "card.json"
PICKLE_SUFFIXES = (".pt", ".pth", ".bin", ".pkl", ".pickle", ".ckpt")
MAX_JSON_BYTES = 1 << 20
MAX_WEIGHT_BYTES = 1 << 30
DTYPES = {"F16": 2, "BF16": 2, "F32": 4}


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


def _refuse_pickles(folder: Path) -> None:
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in PICKLE_SUFFIXES:
            raise CheckpointError(
                folder,
                path.name,
                "pickle files are never loaded (they can run code); "
                "convert the weights to model.safetensors",
            )


def write_json(path: Path, data: dict) -> None:
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
        tokenizer = Tokenizer(proto, (cfg.src_lang, cfg.tgt_lang))
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
    with open_weights(folder) as f:
        found, names = {}, f.keys()  # the handle is not iterable
        for name in names:
            view = f.get_slice(name)
            found[name] = (view.get_dtype(), list(view.get_shape()))
    for name, (dtype, _) in found.items():
        if dtype not in DTYPES:
            raise CheckpointError(folder, WEIGHTS, f"unsupported dtype {dtype} for {name!r}")
    return found


@contextmanager
def open_weights(folder: Path, framework: str = "numpy"):
    """``safe_open`` with its refusals as ``CheckpointError`` (``numpy`` reads the header
    without torch; loading the tensors asks for ``pt``)."""
    try:
        handle = safe_open(str(folder / WEIGHTS), framework=framework, device="cpu")
    except SafetensorError as exc:
        reason = str(exc).removeprefix("Error while deserializing header: ")
        raise CheckpointError(folder, WEIGHTS, f"truncated or garbled ({reason})") from None
    with handle as f:
        yield f
