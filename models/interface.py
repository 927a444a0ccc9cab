"""The one interface the searches decode through, and the per-step attention control
(the per-call options it comes from are plain data: ``models.options``).

Three implementations meet it: the plain ``Seq2Seq`` (readable, used in training and
by the step explanation), the CPU ``FastDecoder`` (the same model with derived
weights) and, on top of that, the fixed-shape GPU loop of ``batched``.  A feature
of decoding is added once per implementation, behind ``decode_step``.

Shapes: B sentences, N decoder rows in a step (``group`` rows per sentence in a beam),
S source pieces, V vocabulary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Protocol, runtime_checkable

import torch
from torch import Tensor

if TYPE_CHECKING:
    from typing import Self

    from .config import ModelConfig

State = tuple[Tensor, ...]


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
