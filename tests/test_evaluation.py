"""Evaluation pieces: AER arithmetic, gold reading, attention links, the IBM2 aligner."""

from __future__ import annotations

import pytest

from training.aligner import DiagonalIBM2
from training.evaluate import aer, attention_links, by_length, read_gold
from viz.matrix import attention_view


def test_aer_with_sure_links():
    gold = [{(0, 0), (1, 1), (2, 2)}]
    assert aer([{(0, 0), (1, 1), (2, 2)}], gold)["aer"] == 0.0
    result = aer([{(0, 0), (1, 2)}], gold)
    assert result["precision"] == 0.5 and result["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["aer"] == pytest.approx(1 - 2 * 1 / 5, abs=1e-4)


def test_read_gold(tmp_path):
    (tmp_path / "test.de").write_text("das haus .\n")
    (tmp_path / "test.en").write_text("the house .\n")
    (tmp_path / "de-en.wa").write_text("0-0 1-1 2-2\n")
    assert read_gold(tmp_path) == [
        (["the", "house", "."], ["das", "haus", "."], {(0, 0), (1, 1), (2, 2)})
    ]


def test_by_length_buckets():
    sources = ["a b", " ".join(["w"] * 15), " ".join(["w"] * 60)]
    rows = by_length(sources, ["x y", "z", "q"], ["x y", "z", "r"])
    assert [r["n"] for r in rows] == [1, 1, 0, 0, 0, 1]
    assert rows[2]["bleu"] is None and rows[0]["bucket"] == "1-10" and rows[-1]["bucket"] == "51+"


def test_attention_links_follow_the_largest_alpha(trained):
    translator, _ = trained["luong-general"]
    source, target = "the cat sees the dog .", "der katze der hund sieht ."
    links = attention_links(translator, source.split(), target.split())
    view = attention_view(translator.translate(source, force=target), level="words")
    expected = {(i, int(view.z[i, :-1].argmax())) for i in range(6)}  # </s> column left out
    assert links == expected


def test_ibm2_learns_word_translations():
    pairs = [
        (["the", "house"], ["das", "haus"]),
        (["the", "book"], ["das", "buch"]),
        (["a", "book"], ["ein", "buch"]),
        (["a", "house"], ["ein", "haus"]),
        (["the", "small", "house"], ["das", "kleine", "haus"]),
    ] * 3
    model = DiagonalIBM2().fit(pairs, iterations=8)
    assert model.align(["a", "small", "book"], ["ein", "kleine", "buch"]) == {
        (0, 0),
        (1, 1),
        (2, 2),
    }
    # crossing links are found when the words say so, against the diagonal prior
    assert model.align(["book", "the"], ["das", "buch"]) == {(0, 1), (1, 0)}
