"""How one decoding call may be asked to run: search settings and attention options.

Plain data without torch, so the page can read and check settings (sliders, URL
parameters) before the models' code is imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .text import InputError

if TYPE_CHECKING:
    from .interface import AttentionControl

SCALE_RANGE = (0.01, 100.0)  # the sharpness tau a decoding call may ask for


@dataclass(frozen=True)
class AttentionOptions:
    """Per-call changes to attention (the shared model is never touched).

    scale: tau, the softmax reads e / tau (1: the model as trained; towards 0: hard
    attention on the best-scored piece; large: the average of all pieces).
    override_step / override: at that output step (0-based), use these weights over
    the source pieces (one per piece, end token included) instead of the softmax.
    """

    scale: float = 1.0
    override_step: int | None = None
    override: tuple[float, ...] | None = None

    @property
    def is_default(self) -> bool:
        return self.scale == 1.0 and self.override is None

    def check(self, source_len: int | None = None) -> None:
        """Raises ValueError with a message for a person."""
        low, high = SCALE_RANGE
        if not low <= self.scale <= high:
            raise ValueError(f"the attention sharpness must be between {low} and {high}")
        if (self.override is None) != (self.override_step is None):
            raise ValueError("an attention override needs both a step and weights")
        if self.override is None:
            return
        if self.override_step < 0:
            raise ValueError("the override step must be 0 or more")
        if source_len is not None and len(self.override) != source_len:
            raise ValueError(
                f"the override has {len(self.override)} weights for {source_len} source pieces"
            )
        if min(self.override) < 0 or abs(sum(self.override) - 1.0) > 1e-4:
            raise ValueError("override weights must be 0 or more and sum to 1")

    def control(self, t: int, width: int, device) -> AttentionControl | None:
        """The control of output step ``t`` for a source padded to ``width`` pieces."""
        import torch  # decoding has imported it; the settings themselves need no torch

        from .interface import AttentionControl

        if self.override is not None and t == self.override_step:
            row = torch.zeros(width, device=device)
            row[: len(self.override)] = torch.tensor(self.override)
            return AttentionControl(self.scale, row)
        return None if self.scale == 1.0 else AttentionControl(self.scale)


def normalise_weights(weights) -> tuple[float, ...]:
    """Hand-set weights (>= 0, not all 0) -> weights that sum to 1."""
    total = float(sum(weights))
    if total <= 0 or min(weights) < 0:
        raise ValueError("weights must be 0 or more, and not all 0")
    return tuple(float(w) / total for w in weights)


MAX_SOURCE_PIECES = 400
MAX_OUTPUT_PIECES = 512
MAX_BEAM = 16
MAX_LENGTH_PENALTY = 2.0  # GNMT alpha from 0 to this: the engine, the URL and the slider


@dataclass(frozen=True)
class DecodeSettings:
    beam: int = 1  # 1 = greedy
    max_len: int | None = None  # output pieces; None: 2 x source + 10
    length_penalty: float = 1.0  # GNMT alpha; 0 ranks by raw log-probability
    n_best: int | None = None  # hypotheses kept (beam only), default all
    topk: int = 5  # candidates recorded per step
    attention: AttentionOptions = AttentionOptions()  # tau and an override at one step

    def check(self) -> None:
        if not isinstance(self.beam, int) or not 1 <= self.beam <= MAX_BEAM:
            raise InputError(f"beam size must be between 1 and {MAX_BEAM}, got {self.beam}")
        if self.max_len is not None and not 1 <= self.max_len <= MAX_OUTPUT_PIECES:
            raise InputError(f"max length must be between 1 and {MAX_OUTPUT_PIECES}")
        if not 0.0 <= self.length_penalty <= MAX_LENGTH_PENALTY:
            raise InputError(f"length penalty must be between 0 and {MAX_LENGTH_PENALTY:g}")
        if not 1 <= self.topk <= 50:
            raise InputError("top-k must be between 1 and 50")
        try:
            self.attention.check()
        except ValueError as exc:
            raise InputError(str(exc)) from None

    def limit(self, source_len: int) -> int:
        auto = min(2 * source_len + 10, MAX_OUTPUT_PIECES)
        return self.max_len or auto
