"""The model configuration: a plain dataclass saved as JSON beside the weights.

A checkpoint's ``config.json`` holds ``ModelConfig.to_dict()``; ``ModelConfig.from_dict``
rebuilds and validates it, so a model is always constructed from what was saved.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

FORMAT_VERSION = 1

ATTENTION_SCORES = {
    "none": ("none",),
    "bahdanau": ("additive",),
    "luong": ("dot", "general", "concat"),
}


class ConfigError(ValueError):
    """A configuration that cannot describe a model."""


@dataclass(frozen=True)
class ModelConfig:
    """Architecture and vocabulary of one translator.

    attention: ``none`` (fixed context vector), ``bahdanau`` (additive, s_{t-1} query,
    context into the GRU) or ``luong`` (score from h_t, attentional state, input feeding).
    score: ``none``, ``additive``, or for Luong ``dot`` / ``general`` / ``concat``.
    """

    attention: str
    score: str
    vocab_size: int
    emb_dim: int = 256
    enc_hidden: int = 128  # per direction: annotations are directions * enc_hidden wide
    bidirectional: bool = True  # False: one left-to-right GRU (the RNN Encoder-Decoder of 2014)
    dec_hidden: int = 256
    attn_dim: int = 256
    dropout: float = 0.2
    reverse_source: bool = False
    attend_end: bool = True  # False: the source's end token is encoded but gets no attention
    tie_embeddings: bool = True  # target embedding == output projection
    share_embeddings: bool = True  # source and target share one embedding (joint vocabulary)
    pad_id: int = 0
    unk_id: int = 1
    bos_id: int = 2
    eos_id: int = 3
    src_lang: str = "src"
    tgt_lang: str = "tgt"
    format_version: int = FORMAT_VERSION

    def __post_init__(self) -> None:
        self.validate()

    @property
    def pair(self) -> str:
        return f"{self.src_lang}-{self.tgt_lang}"

    @property
    def annotation_dim(self) -> int:
        return (2 if self.bidirectional else 1) * self.enc_hidden

    @property
    def readout_dim(self) -> int:
        """Width of the vector that the output projection reads."""
        return self.dec_hidden if self.attention == "luong" else self.emb_dim

    def validate(self) -> None:
        if self.format_version > FORMAT_VERSION:
            raise ConfigError(
                f"format version {self.format_version} is newer than this program "
                f"reads ({FORMAT_VERSION}); upgrade the program"
            )
        if self.format_version < 1:
            raise ConfigError(f"unknown format version {self.format_version}")
        if self.attention not in ATTENTION_SCORES:
            raise ConfigError(f"unknown attention {self.attention!r}")
        if self.score not in ATTENTION_SCORES[self.attention]:
            raise ConfigError(f"attention {self.attention!r} has no score {self.score!r}")
        for name in ("vocab_size", "emb_dim", "enc_hidden", "dec_hidden", "attn_dim"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 1 <= value <= 1_000_000:
                raise ConfigError(f"{name} must be an integer in 1..1000000, got {value!r}")
        if not 0.0 <= self.dropout < 1.0:
            raise ConfigError(f"dropout must be in [0, 1), got {self.dropout}")
        specials = (self.pad_id, self.unk_id, self.bos_id, self.eos_id)
        if len(set(specials)) != 4 or not all(0 <= i < self.vocab_size for i in specials):
            raise ConfigError(f"special ids {specials} must be distinct and inside the vocabulary")
        if self.score == "dot" and self.annotation_dim != self.dec_hidden:
            raise ConfigError("dot score needs the annotation width to equal dec_hidden")
        if self.tie_embeddings and self.readout_dim != self.emb_dim:
            raise ConfigError("tied embeddings need the readout width to equal emb_dim")
        if not isinstance(self.bidirectional, bool):
            raise ConfigError(f"bidirectional must be true or false, got {self.bidirectional!r}")
        if not isinstance(self.attend_end, bool):
            raise ConfigError(f"attend_end must be true or false, got {self.attend_end!r}")
        if not self.attend_end and self.attention == "none":
            raise ConfigError("attend_end applies to models with attention")
        if self.reverse_source and self.attention != "none":
            raise ConfigError("reverse_source is the trick of the model without attention")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ModelConfig:
        if not isinstance(data, dict):
            raise ConfigError("config must be a JSON object")
        version = data.get("format_version", FORMAT_VERSION)
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise ConfigError(
                f"format version {version} is newer than this program reads ({FORMAT_VERSION})"
            )
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown config keys: {', '.join(unknown)}")
        missing = [k for k in ("attention", "score", "vocab_size") if k not in data]
        if missing:
            raise ConfigError(f"missing config keys: {', '.join(missing)}")
        try:
            return cls(**data)
        except TypeError as exc:  # wrong value types
            raise ConfigError(str(exc)) from None
