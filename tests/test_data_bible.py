"""Tests for the Bible verse alignment and OSIS cleaning (data.bible)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from data import Pair
from data.bible import (
    _cache_decompression,
    clean_osis,
    filter_misaligned,
    fix_drop_caps,
    verse_pairs,
)

SNIPPETS = Path(__file__).parent / "fixtures" / "data" / "osis_snippets.tsv"


def load_snippets() -> list[tuple[str, str]]:
    """(raw OSIS, expected text) rows of the fixture file."""
    rows = []
    for line in SNIPPETS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            raw, expected = line.split("\t")
            rows.append((raw, expected))
    return rows


@pytest.mark.parametrize(("raw", "expected"), load_snippets())
def test_clean_osis_fixture(raw: str, expected: str) -> None:
    assert clean_osis(raw) == expected


def test_note_is_dropped_with_its_content_and_words_stay_apart() -> None:
    assert clean_osis('God<note placement="foot">a note</note> created') == "God created"
    assert clean_osis("God<note>a note</note><w>created</w>") == "God created"
    raw = '<w lemma="x">only</w> <w>born</w><note n="1">..</note> Son'
    assert clean_osis(raw) == "only born Son"


def test_no_markup_or_boundary_characters_survive() -> None:
    for raw, _ in load_snippets():
        cleaned = clean_osis(raw)
        assert "<" not in cleaned and ">" not in cleaned and "\x00" not in cleaned
        assert cleaned == " ".join(cleaned.split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("EN el principio", "En el principio"),
        ("¡OH Jehová, cuánto", "¡Oh Jehová, cuánto"),
        ("DE SIETE años era", "De siete años era"),
        ("Salmo de David. JEHOVÁ, ¿quién", "Salmo de David. Jehová, ¿quién"),
        ("dijo: YO SOY EL QUE SOY.", "dijo: YO SOY EL QUE SOY."),
        ("en EFESO: El que", "en EFESO: El que"),
        ("In the beginning", "In the beginning"),
    ],
)
def test_drop_caps(text: str, expected: str) -> None:
    assert fix_drop_caps(text) == expected


@dataclass
class FakeBook:
    """Stand-in for pysword's BookStructure."""

    name: str
    osis_name: str
    chapter_lengths: list[int]


@dataclass
class FakeBible:
    """Stand-in for a pysword SwordBible: a structure plus raw verse texts."""

    books: list[FakeBook]
    texts: dict[tuple[str, int, int], str] = field(default_factory=dict)

    def get_structure(self) -> FakeBible:
        return self

    def get_books(self) -> dict[str, list[FakeBook]]:
        return {"ot": self.books}

    def get(self, books: list[str], chapters: list[int], verses: list[int], clean: bool) -> str:
        assert clean is False
        return self.texts.get((books[0], chapters[0], verses[0]), "")


def test_verse_pairs_align_by_reference() -> None:
    source = FakeBible(
        [FakeBook("Genesis", "Gen", [2, 3]), FakeBook("Jonah", "Jonah", [2])],
        {
            ("Genesis", 1, 1): "<w>EN el principio</w>",
            ("Genesis", 1, 2): "<w>Y la tierra</w>",
            ("Genesis", 2, 1): "no en inglés",
            ("Jonah", 1, 1): "<w>Palabra</w>",
        },
    )
    target = FakeBible(
        [
            FakeBook("Genesis", "Gen", [2, 4]),
            FakeBook("Jonah", "Jonah", [2]),
            FakeBook("Tobit", "Tob", [5]),
        ],
        {
            ("Genesis", 1, 1): "In<note>n</note><w>the</w> beginning",
            ("Genesis", 1, 2): "The earth",
            ("Genesis", 2, 1): "skipped: chapter lengths differ",
            ("Jonah", 1, 2): "only in English",
            ("Tobit", 1, 1): "extra book",
        },
    )
    pairs = list(verse_pairs(source, target))
    assert pairs == [
        Pair("En el principio", "In the beginning", "verse", ref="Gen.1.1"),
        Pair("Y la tierra", "The earth", "verse", ref="Gen.1.2"),
    ]


def verses(chapter: str, lengths: list[tuple[int, int]]) -> list[Pair]:
    """Synthetic verse pairs with the given (source, target) word counts."""
    return [
        Pair(" ".join(["s"] * src), " ".join(["t"] * tgt), "verse", ref=f"{chapter}.{n}")
        for n, (src, tgt) in enumerate(lengths, start=1)
    ]


LENGTHS = [5, 20, 8, 30, 12, 25, 6, 18, 40, 10, 22, 7]


def test_aligned_chapter_is_kept() -> None:
    aligned = verses("Gen.1", [(n, n + 1) for n in LENGTHS])
    assert filter_misaligned(aligned) == aligned


def test_shifted_chapter_is_dropped() -> None:
    aligned = verses("Gen.1", [(n, n) for n in LENGTHS])
    shifted = verses("Num.13", [(n, m) for n, m in zip(LENGTHS, LENGTHS[1:] + [9])])
    assert filter_misaligned(aligned + shifted) == aligned


def test_single_length_outlier_is_dropped() -> None:
    lengths = [(n, n) for n in LENGTHS]
    lengths[5] = (8, 40)
    pairs = verses("Gen.1", lengths)
    kept = filter_misaligned(pairs)
    assert [p.ref for p in kept] == [p.ref for i, p in enumerate(pairs) if i != 5]


def test_decompression_cache_returns_same_data_once() -> None:
    calls = []

    class Module:
        def _decompressed_text(self, testament: str, buf: int) -> bytes:
            calls.append((testament, buf))
            return b"block"

    module = _cache_decompression(Module())
    assert module._decompressed_text("ot", 1) == b"block"
    assert module._decompressed_text("ot", 1) == b"block"
    assert calls == [("ot", 1)]
