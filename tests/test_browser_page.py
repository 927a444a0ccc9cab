"""The page's newcomer paths in a real browser (Debian's chromium driven by Playwright),
on the toy checkpoints: the unknown-character note, the corpus -> explorer jump, a
shared URL's tab and selected word, wrapped pills, Compare's linked heatmaps, and
heatmap cells sized to the room there is.  Screenshots: ``artifacts/screenshots/``."""

from __future__ import annotations

import pytest

from tests.browser_support import (
    MARKS,
    click_cell,
    enter_source,
    label,
    open_tab,
    pick_model,
    running_app,
    shot,
    wait_until_idle,
)

SENTENCE = "the cat sees the dog ."
TEST_ROW = ("the bird follows the king .", "der vogel der koenig folgt .")
pytestmark = MARKS


@pytest.fixture(scope="module")
def server(app_checkpoints, tmp_path_factory):
    examples = tmp_path_factory.mktemp("examples")
    (examples / "en-xx.tsv").write_text(
        "kind\tsource\treference\n"
        f"classic\t{SENTENCE}\tder katze der hund sieht .\n"
        f"test\t{TEST_ROW[0]}\t{TEST_ROW[1]}\n",
        encoding="utf-8",
    )
    with running_app(app_checkpoints, examples) as (url, _):
        yield url


def test_unknown_characters_are_named_with_the_pair_that_reads_them(page):
    from playwright.sync_api import expect

    enter_source(page, "the cat नमस्ते sees the dog .")
    note = page.get_by_text("This model's vocabulary lacks", exact=False)
    expect(note).to_be_visible(timeout=30_000)
    text = note.inner_text()
    assert "lacks 6 characters" in text
    assert "Devanagari न म स \u25cc\u094d त \u25cc\u0947 (the hi-xx pair reads them)" in text
    expect(label(page)).to_be_visible()  # the rest is translated and explorable
    shot(page, "page-01-unknown-characters")
    enter_source(page, SENTENCE)
    expect(page.get_by_text("This model's vocabulary lacks")).to_have_count(0, timeout=30_000)


def test_picking_a_corpus_sentence_opens_it_in_the_explorer(page):
    from playwright.sync_api import expect

    expect(label(page)).to_be_visible(timeout=30_000)
    open_tab(page, "Corpus")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection box
    explorer = page.get_by_role("tab", name="Explorer", exact=True)
    expect(explorer).to_have_attribute("aria-selected", "true", timeout=30_000)
    source = page.get_by_role("textbox", name="Source sentence")
    expect(source).to_have_value(TEST_ROW[0])
    expect(page.get_by_role("textbox", name="Reference translation (optional)")).to_have_value(
        TEST_ROW[1]
    )
    expect(label(page)).to_be_visible(timeout=30_000)
    shot(page, "page-02-corpus-to-explorer")


def test_a_shared_url_restores_the_open_tab_and_the_selected_word(browser, server):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/?text=the+cat+sees+the+dog+.&models=en-xx-bahdanau")
    expect(label(page)).to_have_text("der attends to:", timeout=60_000)
    click_cell(page, row=4, col=2)  # "sieht"
    expect(label(page)).to_have_text("sieht attends to:", timeout=10_000)
    page.wait_for_function("() => location.search.includes('row=4')", timeout=10_000)
    open_tab(page, "Diagnostics")
    page.wait_for_function("() => location.search.includes('tab=Diagnostics')", timeout=10_000)
    shared = page.url
    assert "row=4" in shared
    context.close()

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(shared)
    tab = page.get_by_role("tab", name="Diagnostics", exact=True)
    expect(tab).to_have_attribute("aria-selected", "true", timeout=60_000)
    expect(page.get_by_text("Mean mass on </s>", exact=False)).to_be_visible(timeout=30_000)
    shot(page, "page-03-shared-url-tab")
    open_tab(page, "Explorer")
    expect(label(page)).to_have_text("sieht attends to:", timeout=30_000)
    selected = page.locator(".attn-map .row-label.selected")
    expect(selected).to_have_text("sieht")
    shot(page, "page-04-shared-url-word")
    context.close()


@pytest.mark.parametrize("width", [1024, 640])
def test_every_tab_and_the_open_one_are_in_sight_on_a_narrow_page(browser, server, width):
    """The ten tabs wrap where the column is narrower than they are: none is scrolled
    out of sight, the last (opened by a link) included."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{server}/?text=the+cat+sees+the+dog+.&tab=Export&tour=done")
        tab = page.get_by_role("tab", name="Export", exact=True)
        expect(tab).to_have_attribute("aria-selected", "true", timeout=60_000)
        wait_until_idle(page)
        page.wait_for_function(  # no sideways scrolling, once the layout has settled
            "() => { const l = document.querySelector('[role=tablist]');"
            " return l.scrollWidth <= l.clientWidth; }",
            timeout=10_000,
        )
        box = page.get_by_role("tablist").first.bounding_box()
        for each in page.get_by_role("tab").all():
            b = each.bounding_box()
            assert box["x"] <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"] + 1
        shot(page, f"page-tabs-{width}")
    finally:
        context.close()


def test_a_length_penalty_out_of_range_in_a_url_is_ignored_not_a_crash(browser, server):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/?text=the+cat+sees+the+dog+.&lp=3&beam=2")
    expect(page.get_by_text("Ignored or cut link parameters: lp")).to_be_visible(timeout=60_000)
    expect(label(page)).to_be_visible(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    context.close()


SIZES = """(svg) => {
    const cell = svg.querySelector('rect.cell');
    const label = svg.querySelector('.row-label');
    return {svg: svg.getBoundingClientRect().width, room: svg.parentElement.clientWidth,
            cell: cell.getBoundingClientRect().width,
            font: parseFloat(getComputedStyle(label).fontSize)};
}"""  # the heatmap lives in its component's shadow root: evaluated on the located svg


def pill_lines(page) -> int:
    """Lines the target pills take; fails if a pill sticks out of its group (clipped)."""
    pills = page.locator('[data-testid="stButtonGroup"]').first
    group = pills.bounding_box()
    buttons = pills.locator("button")
    tops = set()
    for i in range(buttons.count()):
        b = buttons.nth(i).bounding_box()
        assert group["x"] - 1 <= b["x"] and b["x"] + b["width"] <= group["x"] + group["width"] + 1
        tops.add(round(b["y"]))
    return len(tops)


def test_pills_wrap_and_heatmap_cells_fill_the_room_at_1400_and_1000_px(browser, server):
    from playwright.sync_api import expect

    long = "the old cat sees the small dog . the tired man calls the happy king ."
    for width in (1400, 1000):
        context = browser.new_context(viewport={"width": width, "height": 1200})
        page = context.new_page()
        page.goto(server)
        page.get_by_role("textbox", name="Source sentence").wait_for(timeout=60_000)
        measured, lines = {}, {}
        for name, text in (("short", SENTENCE), ("long", long)):
            enter_source(page, text)
            columns = page.locator(".attn-map svg .col-label")  # this sentence's words, </s>
            expect(columns).to_have_count(len(text.split()) + 1, timeout=30_000)
            wait_until_idle(page)
            page.wait_for_timeout(300)
            lines[name] = pill_lines(page)
            sizes = measured[name] = page.locator(".attn-map svg").first.evaluate(SIZES)
            assert sizes["font"] >= 13
            assert 18 <= sizes["cell"] <= 52
            assert sizes["svg"] <= sizes["room"] + 1  # fits its column: nothing clipped
            if sizes["cell"] < 52:
                assert sizes["svg"] >= 0.85 * sizes["room"]  # uses the room there is
            shot(page, f"page-05-{name}-{width}")
        if width == 1000:
            assert lines["short"] > 1  # beside the word lists, the pills wrap
        context.close()


def test_a_heatmap_wider_than_its_column_says_it_scrolls(browser, server):
    """At the smallest cells a long sentence's matrix is wider than a small laptop's
    column and scrolls sideways; the scrollbar alone (thin, or hidden) did not say so."""
    from playwright.sync_api import expect

    long = " ".join(["the old cat sees the small dog ."] * 6)  # 48 words: too wide at 1024
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.goto(server)
    page.get_by_role("textbox", name="Source sentence").wait_for(timeout=60_000)
    more = page.locator(".attn-more")
    for text, wider in ((SENTENCE, False), (long, True)):
        enter_source(page, text)
        columns = page.locator(".attn-map svg .col-label")
        expect(columns).to_have_count(len(text.split()) + 1, timeout=30_000)
        wait_until_idle(page)
        overflow = page.locator(".attn-map").first.evaluate("m => m.scrollWidth - m.clientWidth")
        assert (overflow > 1) == wider, overflow
        if wider:
            expect(more.first).to_be_visible()
            expect(more.first).to_contain_text(f"all {len(text.split()) + 1} source columns")
            shot(page, "page-07-wider-than-its-column")
        else:
            expect(more.first).to_be_hidden()
    context.close()


def test_a_click_in_one_compare_heatmap_selects_that_word_in_all(page):
    from playwright.sync_api import expect

    enter_source(page, SENTENCE)
    expect(label(page)).to_be_visible(timeout=30_000)
    pick_model(page, "en-xx-luong-dot")
    open_tab(page, "Compare")
    expect(page.get_by_text("Attention on the shared target")).to_be_visible(timeout=30_000)
    maps = page.locator(".attn-map")
    expect(maps).to_have_count(4, timeout=30_000)
    forced = maps.nth(2)  # the first heatmap of the shared target
    forced.locator('rect.cell[data-row="4"][data-col="0"]').click()
    labels = page.locator(".hl-source-label")
    expect(labels.filter(has_text="sieht attends to:")).to_have_count(2, timeout=30_000)
    for k in (2, 3):
        expect(maps.nth(k).locator(".row-label.selected")).to_have_text("sieht")
    shot(page, "page-06-compare-linked")


def test_each_heatmap_is_a_named_widget_and_compares_say_whose_it_is(page):
    """The focusable heatmap takes the arrow keys itself: a role that says so (a name on
    an element without a role is not valid ARIA), and in Compare a name per heatmap."""
    from playwright.sync_api import expect

    enter_source(page, SENTENCE)
    expect(label(page)).to_be_visible(timeout=30_000)
    explorer = page.get_by_role("application", name="Attention heatmap", exact=False)
    expect(explorer).to_have_count(1)
    expect(explorer).to_have_attribute("aria-roledescription", "attention heatmap")
    pick_model(page, "en-xx-luong-dot")
    open_tab(page, "Compare")
    maps = page.locator(".attn-map")
    expect(maps).to_have_count(4, timeout=30_000)
    names = maps.evaluate_all("ms => ms.map(m => m.getAttribute('aria-label'))")
    assert len(set(names)) == 4, names
    for k, model in enumerate(["en-xx-bahdanau", "en-xx-luong-dot"] * 2):
        assert model in names[k], names
        assert maps.nth(k).get_attribute("role") == "application"
