"""SentencePiece tokenizer with a map from every piece to the word it belongs to.

People read words; the model reads pieces.  A ``TokenSeq`` carries both: ``pieces``
(what the rows/columns of an attention matrix stand for, specials included),
``words`` (the whitespace-split words of ``text``) and ``piece_to_word`` (the word
index of each piece, -1 for specials).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sentencepiece as spm

from .text import InputError, clean_text, word_spans

WORD_START = "\u2581"  # SentencePiece's word-boundary mark
UNKNOWN_TEXT = "\u2047"  # what an unknown target piece is shown as
SPECIALS = {"pad_id": 0, "unk_id": 1, "bos_id": 2, "eos_id": 3}


@dataclass
class TokenSeq:
    ids: list[int]
    pieces: list[str]
    words: list[str]
    piece_to_word: list[int]
    text: str
    truncated: bool = False
    notes: list[str] = field(default_factory=list)


class Tokenizer:
    """A SentencePiece model (a protobuf, never a pickle) shared by source and target."""

    def __init__(self, model_proto: bytes) -> None:
        self.sp = spm.SentencePieceProcessor(model_proto=model_proto)
        self.model_proto = model_proto
        self.eos_id = self.sp.eos_id()
        self.bos_id = self.sp.bos_id()
        self.unk_id = self.sp.unk_id()
        self.pad_id = self.sp.pad_id()

    @classmethod
    def from_file(cls, path: str | Path) -> Tokenizer:
        return cls(Path(path).read_bytes())

    @property
    def vocab_size(self) -> int:
        return self.sp.get_piece_size()

    def specials(self) -> dict[str, int]:
        return {
            "pad_id": self.pad_id,
            "unk_id": self.unk_id,
            "bos_id": self.bos_id,
            "eos_id": self.eos_id,
        }

    def encode(self, text: str, max_pieces: int, add_eos: bool = True) -> TokenSeq:
        """Clean ``text`` and split it into pieces mapped to its own words.

        At most ``max_pieces`` pieces are kept (the end token not counted); a longer
        text is cut at a word boundary where possible and marked ``truncated``.
        """
        text = clean_text(text)
        if not text:
            raise InputError("the text is empty")
        proto = self.sp.encode(text, return_type="proto")
        spans = word_spans(text)
        raw = [
            (p.id, p.surface if p.id == self.unk_id else p.piece, p.begin, p.end)
            for p in proto.pieces
        ]
        truncated = len(raw) > max_pieces
        if truncated:
            raw = raw[:max_pieces]
        mapping = [_word_at(spans, begin) for _, _, begin, _ in raw]
        if truncated:
            raw, mapping = _cut_partial_word(raw, mapping, spans)
        n_words = mapping[-1] + 1 if mapping else 0
        words = text.split(" ")[:n_words]
        seq = TokenSeq(
            [r[0] for r in raw], [r[1] for r in raw], words, mapping, " ".join(words), truncated
        )
        if truncated:
            seq.notes.append(f"cut to its first {len(words)} words ({len(raw)} pieces)")
        if add_eos:
            _append_eos(seq, self.eos_id)
        return seq

    def decode(self, ids: Iterable[int]) -> TokenSeq:
        """Pieces -> words by SentencePiece's word-start marks; specials map to -1."""
        ids = [int(i) for i in ids]
        words: list[str] = []
        pieces, mapping = [], []
        for i in ids:
            piece = self.sp.id_to_piece(i)
            pieces.append(piece)
            if self.sp.is_control(i):
                mapping.append(-1)
                continue
            body = UNKNOWN_TEXT if i == self.unk_id else piece
            if body.startswith(WORD_START) or not words:
                words.append("")
            words[-1] += body.lstrip(WORD_START) if body.startswith(WORD_START) else body
            mapping.append(len(words) - 1)
        return _drop_empty_words(TokenSeq(ids, pieces, words, mapping, ""))


def _word_at(spans: list[tuple[int, int]], begin: int) -> int:
    """Index of the first word that ends after byte offset ``begin``."""
    for index, (_, end) in enumerate(spans):
        if begin < end:
            return index
    return len(spans) - 1


def _cut_partial_word(raw: list, mapping: list[int], spans: list) -> tuple[list, list[int]]:
    """Drop the pieces of a word that the cut left incomplete (unless it is the only one)."""
    last = mapping[-1]
    if last > 0 and raw[-1][3] < spans[last][1]:
        keep = [k for k, w in enumerate(mapping) if w < last]
        return [raw[k] for k in keep], [mapping[k] for k in keep]
    return raw, mapping


def _append_eos(seq: TokenSeq, eos_id: int) -> None:
    seq.ids.append(eos_id)
    seq.pieces.append("</s>")
    seq.piece_to_word.append(-1)


def _drop_empty_words(seq: TokenSeq) -> TokenSeq:
    """A lone word-start piece makes an empty word: give its pieces to a neighbour."""
    remap, words = [], []
    for w in seq.words:
        remap.append(max(len(words) - (0 if w else 1), 0))
        if w:
            words.append(w)
    last = len(words) - 1
    fixed = [-1 if m < 0 or last < 0 else min(remap[m], last) for m in seq.piece_to_word]
    return TokenSeq(seq.ids, seq.pieces, words, fixed, " ".join(words))


def train_tokenizer(lines: Iterable[str], vocab_size: int, seed_sentencepieces: int = 0) -> bytes:
    """Train a unigram SentencePiece model on ``lines``; returns the model protobuf."""
    buffer = io.BytesIO()
    options = dict(
        sentence_iterator=iter(lines),
        model_writer=buffer,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=0.9995,
        hard_vocab_limit=False,
        minloglevel=2,
        num_threads=2,
        input_sentence_size=2_000_000,
        shuffle_input_sentence=False,
        **SPECIALS,
    )
    if seed_sentencepieces:
        options["seed_sentencepiece_size"] = seed_sentencepieces
    spm.SentencePieceTrainer.train(**options)
    return buffer.getvalue()
