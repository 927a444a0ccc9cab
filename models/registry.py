"""Finding the checkpoint folders under a root: each is available or unavailable
with the reason (a broken folder never hides the others).

A listing reads every folder's config, tokenizer, card and weights header, which takes
milliseconds; an entry's weights are loaded when first used (``Entry.loaded``), and its
translator (the fast path's derived weights) built when first asked for
(``Entry.translator``), so a page can list every model and show its first one before
the others are loaded.  Listing needs no torch (``models.folder``): a page can show its
model list, and a stored trace, while torch is still being imported.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from .config import ModelConfig
from .folder import CheckpointError, CheckpointInfo, inspect_checkpoint
from .stored import StoredTraces
from .tokenizer import Tokenizer

if TYPE_CHECKING:
    import torch

    from .checkpoint import LoadedModel
    from .engine import Translator

DEFAULT_ROOT = Path(__file__).resolve().parents[1] / "checkpoints"


class Entry:
    """One checkpoint folder: its metadata when it was listed, its weights on first use."""

    def __init__(
        self,
        name: str,
        info: CheckpointInfo | None = None,
        error: str | None = None,
        device: torch.device | str | None = None,
    ) -> None:
        self.name, self.info, self.error, self.device = name, info, error, device
        self._loaded: LoadedModel | None = None
        self._translator: Translator | None = None
        self._stored: StoredTraces | None = None
        self._lock, self._translator_lock = threading.Lock(), threading.Lock()

    @property
    def available(self) -> bool:
        """Usable as far as is known: listed without error and, if its weights were
        loaded, loaded without error."""
        return self.info is not None and self.error is None

    @property
    def config(self) -> ModelConfig:
        return self.info.config

    @property
    def card(self) -> dict:
        return self.info.card

    @property
    def tokenizer(self) -> Tokenizer:
        return self.info.tokenizer

    @property
    def stored(self) -> StoredTraces:
        """The traces stored in the folder (``models.stored``), read once; they stand
        for decoding without the weights, so they need no torch."""
        if self._stored is None:
            self._stored = StoredTraces(self.info.folder, self.name)
        return self._stored

    @property
    def loaded(self) -> LoadedModel | None:
        """The model, loaded once however many threads ask; None (and ``error`` set)
        when its weights cannot be used."""
        if self._loaded is None and self.available:
            with self._lock:
                if self._loaded is None and self.error is None:
                    try:
                        self._loaded = load_weights(self.info, self.device)
                    except Exception as exc:  # it stays with this folder
                        self.error = _reason(exc)
        return self._loaded

    @property
    def ready(self) -> bool:
        """Its translator is built: a decoding starts at once."""
        return self._translator is not None

    @property
    def translator(self) -> Translator | None:
        """The loaded model's translator, built once however many threads ask (building
        its fast path takes a few hundred ms on a 2-core CPU); None when the weights
        cannot be used."""
        if self._translator is None and (loaded := self.loaded) is not None:
            with self._translator_lock:
                if self._translator is None:
                    self._translator = build_translator(loaded, self.name)
        return self._translator


def load_weights(info: CheckpointInfo, device: torch.device | str | None) -> LoadedModel:
    """``models.checkpoint.load_weights`` on ``device`` (None: CUDA when there is one,
    else the CPU); torch is imported here, on the first load."""
    from .checkpoint import load_weights as load
    from .device import resolve_device

    return load(info, resolve_device(None) if device is None else device)


def build_translator(loaded: LoadedModel, name: str) -> Translator:
    from .engine import Translator

    return Translator(loaded.model, loaded.tokenizer, name)


def _reason(exc: Exception) -> str:
    if isinstance(exc, CheckpointError):
        return exc.reason if exc.file is None else f"{exc.file}: {exc.reason}"
    return f"{type(exc).__name__}: {exc}"


def checkpoints_root() -> Path:
    """``ATTENTION_CHECKPOINTS`` if set, else the project's ``checkpoints/``."""
    return Path(os.environ.get("ATTENTION_CHECKPOINTS") or DEFAULT_ROOT)


def scan(root: Path, device: torch.device | str | None = None) -> list[Entry]:
    """One entry per sub-folder, sorted by name; no weights loaded yet (``device``:
    where they will load; None: CUDA when there is one, else the CPU)."""
    if not root.is_dir():
        return []
    entries = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            entries.append(Entry(folder.name, inspect_checkpoint(folder), device=device))
        except Exception as exc:  # anything about one folder stays with that folder
            entries.append(Entry(folder.name, error=_reason(exc), device=device))
    return entries


def load_all(entries: list[Entry], first: str | None = None, translator: bool = False) -> None:
    """Load every entry's weights, ``first`` before the others; with ``translator``
    build ``first``'s translator as soon as its weights are in (the others are built
    when first asked for: building all of them at start-up would compete with the
    page's first clicks for the two cores)."""
    for entry in sorted(entries, key=lambda e: e.name != first):
        entry.loaded  # noqa: B018  (the property loads)
        if translator and entry.name == first:
            entry.translator  # noqa: B018


_SCANS: dict[tuple[str, str], list[Entry]] = {}
_SCAN_LOCK = threading.Lock()


def scan_cached(root: Path, device: torch.device | str | None = None) -> list[Entry]:
    """``scan`` once per (root, device) in this process: the page and a warm-up thread
    share the same entries (and so each model's weights, loaded once)."""
    key = (str(Path(root).resolve()), str(device))
    with _SCAN_LOCK:
        if key not in _SCANS:
            _SCANS[key] = scan(Path(root), device)
        return _SCANS[key]
