"""Tatoeba sentence pairs as manythings.org/anki publishes them.

A file (``fra.txt``, ``deu.txt``, ``hin.txt``, ...) or the ``.zip`` that holds it has one pair a
line: ``English<TAB>other language[<TAB>attribution]``.  The attribution column is dropped
(the data's licence, CC-BY 2.0 FR, is credited in the model cards and the README instead).

Cleaning (:func:`clean_pairs`), each rule counted:

* ``malformed``: lines without text on both sides;
* whitespace: NFC, no-break and thin spaces become spaces, zero-width characters and soft
  hyphens are dropped, runs of spaces collapse (counted as ``respaced``, nothing removed);
* quotes: typographic apostrophes and double quotes become ``'`` and ``"`` (French «» stay),
  counted as ``requoted``;
* ``duplicates``: exact duplicate pairs after the two rules above.

The files themselves are never part of this project: anyone can download the same ones from
https://www.manythings.org/anki/ (e.g. ``fra-eng.zip``), see the README.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from data import Pair
from models.text import PLAIN_QUOTES

# name of the manythings.org file for each non-English language of the shipped pairs
FILES = {"fr": "fra-eng.zip", "de": "deu-eng.zip", "es": "spa-eng.zip", "hi": "hin.txt"}
DOWNLOAD = "https://www.manythings.org/anki/"
CREDIT = "Tatoeba (tatoeba.org), via manythings.org/anki, CC-BY 2.0 FR"

_SPACE_LIKE = {"\u00a0", "\u202f", "\u2009", "\u2007", "\u2008", "\u200a", "\u3000"}
_DROPPED = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
_QUOTES = str.maketrans(PLAIN_QUOTES)


def read_lines(path: Path) -> Iterator[str]:
    """The text lines of an anki ``.txt`` file, or of the one ``.txt`` in its ``.zip``
    (``_about.txt`` and macOS metadata skipped)."""
    if path.suffix.lower() != ".zip":
        with path.open(encoding="utf-8", errors="replace") as handle:
            yield from handle
        return
    with zipfile.ZipFile(path) as archive:
        names = [
            name
            for name in archive.namelist()
            if name.endswith(".txt")
            and not Path(name).name.startswith(("_", "."))
            and "__MACOSX" not in name
        ]
        if len(names) != 1:
            raise ValueError(f"{path.name}: expected one sentence file inside, found {names}")
        with archive.open(names[0]) as raw:
            yield from io.TextIOWrapper(raw, encoding="utf-8", errors="replace")


def split_line(line: str) -> tuple[str, str] | None:
    """(English, other) of one anki line; ``None`` when a side is missing."""
    parts = line.rstrip("\r\n").split("\t")
    if len(parts) < 2 or not parts[0].strip() or not parts[1].strip():
        return None
    return parts[0], parts[1]


def clean_side(text: str) -> str:
    """NFC, plain spaces and quotes, single spaces, no zero-width characters."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    text = "".join(" " if ch in _SPACE_LIKE else ch for ch in text if ch not in _DROPPED)
    return " ".join(text.split())


def _respaced(text: str) -> bool:
    return any(ch in _SPACE_LIKE or ch in _DROPPED for ch in text) or "  " in text.strip()


def clean_pairs(
    rows: Iterable[tuple[str, str] | None], *, swap: bool = False
) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """Cleaned ``(source, target)`` rows in input order and the count of each rule.

    The first column is the source (English in a manythings.org file); ``swap`` makes the
    second column the source (hi -> en from ``hin.txt``).
    """
    counts = Counter(lines=0, malformed=0, respaced=0, requoted=0, duplicates=0)
    seen: set[tuple[str, str]] = set()
    out = []
    for row in rows:
        counts["lines"] += 1
        if row is None:
            counts["malformed"] += 1
            continue
        english, other = row
        cleaned = clean_side(english), clean_side(other)
        if not all(cleaned):
            counts["malformed"] += 1
            continue
        counts["respaced"] += any(_respaced(side) for side in row)
        counts["requoted"] += any(side != side.translate(_QUOTES) for side in row)
        if cleaned in seen:
            counts["duplicates"] += 1
            continue
        seen.add(cleaned)
        out.append(cleaned[::-1] if swap else cleaned)
    return out, dict(counts)


def read_anki(path: Path, *, swap: bool = False) -> tuple[list[tuple[str, str]], dict]:
    """Cleaned rows of one anki file (or its zip, or any ``source<TAB>target[<TAB>...]``
    file) and the counts of :func:`clean_pairs`."""
    return clean_pairs((split_line(line) for line in read_lines(path)), swap=swap)


def tatoeba_pairs(folder: Path, language: str):
    """:class:`~data.Pair` rows (kind ``"sentence"``) of one language's file in ``folder``,
    and the cleaning counts.  Raises ``FileNotFoundError`` naming the download page."""
    path = folder / FILES[language]
    if not path.exists():
        raise FileNotFoundError(
            f"{path} not found: download {FILES[language]} from {DOWNLOAD} into {folder} "
            "(or name the folder with TATOEBA=... / --tatoeba)"
        )
    rows, counts = read_anki(path)
    return [Pair(src, tgt, "sentence") for src, tgt in rows], counts
