"""The app's example sentences: classic ones are committed, Tatoeba test sentences come from
the built corpora only, and the probe links of the classic sentences fit their words."""

from __future__ import annotations

import csv

import pytest

from models.text import elides, split_words
from training.examples import CLASSIC, COMMITTED_TEST_SAMPLES, FIGURE_3
from viz.links import parse_links


def _committed(pair: str) -> list[dict]:
    from ui.state import EXAMPLES

    with (EXAMPLES / f"{pair}.tsv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize("pair", sorted(CLASSIC))
def test_committed_examples_are_the_classic_ones(pair):
    rows = _committed(pair)
    classic = [(r["source"], r["reference"], r["links"]) for r in rows if r["kind"] == "classic"]
    assert classic == CLASSIC[pair]  # the hand links too: the explorer checks them
    if pair not in COMMITTED_TEST_SAMPLES:
        assert {r["kind"] for r in rows} == {"classic"}


@pytest.mark.parametrize("pair", sorted(CLASSIC))
def test_probe_links_fit_the_words(pair):
    src, tgt = (elides(lang) for lang in pair.split("-"))
    for source, reference, links in CLASSIC[pair]:
        n_src, n_tgt = len(split_words(source, src)), len(split_words(reference, tgt))
        _, problems = parse_links(links, n_src, n_tgt)
        assert not problems, (source, problems)


def test_figure_3_marks_the_seven_inversions():
    links = [
        (split_words(s, elides("en"))[int(a)], split_words(r, elides("fr"))[int(b)])
        for s, r, marked in FIGURE_3
        for a, b in (link.split("-") for link in marked.split())
    ]
    assert links == [
        ("Area", "zone"),
        ("Economic", "économique"),
        ("European", "européenne"),
        ("environment", "environnement"),  # the paper's words: "l' environnement"
        ("marine", "marin"),
        ("weapons", "armes"),
        ("chemical", "chimiques"),
    ]
    assert all(row in CLASSIC["en-fr"] for row in FIGURE_3)


def test_figure_3_is_named_after_the_paper_and_opens_forced():
    rows = {r["source"]: r for r in _committed("en-fr")}
    for (source, _, _), letter in zip(FIGURE_3, "abcd", strict=True):
        assert rows[source]["label"] == f"Bahdanau et al. 2015, Figure 3 ({letter})"
        assert rows[source]["forced"] == "yes"
    others = [r for s, r in rows.items() if s not in {f[0] for f in FIGURE_3}]
    assert others and all(r["label"] == r["forced"] == "" for r in others)


def test_test_sentences_come_from_the_built_corpus(tmp_path, monkeypatch):
    from ui import state

    corpus = tmp_path / "en-fr"
    corpus.mkdir()
    lines = [f"Sentence {i} here.\tPhrase {i} ici." for i in range(100)]
    lines.append("Turn off the lights.\tÉteins la lumière.")  # a classic source: not repeated
    (corpus / "test.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(state, "CORPORA", tmp_path)
    state.examples.clear()
    try:
        rows = state.examples("en-fr")
        test = [r for r in rows if r["kind"] == "test"]
        assert len(test) == state.TEST_SAMPLE
        assert all(r["source"].startswith("Sentence ") for r in test)
        assert [r for r in rows if r["kind"] == "classic"] == [
            r for r in _committed("en-fr") if r["kind"] == "classic"
        ]
        monkeypatch.setattr(state, "CORPORA", tmp_path / "missing")
        state.examples.clear()
        assert {r["kind"] for r in state.examples("en-fr")} == {"classic"}
    finally:
        state.examples.clear()


def test_pairs_open_in_the_pickers_order_and_with_their_first_classic():
    from ui import state

    assert state.ordered_pairs({"es-en", "xx-yy", "en-de", "en-fr", "aa-bb"}) == [
        "en-fr",
        "en-de",
        "es-en",
        "aa-bb",
        "xx-yy",
    ]
    state.examples.clear()
    assert state.default_text("en-fr") == "Turn off the lights."
    assert state.default_text("hi-en") == "मैं खाना खा रहा हूँ"
    assert state.default_text("xx-yy") == ""


def test_the_page_opens_on_its_first_pairs_bahdanau_model():
    from ui.state import default_model, page_default

    names = ["en-de-luong-dot", "en-de-bahdanau", "es-en-none", "en-fr-none", "en-fr-luong-dot"]
    available = {name: "-".join(name.split("-")[:2]) for name in names}
    assert page_default(available) == ("en-fr", "en-fr-luong-dot")
    assert page_default({**available, "en-fr-bahdanau": "en-fr"}) == ("en-fr", "en-fr-bahdanau")
    assert page_default({n: available[n] for n in names[:3]}) == ("en-de", "en-de-bahdanau")
    assert page_default({"xx-yy-none": "xx-yy"}) == ("xx-yy", "xx-yy-none")
    assert page_default({}) is None and default_model([]) is None
