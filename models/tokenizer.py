"""SentencePiece tokenizer with a map from every piece to the word it belongs to.

People read words; the model reads pieces.  A ``TokenSeq`` carries both: ``pieces``
(what the rows/columns of an attention matrix stand for, specials included),
``words`` (the words of ``text`` by the one word rule of ``models.text``: whitespace
tokens with end punctuation split off) and ``piece_to_word`` (the word index of each
piece, -1 for specials).
"""

from __future__ import annotations

import bisect
import io
import itertools
import math
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sentencepiece as spm

from .options import MAX_OUTPUT_PIECES, MAX_SOURCE_PIECES
from .text import (
    CLOSING_QUOTE,
    OPENING_QUOTE,
    PLAIN_QUOTES,
    UNKNOWN_TEXT,
    InputError,
    clean_text,
    code_point,
    curly_double_quotes,
    dropped_note,
    elides,
    group_pieces,
    plural,
    word_spans,
)

WORD_START = "\u2581"  # SentencePiece's word-boundary mark
SAMPLE_NBEST = 16  # segmentations a sampled one is drawn from
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
    """A SentencePiece model (a protobuf, never a pickle) shared by source and target.

    ``languages`` (source, target: ``("en", "fr")``) say which side's words split off
    French elided words (``models.text.elides``); without them both sides do."""

    def __init__(self, model_proto: bytes, languages: tuple[str, str] | None = None) -> None:
        self.sp = spm.SentencePieceProcessor(model_proto=model_proto)
        self.model_proto = model_proto
        self.eos_id = self.sp.eos_id()
        self.bos_id = self.sp.bos_id()
        self.unk_id = self.sp.unk_id()
        self.pad_id = self.sp.pad_id()
        source, target = languages or (None, None)
        self.source_elides, self.target_elides = elides(source), elides(target)
        # typographic quotes this vocabulary lacks, read as the plain ones it has (the
        # Tatoeba models), and the plain apostrophe as the curly one where only that was
        # learnt (the Bible pair's English)
        self.folds = {
            ch: plain
            for ch, plain in PLAIN_QUOTES.items()
            if not self.knows(ch) and self.knows(plain)
        }
        if not self.knows("'") and self.knows("\u2019"):
            self.folds["'"] = "\u2019"
        self._fold_table = str.maketrans(self.folds)
        # a plain double quote where only the curly pair was learnt (the Bible's English):
        # opening or closing by its place (``curly_double_quotes``)
        self.curly_double = (
            not self.knows('"') and self.knows(OPENING_QUOTE) and self.knows(CLOSING_QUOTE)
        )
        # what each fold reads a quote as, for the note
        self._fold_labels = dict(self.folds)
        if self.curly_double:
            self._fold_labels['"'] = f"{OPENING_QUOTE} or {CLOSING_QUOTE}"

    def knows(self, ch: str) -> bool:
        """Whether the vocabulary holds ``ch`` (it is not read as the unknown piece)."""
        return self.unk_id not in self.sp.encode(ch)

    def read(self, text: str) -> str:
        """``text`` as this tokenizer reads it: cleaned (``clean_text``), and the quotes
        its vocabulary lacks read as the ones it learnt ("J\u2019ai" -> "J'ai" for a
        model that learnt plain quotes, "don't" -> "don\u2019t" for one that learnt
        curly ones)."""
        return self._fold(clean_text(text))

    def _fold(self, text: str) -> str:
        """``text`` (cleaned) with the quotes this vocabulary lacks read as it learnt them."""
        if self.curly_double and '"' in text:
            text = curly_double_quotes(text)
        return text.translate(self._fold_table)

    def fold_note(self, text: str) -> str | None:
        """Which quotes :meth:`read` changes in ``text`` (cleaned), for the person, or
        None."""
        labels = self._fold_labels
        folded = sorted({ch for ch in text if ch in labels})
        if not folded:
            return None
        shown = ", ".join(f"{ch} ({code_point(ch)}) as {labels[ch]}" for ch in folded)
        return f"read with {shown}: the quotes this model learnt"

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

    def encode_source(self, text: str) -> TokenSeq:
        """A source as a model reads it (at most ``MAX_SOURCE_PIECES`` pieces, then the
        end token): one rule for the engine and for the notes a page shows beside a
        trace stored with the checkpoint (the same text decoded earlier)."""
        return self.encode(text, MAX_SOURCE_PIECES, add_eos=True, elide=self.source_elides)

    def encode_target(self, text: str, add_eos: bool = True) -> TokenSeq:
        """A target given to the decoder (a reference forced, a prefix): at most
        ``MAX_OUTPUT_PIECES`` - 1 pieces, so the end token still fits the output
        limit.  Its ``notes`` say what cleaning and the cut did to it, as for a source."""
        return self.encode(text, MAX_OUTPUT_PIECES - 1, add_eos=add_eos, elide=self.target_elides)

    def encode(
        self, text: str, max_pieces: int, add_eos: bool = True, elide: bool = True
    ) -> TokenSeq:
        """Clean ``text`` and split it into pieces mapped to its words (``group_pieces``).

        At most ``max_pieces`` pieces are kept (the end token not counted); a longer
        text is cut at a word boundary where possible and marked ``truncated``.
        """
        dropped = dropped_note(text)
        text = _cleaned(text)
        folded = self.fold_note(text)
        text = self._fold(text)
        proto = self.sp.encode(text, return_type="proto")
        char_at = _char_offsets(text)
        raw = [
            (p.id, p.surface if p.id == self.unk_id else p.piece, char_at(p.begin), char_at(p.end))
            for p in proto.pieces
        ]
        truncated = len(raw) > max_pieces
        whole_words = True
        if truncated:
            raw = _cut_at_word(raw[:max_pieces], text, elide)
            spans = word_spans(text, elide)
            whole_words = not any(b < raw[-1][3] < e for b, e, _ in spans)
            text = text[: raw[-1][3]].rstrip(" ")
        words, mapping = group_pieces(text, [r[2] for r in raw], elide)
        seq = TokenSeq([r[0] for r in raw], [r[1] for r in raw], words, mapping, text, truncated)
        if dropped:
            seq.notes.append(dropped)
        if folded:
            seq.notes.append(folded)
        if truncated and whole_words:
            seq.notes.append(f"cut to its first {plural(len(words), 'word')} ({len(raw)} pieces)")
        elif truncated:  # one word longer than the limit: cut inside it
            seq.notes.append(
                f"cut to its first {len(raw)} pieces, inside its first word ({len(text):,} of "
                f"its characters kept)"
            )
        if add_eos:
            _append_eos(seq, self.eos_id)
        return seq

    def sample_ids(
        self, text: str, alpha: float, rng: random.Random, nbest: int = SAMPLE_NBEST
    ) -> list[int]:
        """One segmentation of ``text`` drawn from its ``nbest`` best ones with
        probability proportional to P(segmentation) ** ``alpha`` (subword regularization,
        Kudo 2018, its l-best form), end token included.  The draw is ``rng``'s, so a seed
        repeats it in any process (SentencePiece's own sampler mixes in state of the
        process).  Training only: the page and the evaluation read :meth:`encode`'s one
        best segmentation."""
        text = self._fold(_cleaned(text))
        options = self.sp.nbest_encode(text, nbest_size=nbest, return_type="proto")
        options = options.nbests
        top = options[0].score
        weights = [math.exp(alpha * (o.score - top)) for o in options]
        chosen = options[rng.choices(range(len(options)), weights)[0]]
        return [*(p.id for p in chosen.pieces), self.eos_id]

    def decode(self, ids: Iterable[int]) -> TokenSeq:
        """Pieces -> text by SentencePiece's word-start marks, then words by the word
        rule (``group_pieces``); specials map to -1."""
        ids = [int(i) for i in ids]
        pieces = [self.sp.id_to_piece(i) for i in ids]
        tokens: list[str] = []
        where: list[tuple[int, int] | None] = []  # (token, character offset in it)
        for i, piece in zip(ids, pieces):
            if self.sp.is_control(i):
                where.append(None)
                continue
            body = UNKNOWN_TEXT if i == self.unk_id else piece
            if body.startswith(WORD_START) or not tokens:
                tokens.append("")
            where.append((len(tokens) - 1, len(tokens[-1])))
            tokens[-1] += body.lstrip(WORD_START)
        text = " ".join(t for t in tokens if t)
        begins, offset = [], 0  # where each token starts in ``text``
        for token in tokens:
            # an empty token (a lone word-start piece) sits on the character before it
            begins.append(offset if token else max(offset - 2, 0))
            offset += len(token) + 1 if token else 0
        starts = [None if w is None else begins[w[0]] + w[1] for w in where]
        words, mapping = group_pieces(text, starts, self.target_elides)
        return TokenSeq(ids, pieces, words, mapping, text)


def _cleaned(text: str) -> str:
    """The text as the model reads it (``clean_text``); an empty one is refused."""
    text = clean_text(text)
    if not text:
        raise InputError("the text is empty")
    return text


def _char_offsets(text: str):
    """SentencePiece's UTF-8 byte offsets -> character offsets of ``text``."""
    byte_starts = list(itertools.accumulate((len(ch.encode("utf-8")) for ch in text), initial=0))
    return lambda byte: bisect.bisect_right(byte_starts, byte) - 1


def _cut_at_word(raw: list, text: str, elide: bool = True) -> list:
    """Drop the pieces of a word that the cut left incomplete (unless it is the only one),
    and a piece of nothing but the space before a word left at the end.

    A piece belongs to the incomplete word when it ends after the word's start: a
    word-start piece ("▁jump" of "jumps") begins on the space before its word, so
    where a piece begins cannot tell."""
    spans = word_spans(text, elide)
    cut = raw[-1][3]
    inside = [(b, e) for b, e, _ in spans if b < cut < e]
    kept = raw
    if inside and inside[0][0] > 0:
        kept = [r for r in raw if r[3] <= inside[0][0]]
    while kept and not text[kept[-1][2] : kept[-1][3]].strip():
        kept = kept[:-1]
    return kept or raw


MIN_CHARACTER_COUNT = 3  # a character seen this often in training text is never unknown


def kept_characters(counts: Counter) -> set[str]:
    """The characters a new tokenizer must hold: those seen at least
    ``MIN_CHARACTER_COUNT`` times, and every ASCII digit seen at all."""
    return {ch for ch, n in counts.items()
            if n >= MIN_CHARACTER_COUNT or (ch.isdigit() and ch.isascii())}  # fmt: skip


def _append_eos(seq: TokenSeq, eos_id: int) -> None:
    seq.ids.append(eos_id)
    seq.pieces.append("</s>")
    seq.piece_to_word.append(-1)


def train_tokenizer(lines: Iterable[str], vocab_size: int, seed_sentencepieces: int = 0) -> bytes:
    """Train a unigram SentencePiece model on ``lines``; returns the model protobuf."""
    lines = list(lines)
    counts = Counter(ch for line in lines for ch in line if not ch.isspace())
    buffer = io.BytesIO()
    options = dict(
        sentence_iterator=iter(lines),
        # character coverage alone dropped rare but real characters (an everyday corpus
        # lost "É", "Ü", "K", "-" and most digits): every character seen a few times is
        # kept, and every ASCII digit seen at all
        required_chars="".join(sorted(kept_characters(counts))),
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
