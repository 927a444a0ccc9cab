"""The page in a real browser: Debian's chromium driven by Playwright.

The server runs on a free loopback port with toy checkpoints; screenshots go to
``artifacts/screenshots/`` (git-ignored) so a person can look at them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from models.checkpoint import load_checkpoint
from models.engine import Translator
from viz.matrix import attention_view

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
SENTENCE = "the cat sees the dog ."
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("REQUIRE_BROWSER"),
        reason="needs Debian's chromium (make test installs it)",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(app_checkpoints):
    checkpoints = app_checkpoints
    port = free_port()
    env = {**os.environ, "ATTENTION_CHECKPOINTS": str(checkpoints)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
            "--server.fileWatcherType=none",
            "--browser.gatherUsageStats=false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.2)
    else:
        os.killpg(proc.pid, signal.SIGTERM)
        pytest.fail("the app did not start")
    yield url
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(server)
    page.get_by_role("textbox", name="Source sentence").wait_for(timeout=60_000)
    yield page
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def enter_source(page, text: str) -> None:
    box = page.get_by_role("textbox", name="Source sentence")
    box.fill(text)
    box.press("Control+Enter")


def label(page):
    """The explorer's highlight label ("<target word> attends to:")."""
    return page.locator(".hl-source-label").first


def strongest_source_word(page) -> str:
    """The source word the explorer shades darkest."""
    return page.evaluate(
        """() => {
            const box = document.querySelector('.hl-source');
            const spans = [...box.querySelectorAll('.hl-source-word')];
            spans.sort((a, b) => b.dataset.weight - a.dataset.weight);
            return spans[0].textContent;
        }"""
    )


def click_cell(page, row: int, col: int) -> None:
    """Click the centre of heatmap cell (row, col), located through plotly's own axes."""
    page.locator(".js-plotly-plot .nsewdrag").first.wait_for(timeout=30_000)
    x, y = page.evaluate(
        """([row, col]) => {
            const gd = document.querySelectorAll('.js-plotly-plot')[0];
            const box = gd.getBoundingClientRect();
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            return [box.left + xa._offset + xa.l2p(col), box.top + ya._offset + ya.l2p(row)];
        }""",
        [row, col],
    )
    page.mouse.click(x, y)


def expected_strongest(checkpoints, text: str, target_word: str) -> str:
    """What the model itself says: the source word with the most attention."""
    loaded = load_checkpoint(checkpoints / "en-xx-bahdanau")
    trace = Translator(loaded.model, loaded.tokenizer).translate(text)
    view = attention_view(trace, 0, "words")
    return view.cols[int(view.z[view.rows.index(target_word)].argmax())]


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


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
    shot(page, "05-step-through")


def test_compare_two_models(page):
    from playwright.sync_api import expect

    enter_source(page, SENTENCE)
    models = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"] input')
    models.click()
    models.fill("en-xx-none")
    models.press("Enter")
    page.keyboard.press("Escape")
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


def test_script_in_the_input_never_runs(page):
    from playwright.sync_api import expect

    payload = '<img src=x onerror="window.__xss=1"> the cat <script>window.__xss=2</script>'
    enter_source(page, payload)
    expect(page.locator(".hl-source-word").first).to_have_text("<img", timeout=30_000)
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__xss") is None
    assert page.locator(".hl-source img, .hl-source script").count() == 0
    shot(page, "04-html-input")
