"""Spanish -> English Bible verse pairs from two SWORD modules (read with ``pysword``).

Source: Reina-Valera 1909 (``spaRV1909eb``, Debian ``sword-text-sparv``); target: World English
Bible (``engWEB2015eb``, Debian ``sword-text-web``). Both are public domain.

Alignment: verses are matched by reference (book, chapter, verse), iterating over the Spanish
module's structure (the WEB also holds deuterocanonical books, which are ignored). Chapters
whose verse counts differ between the two versifications (KJV vs NRSVA: 3 John 1 and
Revelation 12) are skipped, since their verses are split differently. Verses empty on either
side after cleaning are dropped.

Misalignment filter (:func:`filter_misaligned`): the Spanish module stores some passages with
Spanish verse numbering although it declares KJV versification (Numbers 13, 1 Samuel 24,
Job 40, Jonah 2, part of 1 Chronicles 21, ...), so verse ``n`` holds the text of verse
``n +- k``. With ``r = log(English words / Spanish words)`` and ``mu`` its median, the cost of
pairing two verses is ``|r - mu|``. A whole chapter is dropped when shifting the English side
by some offset (``0 < |k| <= 6``) lowers the mean cost to under 70% of the unshifted cost
(when that exceeds 0.25); a verse is dropped when the same holds (under 60%) in the window of
+-3 verses around it, or when its own cost exceeds 0.7 (one side over twice as long).

The raw OSIS markup is cleaned here instead of by pysword's cleaner, which glues words where a
footnote is cut out ("only bornSon", "Godcreated"):

* ``<note>``, ``<speaker>``, ``<catchWord>``, ``<rdg>`` and non-canonical ``<title>`` elements
  (section headings) are removed with their content; canonical titles (psalm superscriptions,
  part of the Spanish verse text too) keep their content.
* Inline tags (``<w>``, ``<name>``, ``<seg>``, ...) are removed and leave nothing behind, as
  words inside them are already separated by the surrounding text (hyphenated compounds
  are split across ``<w>`` elements). ``<transChange>`` (words added by the translators) is
  a boundary, as the Spanish text abuts it to words: ``siempre</w><transChange>es``.
* Every other tag and every removed element is a word boundary: it becomes a space unless it
  sits next to whitespace, closing punctuation or an opening quote.
* Text after a chapter end marker (the WEB appends its glossary to Revelation 22:21) is cut.
* Entities are unescaped, whitespace normalised, and the drop capitals that open chapters
  (1-3 all-caps words starting a sentence, followed by lowercase text: "EN el principio",
  "¡OH Jehová", "DE SIETE años") are put in sentence case ("En", "¡Oh", "De siete").
"""

from __future__ import annotations

import functools
import html
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from data import Pair, normalize_space, word_count
from models.text import OPENING_PUNCTUATION

SOURCE_MODULE = "spaRV1909eb"
TARGET_MODULE = "engWEB2015eb"

_BOUNDARY = "\x00"
_DROP_ELEMENT_RE = re.compile(
    r"<(note|speaker|catchWord|rdg)\b[^>]*?(?<!/)>.*?</\1\s*>"
    r"|<title\b(?![^>]*canonical=\"true\")[^>]*?(?<!/)>.*?</title\s*>",
    re.DOTALL | re.IGNORECASE,
)
_END_RE = re.compile(r"<chapter\b[^>]*\beID=", re.IGNORECASE)
_INLINE_TAG_RE = re.compile(
    r"</?(?:w|name|seg|hi|divineName|foreign|mentioned|a)\b[^>]*>",
    re.IGNORECASE,
)
_ANY_TAG_RE = re.compile(r"<[^>]*>")
_BOUNDARY_RUN_RE = re.compile(_BOUNDARY + "+")
_CLOSING = set(",.;:!?)]}”’»")
_SENTENCE_END = set(".:;!?")
MAX_DROP_CAP_WORDS = 3
MAX_OFFSET = 6
WINDOW_RADIUS = 3
MIN_SHIFT_COST = 0.25
CHAPTER_GAIN = 0.7
WINDOW_GAIN = 0.6
MAX_VERSE_COST = 0.7
MIN_SHIFT_VERSES = 3


def _boundary_to_space(match: re.Match[str]) -> str:
    """A boundary becomes a space only between two non-space, non-punctuation characters."""
    text, start, end = match.string, match.start(), match.end()
    left = text[start - 1] if start > 0 else " "
    right = text[end] if end < len(text) else " "
    if left.isspace() or right.isspace() or right in _CLOSING or left in OPENING_PUNCTUATION:
        return ""
    return " "


def _is_caps(token: str) -> bool:
    """True for a token whose letters are all capitals ("EN", "¡OH", "ALELUYA.")."""
    letters = [ch for ch in token if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _lower_but_first(token: str, keep_first: bool) -> str:
    """Lowercase a token, keeping its first letter upper if ``keep_first``."""
    lowered = token.lower()
    if not keep_first:
        return lowered
    for pos, char in enumerate(lowered):
        if char.isalpha():
            return lowered[:pos] + char.upper() + lowered[pos + 1 :]
    return lowered


def _drop_cap_run(tokens: list[str], start: int) -> int:
    """Length of the all-caps run at ``start`` if it is a drop capital, else 0."""
    run = 0
    while start + run < len(tokens) and _is_caps(tokens[start + run]):
        run += 1
        if tokens[start + run - 1][-1] in _SENTENCE_END:
            break
    end = start + run
    if not 0 < run <= MAX_DROP_CAP_WORDS or end == len(tokens):
        return 0
    if not any(ch.islower() for ch in tokens[end]):
        return 0
    if max(sum(ch.isalpha() for ch in tok) for tok in tokens[start:end]) < 2:
        return 0
    return run


def fix_drop_caps(text: str) -> str:
    """Sentence case for 1-3 all-caps words that start a sentence and precede lowercase text.

    "EN el principio" -> "En el principio", "Y DÍJOME: Hijo" -> "Y díjome: Hijo"; longer runs
    and runs not followed by lowercase text are inscriptions ("REY DE LOS JUDIOS") and stay.
    """
    tokens = text.split(" ")
    for start in range(len(tokens)):
        if start and tokens[start - 1][-1:] not in _SENTENCE_END:
            continue
        run = _drop_cap_run(tokens, start)
        for pos in range(start, start + run):
            tokens[pos] = _lower_but_first(tokens[pos], keep_first=pos == start)
    return " ".join(tokens)


def clean_osis(raw: str) -> str:
    """Turn one verse of OSIS markup into plain text (see module docstring)."""
    end = _END_RE.search(raw)
    if end:
        raw = raw[: end.start()]
    text = _DROP_ELEMENT_RE.sub(_BOUNDARY, raw)
    text = _INLINE_TAG_RE.sub("", text)
    text = _ANY_TAG_RE.sub(_BOUNDARY, text)
    text = html.unescape(text)
    text = _BOUNDARY_RUN_RE.sub(_boundary_to_space, text)
    text = normalize_space(text)
    return fix_drop_caps(text)


def _cache_decompression(bible: Any) -> Any:
    """Memoise pysword's per-verse decompression of whole book blocks (a large speed-up)."""
    decompress = getattr(bible, "_decompressed_text", None)
    if decompress is not None:
        bible._decompressed_text = functools.lru_cache(maxsize=4)(decompress)
    return bible


def load_bibles(sword_dirs: Sequence[Path]) -> tuple[Any, Any]:
    """Open the source and target modules from SWORD directories (each holding ``mods.d/``)."""
    from pysword.modules import SwordModules

    modules = SwordModules([str(path) for path in dict.fromkeys(sword_dirs)])
    found = modules.parse_modules()
    for name in (SOURCE_MODULE, TARGET_MODULE):
        if name not in found:
            raise FileNotFoundError(f"SWORD module {name} not found in {list(sword_dirs)}")
    source, target = (
        modules.get_bible_from_module(name) for name in (SOURCE_MODULE, TARGET_MODULE)
    )
    return _cache_decompression(source), _cache_decompression(target)


def _chapter_lengths(bible: Any) -> dict[str, list[int]]:
    """Book name -> verse count per chapter, from a module's versification."""
    books = bible.get_structure().get_books()
    return {book.name: book.chapter_lengths for testament in books.values() for book in testament}


def _raw_verse(bible: Any, book: str, chapter: int, verse: int) -> str:
    """Raw (uncleaned) OSIS text of one verse."""
    return bible.get(books=[book], chapters=[chapter], verses=[verse], clean=False)


def iter_references(source: Any, target: Any) -> Iterator[tuple[str, str, int, int]]:
    """(book, OSIS book id, chapter, verse) of every verse both versifications agree on."""
    target_lengths = _chapter_lengths(target)
    for testament in source.get_structure().get_books().values():
        for book in testament:
            other = target_lengths.get(book.name, [])
            for chapter, count in enumerate(book.chapter_lengths, start=1):
                if chapter > len(other) or other[chapter - 1] != count:
                    continue
                for verse in range(1, count + 1):
                    yield book.name, book.osis_name, chapter, verse


def verse_pairs(source: Any, target: Any) -> Iterator[Pair]:
    """Aligned, cleaned, non-empty verse pairs in canonical order."""
    for book, osis, chapter, verse in iter_references(source, target):
        src = clean_osis(_raw_verse(source, book, chapter, verse))
        tgt = clean_osis(_raw_verse(target, book, chapter, verse))
        if src and tgt:
            yield Pair(src=src, tgt=tgt, kind="verse", ref=f"{osis}.{chapter}.{verse}")


def _log_ratio(pair: Pair) -> float:
    """log(target words / source words) of a verse pair."""
    return math.log(word_count(pair.tgt) / word_count(pair.src))


def _chapters(pairs: list[Pair]) -> dict[str, dict[int, Pair]]:
    """Group verse pairs by chapter ("Gen.1") and verse number."""
    chapters: dict[str, dict[int, Pair]] = defaultdict(dict)
    for pair in pairs:
        chapter, verse = pair.ref.rsplit(".", 1)
        chapters[chapter][int(verse)] = pair
    return chapters


def _mean_cost(chapter: dict[int, Pair], verses: list[int], offset: int, mu: float) -> float | None:
    """Mean |r - mu| pairing source verse v with target verse v + offset (None: too few)."""
    costs = [
        abs(math.log(word_count(chapter[v + offset].tgt) / word_count(chapter[v].src)) - mu)
        for v in verses
        if v + offset in chapter
    ]
    return statistics.fmean(costs) if len(costs) >= MIN_SHIFT_VERSES else None


def is_shifted(chapter: dict[int, Pair], verses: list[int], mu: float, gain: float) -> bool:
    """True when some non-zero offset explains the lengths of ``verses`` much better."""
    base = _mean_cost(chapter, verses, 0, mu)
    if base is None or base <= MIN_SHIFT_COST:
        return False
    for offset in range(-MAX_OFFSET, MAX_OFFSET + 1):
        cost = _mean_cost(chapter, verses, offset, mu) if offset else None
        if cost is not None and cost < gain * base:
            return True
    return False


def _misaligned_refs(chapter: dict[int, Pair], mu: float) -> set[str]:
    """References of the verses of one chapter that the filter drops."""
    verses = sorted(chapter)
    if is_shifted(chapter, verses, mu, CHAPTER_GAIN):
        return {pair.ref for pair in chapter.values()}
    dropped = set()
    for verse in verses:
        window = [v for v in verses if abs(v - verse) <= WINDOW_RADIUS]
        pair = chapter[verse]
        too_far = abs(_log_ratio(pair) - mu) > MAX_VERSE_COST
        if too_far or is_shifted(chapter, window, mu, WINDOW_GAIN):
            dropped.add(pair.ref)
    return dropped


def filter_misaligned(pairs: list[Pair]) -> list[Pair]:
    """Drop verses whose lengths show a versification shift (see module docstring)."""
    if not pairs:
        return []
    mu = statistics.median(_log_ratio(pair) for pair in pairs)
    dropped: set[str] = set()
    for chapter in _chapters(pairs).values():
        dropped |= _misaligned_refs(chapter, mu)
    return [pair for pair in pairs if pair.ref not in dropped]
