"""``training.figures`` on the shipped en-fr-bahdanau: the SVG heatmaps of Figure 3's
sentences outline exactly the probe's hand links, and an outline sits on its row's
darkest word exactly where the probe counts the link as found."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from models.registry import DEFAULT_ROOT
from training.examples import CLASSIC
from training.figures import write_figures
from training.probe import probe_sentence

NS = "{http://www.w3.org/2000/svg}"
MODEL = "en-fr-bahdanau"


def cells(path):
    """(rects of the cells by (row, column), the marked cells, row labels, column labels)."""
    root = ET.parse(path).getroot()
    rects = [r for r in root.iter(f"{NS}rect") if r.get("class") == "cell"]
    xs = sorted({float(r.get("x")) for r in rects})
    ys = sorted({float(r.get("y")) for r in rects})
    grid = {(ys.index(float(r.get("y"))), xs.index(float(r.get("x")))): r for r in rects}
    marked = sorted(
        (ys.index(float(m.get("y")) - 1), xs.index(float(m.get("x")) - 1))
        for m in root.iter(f"{NS}rect")
        if m.get("class") == "mark"
    )
    rows = [t.text for t in root.iter(f"{NS}text") if t.get("class") == "row"]
    cols = [t.text for t in root.iter(f"{NS}text") if t.get("class") == "col"]
    return grid, marked, rows, cols


def weight(rect) -> float:
    return float(rect.find(f"{NS}title").text.rsplit(": ", 1)[1])


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    folder = DEFAULT_ROOT / MODEL
    if not (folder / "config.json").exists():
        pytest.fail(f"{MODEL} is not shipped")
    return write_figures(folder, tmp_path_factory.mktemp("figures"))


def test_one_figure_per_linked_sentence_with_its_links_outlined(figures):
    linked = [row for row in CLASSIC["en-fr"] if row[2]]
    assert [p.name for p in figures] == [f"{MODEL}-{n}.svg" for n in (1, 2, 3)]
    from models.checkpoint import load_checkpoint
    from models.engine import Translator

    loaded = load_checkpoint(DEFAULT_ROOT / MODEL)
    translator = Translator(loaded.model, loaded.tokenizer, loaded.name)
    for path, (source, reference, links) in zip(figures, linked, strict=True):
        grid, marked, rows, cols = cells(path)
        probe = probe_sentence(translator, source, reference, links)
        assert len(marked) == len(probe) == len(links.split())
        assert sorted((rows[r], cols[c]) for r, c in marked) == sorted(
            (item["target_word"], item["source_word"]) for item in probe
        )
        words = [j for j, c in enumerate(cols) if c != "</s>" and any(ch.isalnum() for ch in c)]
        for (r, c), item in zip(marked, sorted(probe, key=lambda i: rows.index(i["target_word"]))):
            darkest = max(words, key=lambda j: weight(grid[(r, j)]))
            assert (darkest == c) == item["found"], (path.name, rows[r], cols[c])
            assert abs(weight(grid[(r, c)]) - item["weight"]) < 0.006


def test_the_figures_in_the_docs_are_those_of_the_shipped_checkpoints(tmp_path):
    """docs/figures holds what ``training.figures`` draws from today's checkpoints, every
    file of every checkpoint named there (weights compared at the two decimals a tooltip
    shows, so another CPU's rounding passes)."""
    docs = DEFAULT_ROOT.parent / "docs" / "figures"
    committed = sorted(docs.glob("*.svg"))
    names = sorted({p.stem.rsplit("-", 1)[0] for p in committed})
    assert MODEL in names
    drawn = sorted(p for name in names for p in write_figures(DEFAULT_ROOT / name, tmp_path))
    assert [p.name for p in committed] == [p.name for p in drawn]
    for mine, theirs in zip(drawn, committed, strict=True):
        grid, marked, rows, cols = cells(mine)
        grid2, marked2, rows2, cols2 = cells(theirs)
        assert (rows, cols, marked) == (rows2, cols2, marked2), theirs.name
        assert grid.keys() == grid2.keys()
        worst = max(abs(weight(grid[k]) - weight(grid2[k])) for k in grid)
        assert worst <= 0.011, f"{theirs.name}: rerun python -m training.figures ({worst})"
