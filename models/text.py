"""Cleaning user text before it reaches a tokenizer.

Rules: Unicode NFC; control characters (category Cc) and bidirectional overrides are
removed; any run of whitespace becomes one space; leading/trailing space is dropped.
"""

from __future__ import annotations

import re
import unicodedata

# Explicit directional embeddings, overrides and isolates: they reorder what is shown.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_SPACES = re.compile(r"\s+")


class InputError(ValueError):
    """Text that cannot be translated, with a message fit to show to a person."""


def clean_text(text: str) -> str:
    """NFC, no control characters, single spaces."""
    if not isinstance(text, str):
        raise InputError("the text must be a string")
    text = unicodedata.normalize("NFC", text)
    kept = []
    for ch in text:
        if ch in _BIDI_CONTROLS:
            continue
        if unicodedata.category(ch) == "Cc":
            kept.append(" " if ch in "\t\n\r\x0b\x0c" else "")
            continue
        kept.append(ch)
    return _SPACES.sub(" ", "".join(kept)).strip()


def word_spans(text: str) -> list[tuple[int, int]]:
    """UTF-8 byte spans [begin, end) of the whitespace-split words of ``text``."""
    spans, offset = [], 0
    for part in text.split(" "):
        size = len(part.encode("utf-8"))
        if part:
            spans.append((offset, offset + size))
        offset += size + 1
    return spans
