"""How SentencePiece pieces are shown to people.

A piece that starts a word carries SentencePiece's word-start mark ``▁`` (U+2581): it
is drawn as a thin ``·`` before the letters (``·Haus``); a piece without it continues
the word before it (``haus``).  A mark with no letters after it is a piece of its own
when the vocabulary has no piece that starts a word with the next letters: it is drawn
as ``␣`` and described, never shown as if it were a word.
"""

from __future__ import annotations

WORD_START = "\u2581"  # SentencePiece's word-start mark
MARK = "\u00b7"  # the mark as drawn before a piece's letters
LONE_START = "\u2423"  # a word start with no letters
END = "</s>"
UNKNOWN = "<unk>"
PIECE_LEGEND = (
    f"How pieces are shown: {MARK}Haus starts a word, haus continues the word before it, "
    f"{LONE_START} is a word start on its own (the word's letters come in the next piece), "
    f"{END} ends the sentence, {UNKNOWN} (\u2047 in an output's text) stands for characters "
    "the vocabulary lacks; a source's unknown characters are shown as typed, though the "
    f"model reads each run of them as {UNKNOWN}."
)


def piece_label(piece: str) -> str:
    """Short label: ``▁Haus`` -> ``·Haus``, a lone ``▁`` -> ``␣``."""
    if piece == WORD_START:
        return LONE_START
    return piece.replace(WORD_START, MARK)


def piece_role(piece: str) -> str:
    """What the piece does, in words."""
    if piece == END:
        return "the end of the sentence"
    if piece == UNKNOWN:
        return "characters the vocabulary lacks"
    if piece == WORD_START:
        return "a word start on its own: the next piece begins a new word"
    if piece.startswith(WORD_START):
        return "the start of a word"
    return "the continuation of the word before it"


def describe_piece(piece: str) -> str:
    """``label (role)``, e.g. ``␣ (a word start on its own: ...)``."""
    return f"{piece_label(piece)} ({piece_role(piece)})"
