"""The Inside-alpha tab in a real browser (Debian's chromium driven by Playwright), on the
toy checkpoints: a clicked cell's e and alpha, tau, the forced attention, the tour.
Screenshots: ``artifacts/screenshots/``; the click -> panel latency goes to FIGURES."""

from __future__ import annotations

import re
import statistics

import numpy as np
import pytest

from models.checkpoint import load_checkpoint
from models.engine import DecodeSettings, Translator
from models.explain import explain_step
from models.options import AttentionOptions
from tests.browser_support import (
    FIGURES,
    MARKS,
    new_page,
    open_inside_alpha,
    open_tab,
    running_app,
    shot,
    wait_until_idle,
)
from viz.inside import signed

SENTENCE = "the cat sees the dog ."
TAB = "Inside \u03b1"
URL = "/?models=en-xx-bahdanau&level=pieces&text=the+cat+sees+the+dog+."
pytestmark = MARKS


@pytest.fixture(scope="module")
def server(app_checkpoints):
    with running_app(app_checkpoints) as (url, _):
        yield url


@pytest.fixture(scope="module")
def translator(app_checkpoints):
    loaded = load_checkpoint(app_checkpoints / "en-xx-bahdanau")
    return Translator(loaded.model, loaded.tokenizer)


@pytest.fixture
def page(browser, server):
    with new_page(browser, server + URL) as p:
        yield p


def cell_values(page, col: int) -> tuple[str, str]:
    e = page.locator(f'table.inside-scores td[data-row="e"][data-col="{col}"]').text_content()
    a = page.locator(f'table.inside-scores td[data-row="alpha"][data-col="{col}"]')
    return e, a.text_content()


def test_a_clicked_cell_opens_inside_alpha_with_its_e_and_alpha(page, translator):
    from playwright.sync_api import expect

    trace = translator.translate(SENTENCE)
    hyp = trace.best
    expect(page.locator(".attn-map rect.cell").first).to_be_visible(timeout=60_000)
    on_page, round_trips = [], []
    for row, col in ((3, 2), (11, 4), (6, 9), (1, 0), (14, 5), (9, 11)):
        ms, seconds = open_inside_alpha(page, (row, col), row, col, f"{hyp.alphas[row, col]:.4f}")
        on_page.append(ms)
        round_trips.append(1000 * seconds)
        e, a = cell_values(page, col)
        assert a == f"{hyp.alphas[row, col]:.4f}"
        assert e == signed(hyp.scores[row, col], 4)
        expect(page.get_by_role("tab", name=TAB, exact=True)).to_have_attribute(
            "aria-selected", "true"
        )
    FIGURES["toy model: click -> Inside alpha panel, median of 6 (ms, page clock)"] = round(
        statistics.median(on_page)
    )
    FIGURES["toy model: the same with Playwright's click call, median (ms)"] = round(
        statistics.median(round_trips)
    )
    wait_until_idle(page)
    shot(page, "20-inside-alpha")


def test_the_score_table_marks_its_column_and_writes_minus_signs(page, translator):
    """The e and alpha table under Softmax: padded cells, a true minus sign (a hyphen
    run together with the next cell read as a subtraction), the selected column marked."""
    from playwright.sync_api import expect

    hyp = translator.translate(SENTENCE).best
    row = next(r for r in range(len(hyp.ids)) if (hyp.scores[r] < 0).any())
    neg = int(np.argmax(hyp.scores[row] < 0))  # a column with a negative score
    col = int(np.argmax(hyp.alphas[row]))  # the link selects the row's strongest piece
    expect(page.locator(".attn-map rect.cell").first).to_be_visible(timeout=60_000)
    open_inside_alpha(page, (row, neg), row, col, f"{hyp.alphas[row, col]:.4f}")
    table = page.locator("table.inside-scores")
    marked = table.locator("td.sel")
    assert marked.count() == 2
    assert {marked.nth(i).get_attribute("data-col") for i in range(2)} == {str(col)}
    assert table.locator("th.sel").count() == 1
    e = table.locator(f'td[data-row="e"][data-col="{neg}"]')
    assert e.text_content() == "\u2212" + f"{abs(hyp.scores[row, neg]):.4f}"
    texts = table.locator('td[data-row="e"]').all_text_contents()
    assert texts == [signed(x, 4) for x in hyp.scores[row]] and not any("-" in t for t in texts)
    pad = e.evaluate("c => parseFloat(getComputedStyle(c).paddingLeft)")
    assert pad >= 6
    background = lambda c: table.locator(  # noqa: E731
        f'td[data-row="alpha"][data-col="{c}"]'
    ).evaluate("c => getComputedStyle(c).backgroundColor")
    assert background(col) != background((col + 1) % len(hyp.scores[row]))
    table.scroll_into_view_if_needed()
    shot(page, "26-inside-alpha-score-table")


def test_hovering_a_strip_cell_shows_its_exact_value(page, translator):
    """The heat strips are images; the mouse over a cell shows that dimension's exact
    value in the strip's tooltip (the query vector's first, middle and last cell)."""
    from playwright.sync_api import expect

    trace = translator.translate(SENTENCE)
    hyp = trace.best
    expect(page.locator(".attn-map rect.cell").first).to_be_visible(timeout=60_000)
    open_inside_alpha(page, (3, 2), 3, 2, f"{hyp.alphas[3, 2]:.4f}")
    ex = explain_step(translator.model, trace.source.ids, hyp.ids, 3)
    box = _hover_query_strip(page, ex.query)
    shot(page, "24-inside-alpha-strip-value")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] - 40)  # off the strip: it goes
    expect(page.locator(".strip-tip").first).to_be_hidden()


def _hover_query_strip(page, query) -> dict:
    """Move the mouse over the query strip's first, middle and last cell (at the width
    the strip is drawn) and check the tooltip names that cell's exact value."""
    from playwright.sync_api import expect

    strip = page.locator("img.strip").first  # the query vector
    expect(strip).to_be_visible()
    strip.scroll_into_view_if_needed()
    box = strip.bounding_box()
    width = box["width"] / len(query)
    tip = page.locator(".strip-tip").first
    for i in (0, len(query) // 2, len(query) - 1):
        page.mouse.move(box["x"] + (i + 0.5) * width, box["y"] + box["height"] / 2)
        expect(tip).to_be_visible()
        expect(tip).to_have_text(re.compile(rf"\[{i + 1}\] = {float(query[i]):.6f}$"))
    return box


def test_at_1024_px_the_step_view_fits_its_column(page, translator):
    """In a 1024 px window the main column is narrow: the strips shrink to it (their
    tooltips still name the cell under the mouse), the written-out formulas break into
    lines that fit, and the tour's buttons show their whole labels."""
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1024, "height": 768})
    trace = translator.translate(SENTENCE)
    hyp = trace.best
    expect(page.locator(".attn-map rect.cell").first).to_be_visible(timeout=60_000)
    open_inside_alpha(page, (3, 2), 3, 2, f"{hyp.alphas[3, 2]:.4f}")
    wait_until_idle(page)
    column = page.get_by_role("textbox", name="Source sentence").bounding_box()
    right = column["x"] + column["width"]
    strips = page.locator("img.strip")
    assert strips.count() >= 5  # the score's vectors and the context's
    notes = page.locator("td.strip-note")
    edges = [
        box["x"] + box["width"]
        for box in (el.bounding_box() for el in [*strips.all(), *notes.all()])
    ]
    assert max(edges) <= right + 1, (max(edges), right)
    table = page.locator("table.inside-scores").first.locator("xpath=..").bounding_box()
    assert table["x"] + table["width"] <= right + 1  # the e and alpha table too
    ex = explain_step(translator.model, trace.source.ids, hyp.ids, 3)
    shrunk = _hover_query_strip(page, ex.query)
    assert shrunk["width"] < 12 * len(ex.query)  # narrower than drawn at full size
    # a display formula wider than the column would scroll, with no scrollbar shown
    formulas = page.evaluate(
        """() => [...document.querySelectorAll('.katex-display')].map(
            k => [k.textContent.slice(0, 40), k.scrollWidth, k.clientWidth])"""
    )
    assert len(formulas) >= 4
    assert [f for f in formulas if f[1] > f[2] + 8] == []  # KaTeX: a px or two past
    tour = page.locator(".st-key-tour-box button")
    assert tour.count() >= 3
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.st-key-tour-box button')].flatMap(
            b => [b, ...b.querySelectorAll('*')]).filter(e => e.scrollWidth > e.clientWidth + 1)
            .map(e => e.textContent)"""
    )
    assert cut == []
    shot(page, "25-inside-alpha-1024")


def _select_option(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.press_sequentially(option)  # filters the list (long lists are drawn in part)
    page.get_by_role("option", name=option).first.click()
    page.keyboard.press("Escape")  # the closed list can leave the rest of the page aria-hidden
    wait_until_idle(page)


def test_tau_changes_the_translation(page, translator):
    from playwright.sync_api import expect

    sharp = translator.translate(SENTENCE, DecodeSettings(attention=AttentionOptions(0.05)))
    original = translator.translate(SENTENCE).best.text
    assert sharp.best.text != original  # the toy model loses its way with hard attention
    open_tab(page, TAB)
    open_tab(page, "Temperature \u03c4")
    slider = page.get_by_role("slider", name="Temperature").first
    slider.scroll_into_view_if_needed()
    expect(page.get_by_text("\u03c4 = 1: move the slider", exact=True)).to_be_visible(
        timeout=30_000
    )
    slider.focus()
    for _ in range(4):  # from 1 down to the first value, 0.05
        slider.press("ArrowLeft")
    expect(page.get_by_text("\u03c4 = 0.05", exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_text(sharp.best.text, exact=True).first).to_be_visible(timeout=30_000)
    wait_until_idle(page)
    shot(page, "21-inside-tau")


def test_forcing_the_attention_gives_a_second_output(page, translator):
    from playwright.sync_api import expect

    n = len(translator.encode_source(SENTENCE).ids)
    opts = AttentionOptions(1.0, 2, tuple(float(j == 11) for j in range(n)))
    forced = translator.translate(SENTENCE, DecodeSettings(attention=opts)).best.text
    assert forced != translator.translate(SENTENCE).best.text
    open_tab(page, TAB)
    open_tab(page, "What if it looked here?")
    _select_option(page, "Output step t", "t = 3:")
    _select_option(page, "Look only at", "og (")
    expect(page.get_by_text("attention set at t = 3")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(forced, exact=True).first).to_be_visible(timeout=30_000)
    wait_until_idle(page)
    shot(page, "22-inside-what-if")


def _tour_backgrounds(page) -> tuple[str, str]:
    """The page's and the tour box's backgrounds once the theme has settled."""
    page.wait_for_timeout(500)  # the theme's styles are applied after the click
    return tuple(
        page.evaluate(
            """() => [getComputedStyle(document.querySelector('.stApp')).backgroundColor,
                      getComputedStyle(document.querySelector('.st-key-tour-box'))
                        .backgroundColor]"""
        )
    )


def test_the_tour_runs_to_its_end(page):
    from playwright.sync_api import expect

    open_tab(page, TAB)
    for step in range(1, 9):
        expect(page.get_by_text(f"Tour {step} of 8", exact=False)).to_be_visible(timeout=30_000)
        if step == 2:
            shot(page, "23-inside-tour")
        if step == 3:  # the softmax, below the fold: scrolled to, under the tour box
            marked = page.locator("h4", has_text="the tour is here")
            expect(marked).to_contain_text("Softmax")
            expect(marked).to_be_in_viewport(timeout=5_000)
            expect(page.get_by_role("button", name="Next", exact=True)).to_be_in_viewport()
            box = page.locator(".st-key-tour-box").bounding_box()
            assert box["y"] + box["height"] <= marked.bounding_box()["y"]  # not under it
            shot(page, "24-inside-tour-scrolled")
            # a theme chosen mid-tour: the box takes the new page background at once
            for theme in ("Dark", "System"):
                page.locator('[data-testid="stMainMenu"]').click()
                page.locator(f'[data-testid="stMainMenuItem-theme-{theme}"]').click()
                page.keyboard.press("Escape")
                app_bg, box_bg = _tour_backgrounds(page)
                assert box_bg == app_bg, (theme, app_bg, box_bg)
                assert (app_bg == "rgb(255, 255, 255)") == (theme == "System"), app_bg
        name = "Finish" if step == 8 else "Next"
        page.get_by_role("button", name=name, exact=True).click()
        wait_until_idle(page)
    expect(page.get_by_role("button", name="Take the guided tour")).to_be_visible(timeout=30_000)
    assert "tour=done" in page.url


@pytest.mark.parametrize(("width", "height", "scale"), [(640, 360, 2), (1024, 576, 1.25)])
def test_the_tour_in_a_short_window_never_hides_the_section_it_points_to(
    browser, server, width, height, scale
):
    """A projector zoomed to 200% (640 x 360 CSS pixels), a 720p laptop at 125%: a box
    held at the top would fill most of the window, so it scrolls with the page, and each
    section the tour points to is scrolled into view where the box does not cover it.
    Whether a box is held is decided again at each step (its text has another height)."""
    from playwright.sync_api import expect

    from ui.inside import TOUR_HELD_SHARE

    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=scale
    )
    page = context.new_page()
    held_steps = []
    try:
        page.goto(server + URL + "&tab=Inside+%CE%B1")
        for step in range(1, 9):
            expect(page.get_by_text(f"Tour {step} of 8", exact=False)).to_be_visible(timeout=30_000)
            wait_until_idle(page)
            page.wait_for_timeout(800)  # the smooth scroll to the step's section
            box = page.locator(".st-key-tour-box")
            held = box.evaluate("(b) => getComputedStyle(b.parentElement).position") == "sticky"
            tall = box.bounding_box()["height"]
            assert held == (tall <= height * TOUR_HELD_SHARE), (step, tall)
            held_steps.append(held)
            marked = page.locator("h4", has_text="the tour is here")
            if marked.count():
                top = marked.bounding_box()["y"]
                bottom = box.bounding_box()["y"] + tall
                header = page.locator('[data-testid="stHeader"]').bounding_box()
                covered = max(header["y"] + header["height"], bottom)
                assert covered <= top < height, (step, top, bottom)  # nothing over it
            if step == 3:
                shot(page, f"24b-inside-tour-short-window-{width}")
            name = "Finish" if step == 8 else "Next"
            page.get_by_role("button", name=name, exact=True).click()
        if width == 1024:  # most steps' boxes fit: held, Next in reach
            assert sum(held_steps) >= 6, held_steps
    finally:
        context.close()


def test_the_tour_offered_on_a_first_visit_is_scrolled_into_sight(browser, server):
    """A 720p laptop at 125% (1024 x 576 CSS pixels): the tab's top sits near the bottom
    of the window, so the tour box it opens with is scrolled into sight, Next with it."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1024, "height": 576}, device_scale_factor=1.25)
    page = context.new_page()
    try:
        page.goto(server + URL)
        page.get_by_role("textbox", name="Source sentence").wait_for(timeout=60_000)
        open_tab(page, TAB)
        expect(page.get_by_text("Tour 1 of 8", exact=False)).to_be_visible(timeout=30_000)
        wait_until_idle(page)
        page.wait_for_function(  # the smooth scroll, then Next inside the window
            "() => { const b = document.querySelector('.st-key-tour-next button');"
            " if (!b) return false; const r = b.getBoundingClientRect();"
            " return r.top >= 0 && r.bottom <= window.innerHeight; }",
            timeout=10_000,
        )
        shot(page, "24c-inside-tour-first-visit-720p")
    finally:
        context.close()


def test_the_tour_can_be_followed_by_keyboard_without_losing_the_focus(browser, server):
    """Enter on Next moves the tour on and the focus stays on Next; after Finish it is on
    the button that starts the tour again, never back at the top of the page."""
    from playwright.sync_api import expect

    with new_page(browser, server + URL + "&tab=Inside+%CE%B1") as page:
        focused = (
            "(key) => !!document.activeElement && "
            "!!document.activeElement.closest('.st-key-' + key)"
        )
        for step in range(1, 9):
            expect(page.get_by_text(f"Tour {step} of 8", exact=False)).to_be_visible(timeout=30_000)
            wait_until_idle(page)
            if step == 1:
                page.locator(".st-key-tour-next button").focus()
            page.wait_for_function(focused, arg="tour-next", timeout=5_000)
            page.keyboard.press("Enter")
            wait_until_idle(page)
        expect(page.get_by_role("button", name="Take the guided tour")).to_be_visible()
        page.wait_for_function(focused, arg="tour-start", timeout=5_000)


def test_the_arrow_keys_switch_the_pages_tabs_and_the_focus_stays_on_them(browser, server):
    """Left and Right on the tab bar open the next tab; the focus stays on the tab bar
    (a redraw had dropped it to the top of the page about one switch in four)."""
    from playwright.sync_api import expect

    from ui.state import TABS

    with new_page(browser, server + URL + "&tour=done") as page:
        expect(page.get_by_role("tab", name=TABS[0], exact=True)).to_be_visible(timeout=30_000)
        wait_until_idle(page)
        page.get_by_role("tab", name=TABS[0], exact=True).focus()
        corpus, export = TABS.index("Corpus"), TABS.index("Export")
        back_and_forth = [TABS[corpus], TABS[export]] * 3
        for name in [*TABS[1:], *back_and_forth, *reversed(TABS[:export])]:
            before = page.evaluate("() => document.activeElement.textContent")
            key = "ArrowRight" if TABS.index(name) > TABS.index(before) else "ArrowLeft"
            page.keyboard.press(key)
            tab = page.get_by_role("tab", name=name, exact=True)
            expect(tab).to_have_attribute("aria-selected", "true", timeout=30_000)
            wait_until_idle(page)
            page.wait_for_timeout(400)
            active = page.evaluate(
                "() => [document.activeElement.getAttribute('role'), "
                "document.activeElement.textContent]"
            )
            assert active == ["tab", name], (name, active)
