"""Tests for the LibreOffice help extraction (data.lohelp) on tiny hand-made help trees."""

from __future__ import annotations

from pathlib import Path

import pytest

from data import Pair, lohelp
from data.lohelp import (
    DROP_RULES,
    MAX_WORDS,
    Paragraph,
    by_id,
    devanagari_share,
    help_pairs,
    numbers,
    page_paragraphs,
    read_help,
    with_dandas,
)

HEAD = '<!DOCTYPE html>\n<html lang="en-US"><head><title>Page</title></head>\n<body>\n'
SHORTCUT = (
    '<span class="switchinline"><span hidden="true" class="MAC">'
    '<span class="keycode">Command</span></span><span hidden="true">'
    '<span class="keycode">Ctrl</span></span></span>'
)


def page(*elements: str) -> str:
    """A help page holding ``elements`` the way the packages' pages do."""
    body = "\n".join(f"  {element}" for element in elements)
    return f'{HEAD}<div id="DisplayArea">\n{body}\n</div>\n</body></html>\n'


def par(ident: str, text: str, tag: str = "p") -> str:
    """One paragraph element with an id."""
    return f'<{tag} id="{ident}" class="paragraph" dir="auto">{text}</{tag}>'


def write_page(root: Path, relative: str, html: str) -> None:
    """Write one page below ``root``."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


def texts(pairs: list[Pair]) -> list[tuple[str, str]]:
    """(English, Hindi) texts of some pairs."""
    return [(pair.src, pair.tgt) for pair in pairs]


# Rule 1: the visible text.
def test_inline_markup_is_stripped_and_its_text_kept() -> None:
    html = page(
        '<a name="bm_id1"></a><h1 id="hd_id1" dir="auto">Find Bar</h1>',
        par(
            "par_id2",
            '<span class="avis">Opens the\n   <span class="menuitem">Find</span>'
            '</span> toolbar, see <a href="x.html"><span class="emph">Search</span></a>.',
        ),
        par(
            "par_id3", "Use&nbsp;the<br>shortcut " + SHORTCUT + '<span class="keycode"> + F</span>.'
        ),
        par("par_id4", '<img src="icon.svg" alt="Find Icon">'),
        '<p class="embedded">Text without an id.</p>',
    )
    assert page_paragraphs(html) == [
        Paragraph("hd_id1", "h1", "Find Bar"),
        Paragraph("par_id2", "p", "Opens the Find toolbar, see Search."),
        Paragraph("par_id3", "p", "Use the shortcut Ctrl + F."),
        Paragraph("par_id4", "p", ""),
    ]


def test_module_variants_keep_the_default_text() -> None:
    html = par(
        "par_id1",
        'See <span class="switchinline"><span hidden="true" class="WRITER">'
        '<a href="w.html">Writer Tables</a></span>'
        '<span hidden="true">Tables</span></span> for more.',
    )
    assert page_paragraphs(html) == [Paragraph("par_id1", "p", "See Tables for more.")]


def test_quotes_and_spaces_are_plain() -> None:
    html = par("par_id1", "  Choose \u201cTools\u201d \u2013 it\u2019s\u00a0here.\n")
    assert page_paragraphs(html)[0].text == 'Choose "Tools" \u2013 it\'s here.'


# Rule 2: ids held twice.
def test_an_id_held_twice_with_different_texts_is_ambiguous() -> None:
    found = by_id(
        [
            Paragraph("par_id1", "p", "Red Function"),
            Paragraph("par_id2", "p", "Same"),
            Paragraph("par_id1", "p", "Green Function"),
            Paragraph("par_id2", "p", "Same"),
        ]
    )
    assert found == {"par_id1": None, "par_id2": Paragraph("par_id2", "p", "Same")}


# Rule 4: Devanagari share.
@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("फ़ाइल सहेजें", 1.0),
        ("Save the file.", 0.0),
        ("12 + 3", 0.0),
        ("LibreOffice राइटर", 4 / 15),
        ("शिफ़्ट दबाएँ Shift", 6 / 11),
    ],
)
def test_devanagari_share_counts_letters_only(text: str, share: float) -> None:
    assert devanagari_share(text) == pytest.approx(share)


# Rule 7: numbers.
def test_numbers_are_compared_as_sorted_values() -> None:
    assert numbers("Shift+F10 and 2 or 10") == [2, 10, 10]
    assert numbers("२ और 10") == [2, 10]
    assert numbers("no digits") == []


# Full stops.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("फ़ाइल सहेजें. फिर बंद करें.", "फ़ाइल सहेजें। फिर बंद करें।"),
        ("मान 2.5 है", "मान 2.5 है"),
        ("LibreOffice. दस्तावेज़ खोलें", "LibreOffice. दस्तावेज़ खोलें"),
        ("... दस्तावेज़", "... दस्तावेज़"),
    ],
)
def test_full_stops_after_devanagari_become_dandas(text: str, expected: str) -> None:
    assert with_dandas(text) == expected


@pytest.fixture
def trees(tmp_path: Path) -> tuple[Path, Path]:
    """An English and a Hindi help tree with one case of every rule."""
    english, hindi = tmp_path / "en-US", tmp_path / "hi"
    long_text = " ".join(["word"] * (MAX_WORDS + 1))
    write_page(
        english,
        "text/shared/a.html",
        page(
            '<h2 id="hd_id1">Close Window</h2>',
            par("par_id1", 'Closes the <span class="emph">current</span> window.'),
            par("par_id2", "Turn off the lights."),
            par("par_id3", "Untranslated paragraph."),
            par("par_id4", '<img src="x.svg" alt="icon">'),
            par("par_id5", long_text),
            par("par_id6", "Press Shift+F10."),
            par("par_id7", "Only in English."),
            par("par_id8", "Red Function") + par("par_id8", "Green Function"),
            par("par_id9", "Straight connector ends with arrow"),
        ),
    )
    write_page(
        hindi,
        "text/shared/a.html",
        page(  # another order: pairing goes by id
            par("par_id2", "बत्ती बंद करो."),
            par("par_id1", 'वर्तमान <span class="emph">विंडो</span> बंद करता है.'),
            '<h2 id="hd_id1">विंडो बंद करें</h2>',
            par("par_id3", "Untranslated paragraph."),
            par("par_id4", '<img src="x.svg" alt="icon">'),
            par("par_id5", " ".join(["शब्द"] * (MAX_WORDS + 1))),
            par("par_id6", "शिफ़्ट+F2 दबाएँ."),
            par("par_id8", "लाल फ़ंक्शन") + par("par_id8", "हरा फ़ंक्शन"),
            par("par_id9", "कनेक्टर तीर से समाप्त होते हैं"),
        ),
    )
    write_page(
        english,
        "text/sdraw/b.html",
        page(
            par("par_id1", "Closes the current window."),
            par("par_id2", "Curved connector starts with arrow"),
            par("par_id3", "Connector with arrows"),
            par("par_id4", "CONNECTOR WITH ARROWS"),
        ),
    )
    write_page(
        hindi,
        "text/sdraw/b.html",
        page(
            par("par_id1", "वर्तमान विंडो बंद करता है."),
            par("par_id2", "कनेक्टर तीर से समाप्त होते हैं"),
            par("par_id3", "कनेक्टर तीर से समाप्त होते हैं"),
            par("par_id4", "कनेक्टर तीर से समाप्त होते हैं"),
        ),
    )
    return english, hindi


def test_help_pairs_align_by_path_and_id_and_count_each_rule(trees) -> None:
    pairs, counts = help_pairs(*trees)
    assert texts(pairs) == [
        ("Closes the current window.", "वर्तमान विंडो बंद करता है।"),
        ("Turn off the lights.", "बत्ती बंद करो।"),
    ]
    # the first of two equal pairs in path order is kept
    assert [pair.ref for pair in pairs] == [
        "text/sdraw/b.html#par_id1",
        "text/shared/a.html#par_id2",
    ]
    assert all(pair.kind == "message" for pair in pairs)
    drops = {rule: counts[rule] for rule in DROP_RULES}
    assert drops == {
        "ambiguous_id": 1,
        "empty": 1,
        "untranslated": 1,
        "heading": 1,
        "too_long": 1,
        "numbers_differ": 1,
        "hindi_reused": 4,
        "duplicates": 1,
    }
    assert counts["paragraphs_en"] == 14
    assert counts["paragraphs_hi"] == 13
    assert counts["aligned"] == 13
    assert counts["aligned"] == sum(drops.values()) + counts["pairs"]
    assert counts["pairs"] == len(pairs) == 2
    assert counts["danda"] == 2


def test_headings_are_kept_when_asked_for(trees) -> None:
    pairs, counts = help_pairs(*trees, headings=True)
    assert ("Close Window", "विंडो बंद करें") in texts(pairs)
    assert counts["heading"] == 0
    assert next(p for p in pairs if p.src == "Close Window").kind == "label"


def test_read_help_reads_the_two_packages_trees(trees, monkeypatch, tmp_path: Path) -> None:
    root = tmp_path / "root"
    for tree in trees:
        target = root / lohelp.HELP / tree.name
        target.parent.mkdir(parents=True, exist_ok=True)
        tree.rename(target)
    monkeypatch.setattr(lohelp, "package_root", lambda package, cache: root)
    pairs, counts = read_help(tmp_path / "cache")
    assert counts["pairs"] == len(pairs) == 2


def test_en_hi_lohelp_adds_help_pairs_unseen_in_dev_and_test(tmp_path: Path, monkeypatch) -> None:
    """The help pairs go to en-hi's train, dev and test stay en-hi's, a help pair that is a
    dev or test sentence in another form is left out, and hi-en-lohelp is the mirror."""
    from data import build

    tatoeba = tmp_path / "tatoeba"
    tatoeba.mkdir()
    lines = [f"I see {i} birds.\tमुझे {i} पक्षी दिखते हैं।" for i in range(100)]
    (tatoeba / "hin.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    sources = build.Sources(tatoeba=tatoeba, debs=tmp_path / "debs")
    out = tmp_path / "corpora"
    build.build_pair("en-hi", out, sources)
    held = (out / "en-hi" / "test.tsv").read_text(encoding="utf-8").splitlines()[0]
    help_rows = [
        Pair("Closes the current window.", "वर्तमान विंडो बंद करता है।", "message"),
        Pair(held.split("\t")[0].upper().rstrip("."), "कुछ और।", "message"),  # a test sentence
    ]
    monkeypatch.setattr(build, "read_help", lambda cache: (help_rows, {"pairs": 2}))
    stats = build.build_pair("en-hi-lohelp", out, sources)
    build.build_pair("hi-en-lohelp", out, sources)

    def read(pair: str, split: str) -> list[str]:
        return (out / pair / f"{split}.tsv").read_text(encoding="utf-8").splitlines()

    for split in ("dev", "test"):
        assert read("en-hi-lohelp", split) == read("en-hi", split)
    added = set(read("en-hi-lohelp", "train")) - set(read("en-hi", "train"))
    assert added == {"Closes the current window.\tवर्तमान विंडो बंद करता है।"}
    assert stats["extracted"]["lohelp_in_train"] == 1
    assert stats["extracted"]["lohelp_held_out_dropped"] == 1
    assert stats["credit"].endswith(lohelp.CREDIT)
    mirror = ["\t".join(line.split("\t")[::-1]) for line in read("en-hi-lohelp", "train")]
    assert read("hi-en-lohelp", "train") == mirror
