"""RNN translators with attention, their decoding engine and checkpoint format (torch only).

The package's names load on first use, so ``models.trace`` (plain data: numpy only)
can be imported without torch: the figures in ``viz`` read traces and never need it.
"""

from __future__ import annotations

from importlib import import_module

_WHERE = {
    "CheckpointError": "checkpoint",
    "LoadedModel": "checkpoint",
    "load_checkpoint": "checkpoint",
    "save_checkpoint": "checkpoint",
    "ModelConfig": "config",
    "DecodeSettings": "engine",
    "Translator": "engine",
    "InputError": "text",
    "DecodeTrace": "trace",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'models' has no attribute {name!r}")
    return getattr(import_module(f".{_WHERE[name]}", __name__), name)
