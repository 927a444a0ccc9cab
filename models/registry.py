"""Finding the checkpoint folders under a root: each is available or unavailable
with the reason (a broken folder never hides the others)."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import torch

from .checkpoint import CheckpointError, LoadedModel, load_checkpoint

DEFAULT_ROOT = Path(__file__).resolve().parents[1] / "checkpoints"


@dataclass
class Entry:
    name: str
    loaded: LoadedModel | None = None
    error: str | None = None

    @property
    def available(self) -> bool:
        return self.loaded is not None


def checkpoints_root() -> Path:
    """``ATTENTION_CHECKPOINTS`` if set, else the project's ``checkpoints/``."""
    return Path(os.environ.get("ATTENTION_CHECKPOINTS") or DEFAULT_ROOT)


def scan(root: Path, device: torch.device | str = "cpu") -> list[Entry]:
    """One entry per sub-folder, sorted by name."""
    if not root.is_dir():
        return []
    entries = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            entries.append(Entry(folder.name, loaded=load_checkpoint(folder, device)))
        except CheckpointError as exc:
            entries.append(
                Entry(
                    folder.name,
                    error=exc.reason if exc.file is None else f"{exc.file}: {exc.reason}",
                )
            )
        except Exception as exc:  # anything else about one folder stays with that folder
            entries.append(Entry(folder.name, error=f"{type(exc).__name__}: {exc}"))
    return entries


_SCANS: dict[tuple[str, str], list[Entry]] = {}
_SCAN_LOCK = threading.Lock()


def scan_cached(root: Path, device: torch.device | str = "cpu") -> list[Entry]:
    """``scan`` once per (root, device) in this process: a warm-up thread may have
    loaded the checkpoints before the first page asks for them."""
    key = (str(Path(root).resolve()), str(device))
    with _SCAN_LOCK:
        if key not in _SCANS:
            _SCANS[key] = scan(Path(root), device)
        return _SCANS[key]
