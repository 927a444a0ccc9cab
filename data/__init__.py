"""Parallel corpora for the attention-alignment visualizer, built from Debian packages.

* ``en-de``: English -> German pairs from the Ding dictionary (package ``trans-de-en``),
  see :mod:`data.ding`, and the German message catalogs of Debian programs, see
  :mod:`data.messages`.
* ``es-en``: Spanish -> English Bible verses, Reina-Valera 1909 (``sword-text-sparv``)
  aligned with the World English Bible (``sword-text-web``), see :mod:`data.bible`.

Run ``python -m data.build`` to fetch the packages and write ``corpora/<pair>/*.tsv``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Pair", "normalize_space", "word_count"]

_SPACE_RE = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT_RE = re.compile(r"\s+([,.;:!?])")


@dataclass(frozen=True, order=True)
class Pair:
    """One aligned sentence / phrase pair.

    ``kind`` is ``"sentence"``, ``"phrase"`` (dictionary data), ``"message"``, ``"label"``
    (software messages) or ``"verse"`` (Bible).
    ``rank`` orders alternative translations of the same entry (0 = primary rendering).
    ``ref`` is an optional origin reference (e.g. a Bible verse ``"Gen.1.1"``).
    """

    src: str
    tgt: str
    kind: str
    rank: int = 0
    ref: str = ""


def normalize_space(text: str) -> str:
    """NFC-normalise, collapse whitespace runs and remove spaces before , . ; : ! ?"""
    text = unicodedata.normalize("NFC", text)
    text = _SPACE_RE.sub(" ", text).strip()
    return _SPACE_BEFORE_PUNCT_RE.sub(r"\1", text)


def word_count(text: str) -> int:
    """Number of whitespace-separated tokens."""
    return len(text.split())
