"""English -> Hindi pairs from the LibreOffice help (Debian ``libreoffice-help-en-us`` and
``libreoffice-help-hi``, MPL-2.0).

Both packages ship the help as HTML pages built from the same sources, one tree a language
(``usr/share/libreoffice/help/en-US/text/...`` and ``.../hi/text/...``) with the same relative
paths. Every paragraph and heading carries the ``id`` of its source paragraph
(``<p id="par_id3147762" class="paragraph">``, ``<h2 id="hd_id991641581514302">``), the same
in both languages, so a page's paragraphs align by (relative path, id). Paragraphs the Hindi
translators never translated are left in English there.

Rules, in order, each counted (:func:`help_pairs`):

1. Text: the visible text of the element and of its inline elements (``<span>``, ``<a>``,
   ``<sup>``, ...), ``<br>`` a space, images dropped. Of a ``switchinline`` (text that
   depends on the system or module: "Command" on macOS, "Ctrl" elsewhere) only the default
   variant is kept: the hidden alternatives with a ``class`` (``MAC``, ``WRITER``, ...) are
   left out. Then :func:`data.tatoeba.clean_side`: NFC, plain quotes, single spaces.
2. ``ambiguous_id``: an id that a page holds twice with different texts (copied sections)
   is left out, as the two sides cannot be paired by it.
3. ``empty``: a side without text (image-only paragraphs).
4. ``untranslated``: the Hindi side is not mostly Devanagari: fewer than
   :data:`MIN_DEVANAGARI` of its letters are (English left in place, code, numbers).
   Product and key names inside a translated paragraph ("LibreOffice", "Shift") are fine.
5. ``heading``: headings (``<h1>``-``<h6>``) are left out unless asked for: they are Title
   Case labels of three words on average ("Find Previous", "Match case", "Selecting
   records"), the name of the control that the paragraph below them describes in full, and
   Hindi often renders them as a noun ("रेकॉर्ड चुनना"); the paragraphs hold the same
   words in sentences.
6. ``too_long``: more than :data:`MAX_WORDS` English words.
7. ``numbers_differ``: the two sides do not hold the same numbers. The Hindi help carries
   outdated translations of edited paragraphs ("955 Label expected" -> "वेरिएबल उपलब्ध
   नहीं है", "Shift+F10" -> "शिफ़्ट+F2"); a number that changed gives them away.
8. ``hindi_reused``: a Hindi text that stands for more than :data:`MAX_ENGLISH_PER_HINDI`
   different English texts (case ignored) is left out with all its pairs: the same
   outdated text copied onto the paragraphs of a family ("Straight connector ends with
   arrow", "Curved connector starts with arrow", ... -> one Hindi sentence).
9. ``duplicates``: exact (English, Hindi) duplicates, the first in path order kept.

Hindi full stops: the help ends Hindi sentences with ``.``, Tatoeba with the danda ``।``.
A ``.`` after a Devanagari character and before a space or the end becomes ``।``, so the
added pairs follow the convention of the sentences they join (counted as ``danda``, the
pairs changed; nothing removed). Kind: ``message`` when the English reads as a sentence
(:func:`data.messages.is_sentence`), else ``label``; ``ref`` is ``path#id``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from data import Pair, word_count
from data.debs import DEFAULT_CACHE, Package, package_root
from data.messages import is_sentence
from data.tatoeba import clean_side

HELP = "usr/share/libreoffice/help"
ENGLISH, HINDI = "en-US", "hi"  # folders of the two languages below HELP
HELP_EN = Package("libreoffice-help-en-us", f"{HELP}/{ENGLISH}/text/shared/main0108.html")
HELP_HI = Package("libreoffice-help-hi", f"{HELP}/{HINDI}/text/shared/main0108.html")
CREDIT = "LibreOffice help (Debian libreoffice-help-en-us and libreoffice-help-hi), MPL-2.0"

MIN_DEVANAGARI = 0.5  # share of a Hindi side's letters that must be Devanagari
MAX_WORDS = 50  # English words
MAX_ENGLISH_PER_HINDI = 2

_ID_RE = re.compile(r"(?:par|hd)_id")
_HEADING_RE = re.compile(r"h[1-6]")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
_NUMBER_RE = re.compile(r"\d+")
_FULL_STOP_RE = re.compile(r"(?<=[\u0900-\u097f])\.(?=\s|$)")

DROP_RULES = ("ambiguous_id", "empty", "untranslated", "heading", "too_long")
DROP_RULES += ("numbers_differ", "hindi_reused", "duplicates")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph or heading of a help page: its ``id``, element and visible text."""

    id: str
    tag: str
    text: str


def _variant(attrs: dict[str, str | None]) -> bool:
    """A hidden system or module variant of a ``switchinline`` (the default has no class)."""
    return "hidden" in attrs and bool(attrs.get("class"))


class _ParagraphParser(HTMLParser):
    """Collects the elements whose ``id`` starts with ``par_id`` or ``hd_id`` (rule 1)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[Paragraph] = []
        self._stack: list[str] = []
        self._open: tuple[int, str, str] | None = None  # depth, id, tag of the paragraph
        self._hidden: int | None = None  # depth of a hidden variant being skipped
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.handle_startendtag(tag, attrs)
            return
        self._stack.append(tag)
        found = dict(attrs)
        ident = found.get("id") or ""
        if self._open is None and _ID_RE.match(ident):
            self._open, self._text = (len(self._stack), ident, tag), []
        elif self._open is not None and self._hidden is None and _variant(found):
            self._hidden = len(self._stack)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and self._open is not None and self._hidden is None:
            self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._stack:
            return
        while self._stack:
            depth = len(self._stack)
            popped = self._stack.pop()
            if self._hidden is not None and depth <= self._hidden:
                self._hidden = None
            if self._open is not None and depth <= self._open[0]:
                _, ident, element = self._open
                self.paragraphs.append(Paragraph(ident, element, "".join(self._text)))
                self._open = None
            if popped == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._open is not None and self._hidden is None:
            self._text.append(data)


def page_paragraphs(html: str) -> list[Paragraph]:
    """The paragraphs and headings of one help page in page order, text cleaned (rule 1)."""
    parser = _ParagraphParser()
    parser.feed(html)
    parser.close()
    return [Paragraph(p.id, p.tag, clean_side(p.text)) for p in parser.paragraphs]


def by_id(paragraphs: list[Paragraph]) -> dict[str, Paragraph | None]:
    """A page's paragraphs by id; ``None`` for an id held twice with different texts."""
    found: dict[str, Paragraph | None] = {}
    for paragraph in paragraphs:
        if paragraph.id not in found:
            found[paragraph.id] = paragraph
        elif (seen := found[paragraph.id]) is not None and seen.text != paragraph.text:
            found[paragraph.id] = None
    return found


def read_tree(folder: Path) -> dict[tuple[str, str], Paragraph | None]:
    """The paragraphs of every ``.html`` page below ``folder`` by (relative path, id)."""
    tree: dict[tuple[str, str], Paragraph | None] = {}
    for path in sorted(folder.rglob("*.html")):
        relative = path.relative_to(folder).as_posix()
        for ident, paragraph in by_id(page_paragraphs(path.read_text("utf-8"))).items():
            tree[relative, ident] = paragraph
    return tree


def devanagari_share(text: str) -> float:
    """Share of the letters of ``text`` that are Devanagari (0 without letters)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum("\u0900" <= ch <= "\u097f" for ch in letters) / len(letters)


def numbers(text: str) -> list[int]:
    """The numbers of ``text`` (any script's digits), sorted."""
    return sorted(int(n) for n in _NUMBER_RE.findall(text))


def with_dandas(hindi: str) -> str:
    """Full stops after Devanagari become dandas: "सहेजें. फिर" -> "सहेजें। फिर"."""
    return _FULL_STOP_RE.sub("।", hindi)


def drop_rule(english: Paragraph | None, hindi: Paragraph | None, headings: bool) -> str | None:
    """The rule (2-7) that drops an aligned paragraph, ``None`` when it is kept."""
    if english is None or hindi is None:
        return "ambiguous_id"
    if not english.text or not hindi.text:
        return "empty"
    if devanagari_share(hindi.text) < MIN_DEVANAGARI:
        return "untranslated"
    if not headings and _HEADING_RE.fullmatch(english.tag):
        return "heading"
    if word_count(english.text) > MAX_WORDS:
        return "too_long"
    if numbers(english.text) != numbers(hindi.text):
        return "numbers_differ"
    return None


def help_pairs(
    english_folder: Path, hindi_folder: Path, *, headings: bool = False
) -> tuple[list[Pair], dict[str, int]]:
    """English -> Hindi pairs of two help trees (rules 1-9, in path order) and the counts:
    paragraphs of each language, aligned ones, each rule's drops, ``danda``, ``pairs``."""
    english, hindi = read_tree(english_folder), read_tree(hindi_folder)
    aligned = sorted(english.keys() & hindi.keys())
    counts = Counter({rule: 0 for rule in DROP_RULES})
    candidates: list[Pair] = []
    for key in aligned:
        rule = drop_rule(english[key], hindi[key], headings)
        if rule:
            counts[rule] += 1
            continue
        src, tgt = english[key].text, hindi[key].text
        kind = "message" if is_sentence(src) else "label"
        candidates.append(Pair(src, tgt, kind, ref="#".join(key)))
    sources: dict[str, set[str]] = defaultdict(set)
    for pair in candidates:
        sources[pair.tgt].add(pair.src.casefold())
    pairs: list[Pair] = []
    seen: set[tuple[str, str]] = set()
    for pair in candidates:
        if len(sources[pair.tgt]) > MAX_ENGLISH_PER_HINDI:
            counts["hindi_reused"] += 1
        elif (pair.src, pair.tgt) in seen:
            counts["duplicates"] += 1
        else:
            seen.add((pair.src, pair.tgt))
            tgt = with_dandas(pair.tgt)
            counts["danda"] += tgt != pair.tgt
            pairs.append(Pair(pair.src, tgt, pair.kind, ref=pair.ref))
    totals = {"paragraphs_en": len(english), "paragraphs_hi": len(hindi), "aligned": len(aligned)}
    return pairs, {**totals, **counts, "pairs": len(pairs)}


def read_help(cache: Path = DEFAULT_CACHE) -> tuple[list[Pair], dict[str, int]]:
    """The pairs and counts of :func:`help_pairs` from the two Debian packages."""
    english = package_root(HELP_EN, cache) / HELP / ENGLISH
    hindi = package_root(HELP_HI, cache) / HELP / HINDI
    return help_pairs(english, hindi)
