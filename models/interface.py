"""The one interface the searches decode through, and the per-call attention options.

Three implementations meet it: the plain ``Seq2Seq`` (readable, used in training and
by the step explanation), the CPU ``FastDecoder`` (the same model with derived
weights) and, on top of that, the fixed-shape GPU loop of ``batched``.  A feature
of decoding is added once per implementation, behind ``decode_step``.

Shapes: B sentences, N decoder rows in a step (``group`` rows per sentence in a beam),
S source pieces, V vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, Protocol, runtime_checkable

import torch
from torch import Tensor

if TYPE_CHECKING:
    from typing import Self

    from .config import ModelConfig

State = tuple[Tensor, ...]
SCALE_RANGE = (0.01, 100.0)  # the sharpness tau a decoding call may ask for


class AttentionControl(NamedTuple):
    """What one decoder step does differently: alphas = softmax(e / scale), or, when
    ``alphas`` is given (S, zeros on padding, summing to 1), exactly those weights."""

    scale: float = 1.0
    alphas: Tensor | None = None

    def weights(self, scores: Tensor) -> Tensor:
        """Masked scores (-inf on padding) -> alphas.  N x S -> N x S"""
        if self.alphas is not None:
            return self.alphas.to(scores.dtype).expand_as(scores).contiguous()
        return (scores if self.scale == 1.0 else scores / self.scale).softmax(dim=-1)


class StepOut(NamedTuple):
    """One decoder step: log-probs N x V, the new state, alphas N x S and the raw
    scores e_tj N x S (-inf on padding; both None without attention)."""

    logp: Tensor
    state: State
    alphas: Tensor | None
    scores: Tensor | None


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


@runtime_checkable
class DecoderMemory(Protocol):
    """What is fixed per sentence while decoding; ``mask`` is B x S (True on pieces)."""

    mask: Tensor

    def select(self, index: Tensor) -> Self:
        """The rows ``index`` (greedy: the sentences still decoding)."""
        ...

    def regroup(self, sentences: Tensor | None, width: int, group: int) -> Self:
        """The sentences ``sentences`` (all when None), read by ``width`` rows each until
        now and by ``group`` rows each from the next step (a beam's hypotheses)."""
        ...


@runtime_checkable
class StepDecoder(Protocol):
    """encode once per batch, init_state, then one ``decode_step`` per output piece."""

    cfg: ModelConfig

    @property
    def device(self) -> torch.device: ...

    def encode(self, src: Tensor, lengths: Tensor) -> DecoderMemory:
        """B x S ids (end token included, pad after), B lengths -> memory"""
        ...

    def init_state(self, memory: DecoderMemory) -> State: ...

    def decode_step(
        self,
        memory: DecoderMemory,
        state: State,
        prev: Tensor,
        control: AttentionControl | None = None,
    ) -> StepOut:
        """N previous ids -> StepOut"""
        ...
