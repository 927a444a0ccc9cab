"""Choosing where to run: CUDA when there is one, else the CPU."""

from __future__ import annotations

import torch

from .text import InputError


def resolve_device(name: str | None = None) -> torch.device:
    """``None``/``auto``: CUDA if available, else CPU.  ``cuda`` without a GPU is an error."""
    if name in (None, "", "auto"):
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise InputError("CUDA was asked for, but no GPU is available (use --device cpu)")
        return torch.device(name)
    raise InputError(f"unknown device {name!r} (use cpu or cuda)")


def describe(device: torch.device) -> str:
    """A name for people: the GPU's name, or CPU with its thread count."""
    if device.type == "cuda":
        return f"GPU: {torch.cuda.get_device_name(device)}"
    threads = torch.get_num_threads()
    return f"CPU ({threads} thread{'' if threads == 1 else 's'})"
