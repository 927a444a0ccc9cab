"""RNN translators with attention, their decoding engine and checkpoint format (torch only)."""

from .checkpoint import CheckpointError, LoadedModel, load_checkpoint, save_checkpoint
from .config import ModelConfig
from .engine import DecodeSettings, Translator
from .text import InputError
from .trace import DecodeTrace

__all__ = [
    "CheckpointError",
    "DecodeSettings",
    "DecodeTrace",
    "InputError",
    "LoadedModel",
    "ModelConfig",
    "Translator",
    "load_checkpoint",
    "save_checkpoint",
]
