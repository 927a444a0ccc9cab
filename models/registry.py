"""Finding the checkpoint folders under a root: each is available or unavailable
with the reason (a broken folder never hides the others).

A listing reads every folder's config, tokenizer, card and weights header, which takes
milliseconds; an entry's weights are loaded when first used (``Entry.loaded``), and its
translator (the fast path's derived weights) built when first asked for
(``Entry.translator``), so a page can list every model and show its first one before
the others are loaded.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import torch

from .checkpoint import (
    CheckpointError,
    CheckpointInfo,
    LoadedModel,
    inspect_checkpoint,
    load_weights,
)
from .config import ModelConfig
from .engine import Translator
from .tokenizer import Tokenizer

DEFAULT_ROOT = Path(__file__).resolve().parents[1] / "checkpoints"


class Entry:
    """One checkpoint folder: its metadata when it was listed, its weights on first use."""

    def __init__(
        self,
        name: str,
        info: CheckpointInfo | None = None,
        error: str | None = None,
        device: torch.device | str = "cpu",
    ) -> None:
        self.name, self.info, self.error, self.device = name, info, error, device
        self._loaded: LoadedModel | None = None
        self._translator: Translator | None = None
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
    def translator(self) -> Translator | None:
        """The loaded model's translator, built once however many threads ask (building
        its fast path takes a few hundred ms on a 2-core CPU); None when the weights
        cannot be used."""
        if self._translator is None and (loaded := self.loaded) is not None:
            with self._translator_lock:
                if self._translator is None:
                    self._translator = Translator(loaded.model, loaded.tokenizer, self.name)
        return self._translator


def _reason(exc: Exception) -> str:
    if isinstance(exc, CheckpointError):
        return exc.reason if exc.file is None else f"{exc.file}: {exc.reason}"
    return f"{type(exc).__name__}: {exc}"


def checkpoints_root() -> Path:
    """``ATTENTION_CHECKPOINTS`` if set, else the project's ``checkpoints/``."""
    return Path(os.environ.get("ATTENTION_CHECKPOINTS") or DEFAULT_ROOT)


def scan(root: Path, device: torch.device | str = "cpu") -> list[Entry]:
    """One entry per sub-folder, sorted by name; no weights loaded yet."""
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


def scan_cached(root: Path, device: torch.device | str = "cpu") -> list[Entry]:
    """``scan`` once per (root, device) in this process: the page and a warm-up thread
    share the same entries (and so each model's weights, loaded once)."""
    key = (str(Path(root).resolve()), str(device))
    with _SCAN_LOCK:
        if key not in _SCANS:
            _SCANS[key] = scan(Path(root), device)
        return _SCANS[key]
