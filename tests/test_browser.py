"""The page in a real browser (Debian's chromium driven by Playwright), on toy
checkpoints whose behaviour the tests know.  Screenshots: ``artifacts/screenshots/``."""

from __future__ import annotations

import re

import pytest

from models.checkpoint import load_checkpoint
from models.engine import Translator
from tests.browser_support import (
    MARKS,
    click_cell,
    enter_source,
    in_view,
    label,
    open_tab,
    pick_model,
    running_app,
    selected_rows_seen,
    shot,
    strongest_source_word,
    wait_until_idle,
    watch_selected_rows,
)
from viz.matrix import attention_view

SENTENCE = "the cat sees the dog ."
pytestmark = MARKS


@pytest.fixture(scope="module")
def server(app_checkpoints):
    with running_app(app_checkpoints) as (url, _):
        yield url


def expected_strongest(checkpoints, text: str, target_word: str) -> str:
    """What the model itself says: the source word with the most attention."""
    loaded = load_checkpoint(checkpoints / "en-xx-bahdanau")
    trace = Translator(loaded.model, loaded.tokenizer).translate(text)
    view = attention_view(trace, 0, "words")
    return view.cols[int(view.z[view.rows.index(target_word)].argmax())]


def test_click_heatmap_cell_and_target_word_change_the_highlight(page, app_checkpoints):
    from playwright.sync_api import expect

    enter_source(page, SENTENCE)
    expect(page.get_by_text("der katze der hund sieht .").first).to_be_visible(timeout=30_000)
    expect(label(page)).to_have_text("der attends to:", timeout=10_000)
    shot(page, "01-translated")

    click_cell(page, row=4, col=2)  # the row of "sieht"
    expect(label(page)).to_have_text("sieht attends to:", timeout=10_000)
    assert strongest_source_word(page) == expected_strongest(app_checkpoints, SENTENCE, "sieht")
    shot(page, "02-clicked-cell")

    page.get_by_role("radio", name="hund", exact=True).first.click()
    expect(label(page)).to_have_text("hund attends to:", timeout=10_000)
    assert strongest_source_word(page) == expected_strongest(app_checkpoints, SENTENCE, "hund")
    shot(page, "03-clicked-pill")


def test_the_arrow_keys_choose_the_target_word_and_the_cell(page):
    """Up / down on the focused heatmap choose the target word as a click does (the
    page follows); left / right move the marked cell, and a live region reads it."""
    from playwright.sync_api import expect

    enter_source(page, SENTENCE)
    expect(label(page)).to_have_text("der attends to:", timeout=30_000)
    heatmap = page.locator(".attn-map").first
    heatmap.focus()
    heatmap.press("ArrowDown")
    expect(label(page)).to_have_text("katze attends to:", timeout=10_000)
    heatmap.press("ArrowDown")
    heatmap.press("ArrowDown")
    expect(label(page)).to_have_text("hund attends to:", timeout=10_000)
    heatmap.press("ArrowUp")
    expect(label(page)).to_have_text("der attends to:", timeout=10_000)
    heatmap.press("ArrowRight")
    heatmap.press("ArrowRight")
    live = page.locator(".attn-live").first
    expect(live).to_have_text(re.compile(r"^der ← cat: 0\.\d{3}$"))
    cell = page.locator(".attn-map .sel-cell").first
    assert cell.get_attribute("visibility") == "visible"
    expect(label(page)).to_have_text("der attends to:")  # the row stays
    heatmap.press("End")
    expect(label(page)).to_have_text("</s> attends to:", timeout=10_000)
    heatmap.press("Home")
    expect(label(page)).to_have_text("der attends to:", timeout=10_000)


LONG = " ".join(["the old cat sees the small dog ."] * 4)  # 32 words and </s>
LONG_REFERENCE = " ".join(["der katze sieht der hund ."] * 4)  # 24 target words and </s>


def _opened(browser, server, width: int, height: int):
    """A page of ``width`` x ``height`` showing LONG with LONG_REFERENCE forced in the
    explorer (more rows than a toy model writes), idle."""
    from urllib.parse import urlencode

    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    query = urlencode({"text": LONG, "ref": LONG_REFERENCE, "target": "reference"})
    page.goto(f"{server}?{query}")
    rows = page.locator(".attn-map svg .row-label")
    expect(rows).to_have_count(len(LONG_REFERENCE.split()) + 1, timeout=60_000)
    wait_until_idle(page)
    return context, page


def test_quick_arrow_presses_each_move_one_row_and_never_back(browser, server):
    """A held arrow key sends picks faster than the page answers them: a reply drawn
    for an older pick must not move the selection back, nor the next press start from
    there (a press would be lost)."""
    from playwright.sync_api import expect

    context, page = _opened(browser, server, 1280, 720)
    try:
        heatmap = page.locator(".attn-map").first
        words = heatmap.locator(".row-label").all_text_contents()
        assert len(words) > 19
        heatmap.focus()
        watch_selected_rows(heatmap)
        selected = heatmap.locator(".row-label.selected")
        for burst in (1, 2, 3):
            for _ in range(6):
                page.keyboard.press("ArrowDown")
                page.wait_for_timeout(60)
            expect(selected).to_have_attribute("data-row", str(6 * burst))
            expect(label(page)).to_have_text(f"{words[6 * burst]} attends to:", timeout=10_000)
            wait_until_idle(page)
            page.wait_for_timeout(300)  # any late reply has come
            expect(selected).to_have_attribute("data-row", str(6 * burst))
        seen = selected_rows_seen(heatmap)
        assert seen == sorted(seen) and seen[-1] == 18, seen
        pill = page.get_by_role("radio", checked=True).filter(has_text=words[18])
        expect(pill).to_have_count(1)
    finally:
        context.close()


def test_the_keyboard_scrolls_the_selected_row_and_cell_into_view(browser, server):
    """On a small window the matrix is taller than it and wider than its column: a row
    or cell chosen by keyboard, and the selected row on focus, are scrolled into view,
    sideways in the heatmap's own scroll box too."""
    context, page = _opened(browser, server, 640, 360)
    try:
        heatmap = page.locator(".attn-map").first
        assert heatmap.evaluate("m => m.scrollWidth > m.clientWidth")
        pills = page.locator('[data-testid="stButtonGroup"]').first.get_by_role("radio")
        # the page at its top, the heatmap below the window: the browser scrolls a focused
        # element in view its own way, the middle of one taller than the window
        pills.last.evaluate("p => p.focus({preventScroll: true})")
        assert in_view(heatmap, ".sel-row", sideways=False)["top"] > 360
        page.keyboard.press("Tab")
        assert heatmap.evaluate("m => m.getRootNode().activeElement === m")
        page.wait_for_timeout(200)
        where = in_view(heatmap, ".sel-row", sideways=False)
        assert where["seen"], where
        page.keyboard.press("End")
        where = in_view(heatmap, ".sel-row", sideways=False)
        assert where["seen"], where
        for _ in range(len(LONG.split()) + 1):
            page.keyboard.press("ArrowRight")
        where = in_view(heatmap, ".sel-cell")
        assert where["seen"] and where["scrollLeft"] > 0, where
        page.keyboard.press("Home")
        where = in_view(heatmap, ".sel-cell")
        assert where["seen"], where
        shot(page, "19-keyboard-in-view")
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_labels_and_words_are_readable_in_the_light_and_the_dark_theme(browser, server, scheme):
    """Streamlit follows the system's light or dark setting: the heatmap's labels and
    the shaded source words take the page's own text colour, never a fixed dark one."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(server)
        enter_source(page, SENTENCE)
        expect(label(page)).to_have_text("der attends to:", timeout=30_000)
        body = page.evaluate(
            "() => getComputedStyle(document.querySelector('[data-testid=stApp]')).color"
        )
        text_light = [float(v) for v in re.findall(r"[\d.]+", body)[:3]]
        page_is_dark = sum(text_light) / 3 > 128  # light text: a dark page
        assert page_is_dark == (scheme == "dark")
        row_label = page.locator(".attn-svg .row-label").nth(1)  # not the selected (red) one
        fill = row_label.evaluate("(el) => getComputedStyle(el).fill")
        assert [float(v) for v in re.findall(r"[\d.]+", fill)[:3]] == text_light
        faint = [w for w in page.locator(".hl-source-word").all() if
                 float(w.get_attribute("data-weight")) <= 0.55]  # fmt: skip
        assert faint
        colour = faint[0].evaluate("(el) => getComputedStyle(el).color")
        assert [float(v) for v in re.findall(r"[\d.]+", colour)[:3]] == text_light
        # each word's tint is the theme's blue at its weight
        from viz.highlight import CHIP_RGB, CHIP_RGB_DARK

        tint = [float(v) for v in (CHIP_RGB_DARK if page_is_dark else CHIP_RGB).split(",")]
        for word in page.locator(".hl-source-word").all():
            weight = float(word.get_attribute("data-weight"))
            background = word.evaluate("(el) => getComputedStyle(el).backgroundColor")
            rgba = [float(v) for v in re.findall(r"[\d.]+", background)]
            if weight > 0:
                assert rgba[:3] == tint and rgba[3] == pytest.approx(weight, abs=0.005)
        shot(page, f"18-theme-{scheme}")
    finally:
        context.close()


def _luminance(rgb: list[float]) -> float:
    """WCAG relative luminance of an sRGB colour (0-255 channels)."""
    c = [v / 255 for v in rgb]
    c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_axis_labels_have_the_contrast_small_text_needs(browser, server, scheme):
    """Plotly's tick labels (Streamlit's chart theme draws them 3.7:1 on white) reach
    4.5:1 against the page in either theme."""
    from urllib.parse import urlencode

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(f"{server}?{urlencode({'text': SENTENCE, 'tab': 'Diagnostics'})}")
        ticks = page.locator("[data-testid=stPlotlyChart] .xtick text")
        ticks.first.wait_for(timeout=60_000)
        background = page.evaluate(
            "() => getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor"
        )
        back = _luminance([float(v) for v in re.findall(r"[\d.]+", background)[:3]])
        fills = {t.evaluate("(el) => getComputedStyle(el).fill") for t in ticks.all()}
        fills |= {
            t.evaluate("(el) => getComputedStyle(el).fill")
            for t in page.locator("[data-testid=stPlotlyChart] .ytick text").all()
        }
        for fill in fills:
            text = _luminance([float(v) for v in re.findall(r"[\d.]+", fill)[:3]])
            ratio = (max(text, back) + 0.05) / (min(text, back) + 0.05)
            assert ratio >= 4.5, f"{fill} on {background}: {ratio:.2f}:1"
    finally:
        context.close()


def test_a_large_matrix_is_painted_and_a_click_picks_the_cell_under_the_pointer(browser, server):
    """Beyond viz.grid.SVG_CELLS the cells are one image: the click and the tooltip find
    the cell from the pointer's position."""
    from urllib.parse import urlencode

    from playwright.sync_api import expect

    from tests.browser_support import new_page

    source = " ".join([SENTENCE] * 30)  # 181 source words with </s>
    reference = " ".join(["der katze sieht der hund ."] * 30)  # 181 target words
    query = urlencode({"text": source, "ref": reference, "target": "reference"})
    with new_page(browser, f"{server}?{query}") as page:
        expect(page.locator(".attn-map .cells-image")).to_have_count(1, timeout=60_000)
        assert page.locator(".attn-map rect.cell").count() == 0
        expect(label(page)).to_have_text("der attends to:", timeout=10_000)
        hit = page.locator(".attn-map .cells-hit")
        box = hit.bounding_box()
        cw, ch = box["width"] / 181, box["height"] / 181
        spot = {"x": 3.5 * cw, "y": 4.5 * ch}  # row 4 ("hund"), column 3 ("the")
        hit.hover(position=spot)
        tip = page.locator(".attn-map .cells-hit title").text_content()
        assert tip.startswith("hund \u2190 the: "), tip
        hit.click(position=spot)
        expect(label(page)).to_have_text("hund attends to:", timeout=10_000)
        expect(page.locator(".attn-map .row-label.selected")).to_have_attribute("data-row", "4")
        shot(page, "04-painted-heatmap")


def test_the_model_shown_of_several_is_picked_with_a_click(browser, server):
    from urllib.parse import urlencode

    from playwright.sync_api import expect

    from tests.browser_support import new_page

    query = urlencode({"text": SENTENCE, "models": "en-xx-none,en-xx-bahdanau"})
    with new_page(browser, f"{server}?{query}") as page:
        # the first model picked has no attention: the views open on the one that has
        expect(page.get_by_text("Model: en-xx-bahdanau")).to_be_visible(timeout=60_000)
        expect(page.locator(".attn-map svg rect.cell").first).to_be_visible()
        chooser = page.get_by_role("radiogroup", name="Model shown in the views below")
        chooser.get_by_text("en-xx-none", exact=True).click()
        expect(page.get_by_text("Model: en-xx-none")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("This model has no attention", exact=False)).to_be_visible()
        expect(page.locator(".attn-map")).to_have_count(0)
        assert "focus=en-xx-none" in page.url
        shot(page, "05-model-shown")


def test_step_through(page):
    from playwright.sync_api import expect

    enter_source(page, SENTENCE)
    open_tab(page, "Step through")
    expect(page.get_by_text("Output after step 1 of")).to_be_visible(timeout=30_000)
    for step in (2, 3):
        page.get_by_role("button", name="Next ▶").click()
        expect(page.get_by_text(f"Output after step {step} of")).to_be_visible(timeout=10_000)
    page.get_by_role("button", name="◀ Previous").click()
    expect(page.get_by_text("Output after step 2 of")).to_be_visible(timeout=10_000)
    # rows not decoded yet show the page through them (white would read as alpha = 0 on
    # a dark page), and a click on one still moves to its step
    later = page.locator('.attn-map rect.cell[data-row="4"][data-col="0"]')
    # retried: the map is drawn again after the step's text shows (an element read
    # while it is swapped out has no computed style)
    expect(later).to_have_css("fill", "rgba(0, 0, 0, 0)", timeout=10_000)
    later.click()
    expect(page.get_by_text("Output after step 5 of")).to_be_visible(timeout=10_000)
    shot(page, "05-step-through")


def test_compare_two_models(page):
    from playwright.sync_api import expect

    enter_source(page, SENTENCE)
    pick_model(page, "en-xx-none")
    open_tab(page, "Compare")
    expect(page.get_by_text("Each model's own translation")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Attention on the shared target")).to_be_visible()
    shot(page, "06-compare")


def test_reloading_a_shared_url_restores_the_view(browser, server):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/?text=the+bird+follows+the+king+.&beam=3&models=en-xx-bahdanau")
    expect(page.get_by_role("textbox", name="Source sentence")).to_have_value(
        "the bird follows the king .", timeout=60_000
    )
    open_tab(page, "Beam")
    expect(page.get_by_text("3-best list")).to_be_visible(timeout=30_000)
    assert "beam=3" in page.url
    shot(page, "07-shared-url")
    context.close()


def test_back_and_forward_step_through_the_tabs_and_sentences(browser, server):
    """The browser's Back and Forward return to each earlier view: the tab, and the
    sentence typed before."""
    from playwright.sync_api import expect

    from tests.browser_support import new_page, wait_until_idle

    def selected(name: str) -> None:
        tab = page.get_by_role("tab", name=name, exact=True)
        expect(tab).to_have_attribute("aria-selected", "true", timeout=30_000)
        wait_until_idle(page)

    box = "Source sentence"
    with new_page(browser, f"{server}/?text=the+cat+sees+the+dog+.&tour=done") as page:
        open_tab(page, "Beam")
        enter_source(page, "the bird follows the king .")
        page.wait_for_url(re.compile("bird"))  # its run wrote its URL: a step of history
        open_tab(page, "Compare")
        page.wait_for_url(re.compile("tab=Compare"))
        page.go_back()  # at once: the new sentence, on Beam
        selected("Beam")
        expect(page.get_by_role("textbox", name=box)).to_have_value("the bird follows the king .")
        page.go_back()  # the first sentence, on Beam
        selected("Beam")
        expect(page.get_by_role("textbox", name=box)).to_have_value("the cat sees the dog .")
        page.go_back()  # the page as it opened
        selected("Explorer")
        page.go_forward()
        page.go_forward()
        selected("Beam")
        expect(page.get_by_role("textbox", name=box)).to_have_value("the bird follows the king .")
        page.go_forward()
        selected("Compare")
        shot(page, "07-back-forward")


def test_script_in_the_input_never_runs(page):
    from playwright.sync_api import expect

    payload = '<img src=x onerror="window.__xss=1"> the cat <script>window.__xss=2</script>'
    enter_source(page, payload)
    expect(page.locator(".hl-source-word").first).to_have_text("<img", timeout=30_000)
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__xss") is None
    assert page.locator(".hl-source img, .hl-source script").count() == 0
    # the heatmap's labels are text too (its script sets textContent)
    expect(page.locator(".attn-map .col-label").first).to_have_text("<img")
    assert page.locator(".attn-map img, .attn-map script").count() == 0
    shot(page, "04-html-input")


def test_export_downloads_the_matrix_and_links(page):
    from pathlib import Path

    from playwright.sync_api import expect

    enter_source(page, SENTENCE)
    expect(label(page)).to_have_text("der attends to:", timeout=30_000)
    open_tab(page, "Export")
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Matrix (CSV)").click()
    # the name tells exports apart: model, its rows (greedy output), level, sentence
    assert (
        info.value.suggested_filename == "en-xx-bahdanau-greedy-words-the-cat-sees-the-alphas.csv"
    )
    lines = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",")[1:] == SENTENCE.split() + ["</s>"]
    assert len(lines) == 1 + len(["der", "katze", "der", "hund", "sieht", "."]) + 1
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Links (Pharaoh, source-target)").click()
    links = Path(info.value.path()).read_text().split()
    assert links and all("-" in link for link in links)
    shot(page, "08-export")


def test_heatmap_downloads_as_svg(page):
    from pathlib import Path

    from playwright.sync_api import expect

    enter_source(page, SENTENCE)
    expect(label(page)).to_have_text("der attends to:", timeout=30_000)
    open_tab(page, "Export")
    plot = page.locator(".js-plotly-plot >> visible=true").first  # the export tab's heatmap
    plot.locator(".nsewdrag").wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    plot.hover()
    button = plot.locator('.modebar-btn[data-title^="Download plot"]')
    button.wait_for(state="visible", timeout=10_000)
    with page.expect_download(timeout=30_000) as info:
        button.click()
    svg = Path(info.value.path()).read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "sieht" in svg
    assert (
        info.value.suggested_filename
        == "en-xx-bahdanau-greedy-words-the-cat-sees-the-attention.svg"
    )
    assert f"en-xx-bahdanau (greedy): {SENTENCE}" in svg  # the saved figure says what it is
