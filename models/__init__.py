"""RNN translators with attention, their decoding engine and checkpoint format (torch only).

The package's names load on first use, so its plain-data modules can be imported
without torch: ``trace`` (the figures in ``viz`` read traces and never need it),
``options`` (decoding settings), ``folder`` and ``registry`` (listing checkpoints),
``stored`` (traces stored with a checkpoint), ``tokenizer`` and ``text``.  The page's
first view uses only these.
"""

from __future__ import annotations

from importlib import import_module

_WHERE = {
    "CheckpointError": "folder",
    "LoadedModel": "checkpoint",
    "load_checkpoint": "checkpoint",
    "save_checkpoint": "checkpoint",
    "ModelConfig": "config",
    "DecodeSettings": "options",
    "Translator": "engine",
    "InputError": "text",
    "DecodeTrace": "trace",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'models' has no attribute {name!r}")
    return getattr(import_module(f".{_WHERE[name]}", __name__), name)
