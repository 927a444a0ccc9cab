"""A training run's resumable state, without pickle: tensors in safetensors
(model, optimiser moments, RNG), everything else in JSON."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from models.checkpoint import unique_state


def _atomic_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1))
    os.replace(tmp, path)


def _atomic_tensors(path: Path, tensors: dict[str, torch.Tensor]) -> None:
    tmp = path.with_suffix(".tmp")
    save_file({k: v.detach().cpu().contiguous() for k, v in tensors.items()}, str(tmp))
    os.replace(tmp, path)


def save_state(folder: Path, model, optimizer: torch.optim.Optimizer, progress) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _atomic_tensors(folder / "model.safetensors", unique_state(model))
    opt = optimizer.state_dict()
    tensors = {"rng": torch.get_rng_state()}
    for index, slots in opt["state"].items():
        for key, value in slots.items():
            tensors[f"{index}.{key}"] = torch.as_tensor(value)
    _atomic_tensors(folder / "optimizer.safetensors", tensors)
    _atomic_json(
        folder / "state.json",
        {"progress": dataclasses.asdict(progress), "param_groups": opt["param_groups"]},
    )


def load_state(folder: Path, model, optimizer: torch.optim.Optimizer, progress_cls):
    meta = json.loads((folder / "state.json").read_text())
    model.load_state_dict(load_file(str(folder / "model.safetensors")), strict=False)
    tensors = load_file(str(folder / "optimizer.safetensors"))
    torch.set_rng_state(tensors.pop("rng"))
    state: dict[int, dict] = {}
    for name, value in tensors.items():
        index, key = name.split(".", 1)
        state.setdefault(int(index), {})[key] = value.to(next(model.parameters()).device)
    for slots in state.values():  # Adam keeps its step count on the CPU
        if "step" in slots:
            slots["step"] = slots["step"].cpu()
    optimizer.load_state_dict({"state": state, "param_groups": meta["param_groups"]})
    return progress_cls(**meta["progress"])


def save_best(folder: Path, model) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _atomic_tensors(folder / "best.safetensors", unique_state(model))


def load_best(folder: Path) -> dict[str, torch.Tensor] | None:
    path = folder / "best.safetensors"
    return load_file(str(path)) if path.exists() else None
