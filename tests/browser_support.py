"""Shared pieces of the browser tests: the server, the browser, page helpers."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from models.config import ModelConfig

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
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
FIGURES: dict[str, object] = {}  # measured page latencies, printed at the end of the run
MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("REQUIRE_BROWSER"),
        reason="needs Debian's chromium (make test installs it)",
    ),
]


def shipped_pairs(root: Path) -> dict[str, str]:
    """Checkpoint name -> its pair, from each folder's config.json (as the page reads it)."""
    out = {}
    for folder in sorted(root.iterdir()):
        if (folder / "config.json").exists():
            meta = json.loads((folder / "config.json").read_text(encoding="utf-8"))
            out[folder.name] = ModelConfig.from_dict(meta["model"]).pair
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(checkpoints: Path, examples: Path | None = None):
    """The app on a free loopback port; yields (url, seconds until healthy).
    ``examples``: a folder of ``<pair>.tsv`` example files instead of the project's."""
    start = time.time()
    port = free_port()
    env = {**os.environ, "ATTENTION_CHECKPOINTS": str(checkpoints)}
    if examples is not None:
        env["ATTENTION_EXAMPLES"] = str(examples)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ui.serve",
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
            time.sleep(0.05)
    else:
        os.killpg(proc.pid, signal.SIGTERM)
        pytest.fail("the app did not start")
    try:
        yield url, time.time() - start
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield b
        finally:
            b.close()


@contextlib.contextmanager
def new_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []  # uncaught errors in the page's scripts, ours and Streamlit's
    page.on("pageerror", lambda e: errors.append(f"{e.message}\n{e.stack}"))
    page.goto(url)
    page.get_by_role("textbox", name="Source sentence").wait_for(timeout=60_000)
    try:
        yield page
    finally:
        context.close()
    assert not errors, "uncaught errors in the page:\n" + "\n".join(errors)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def enter_source(page, text: str) -> None:
    box = page.get_by_role("textbox", name="Source sentence")
    box.fill(text)
    box.press("Control+Enter")


def pick_model(page, name: str) -> None:
    """Add ``name`` to the sidebar's models, as a person types and picks it."""
    models = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"] input')
    models.click()
    models.fill(name)
    models.press("Enter")
    page.keyboard.press("Escape")


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


HEATMAP_CELL = ".attn-map rect.cell"


def click_cell(page, row: int, col: int) -> float:
    """Click heatmap cell (row, col) of the explorer, scrolling it into view first.

    Returns the wall-clock time of the click itself."""
    cell = page.locator(f'{HEATMAP_CELL}[data-row="{row}"][data-col="{col}"]')
    cell.scroll_into_view_if_needed(timeout=30_000)
    box = cell.bounding_box()
    clicked = time.time()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    return clicked


def wait_for_label(page, text: str, timeout_ms: int = 10_000) -> None:
    """Wait until the explorer's label reads ``text``, checking at every animation frame
    (``expect`` polls at growing intervals, which would blur a latency measurement)."""
    page.wait_for_function(
        """(text) => {
            const el = document.querySelector('.hl-source-label');
            return el !== null && el.textContent === text;
        }""",
        arg=text,
        polling="raf",
        timeout=timeout_ms,
    )


def wait_until_idle(page, timeout_ms: int = 30_000) -> None:
    """Wait until no script run is in flight (a click during one can be overtaken by it)."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app !== null && app.getAttribute('data-test-script-state') !== 'running';
        }""",
        timeout=timeout_ms,
    )


def open_tab(page, name: str) -> None:
    """Click a tab once the page is idle, and again if a late rerun deselected it."""
    from playwright.sync_api import expect

    tab = page.get_by_role("tab", name=name, exact=True)
    for _ in range(3):
        wait_until_idle(page)
        tab.click()
        wait_until_idle(page)
        if tab.get_attribute("aria-selected") == "true":
            break
    expect(tab).to_have_attribute("aria-selected", "true")


INSIDE_LINK = "Inside \u03b1: how the selected row was computed"


def open_inside_alpha(
    page, cell: tuple[int, int], step: int, col: int, alpha: str
) -> tuple[float, float]:
    """Select ``cell`` (row, column) in the explorer, then follow its link to Inside
    alpha and wait until the step table shows ``step`` with ``alpha`` in column ``col``
    (with pieces in the explorer, the cell itself).

    Returns (ms from the click event the page received to the table drawn, both read
    on the page's own clock; seconds from Playwright's click call to the same moment).
    The first is the app's latency; the second adds Playwright's own checks before it
    clicks (visibility, stability over animation frames), 40-90 ms on a 2-core machine.
    """
    from playwright.sync_api import expect

    open_tab(page, "Explorer")
    click_cell(page, *cell)
    selected = page.locator(".attn-map .row-label.selected")
    expect(selected).to_have_attribute("data-row", str(cell[0]), timeout=10_000)
    wait_until_idle(page)
    link = page.get_by_role("button", name=INSIDE_LINK)
    link.scroll_into_view_if_needed()
    page.evaluate(
        """() => {
            window.__insideClick = null;
            document.addEventListener('click', () => { window.__insideClick = performance.now(); },
                                      {capture: true, once: true});
        }"""
    )
    start = time.time()
    link.click()
    page.wait_for_function(
        """([t, col, alpha]) => {
            const table = document.querySelector('table.inside-scores');
            if (!table || table.dataset.step !== String(t)) return false;
            const cell = table.querySelector(`td[data-row="alpha"][data-col="${col}"]`);
            if (cell === null || cell.textContent !== alpha) return false;
            window.__insideShown = performance.now();
            return true;
        }""",
        arg=[step, col, alpha],
        polling="raf",
        timeout=30_000,
    )
    round_trip = time.time() - start
    shown, clicked = page.evaluate("() => [window.__insideShown, window.__insideClick]")
    return shown - clicked, round_trip


def watch_selected_rows(heatmap) -> None:
    """Record, in order, every row the heatmap marks as selected from now on (its
    selected label's ``data-row``), read back with ``selected_rows_seen``."""
    heatmap.evaluate(
        """(m) => {
            m.__rowsSeen = [];
            const note = () => {
                const t = m.querySelector('.row-label.selected');
                const row = t === null ? null : Number(t.dataset.row);
                if (row !== null && m.__rowsSeen[m.__rowsSeen.length - 1] !== row) {
                    m.__rowsSeen.push(row);
                }
            };
            new MutationObserver(note).observe(m, {subtree: true, childList: true,
                                                   attributes: true, attributeFilter: ['class']});
        }"""
    )


def selected_rows_seen(heatmap) -> list[int]:
    return heatmap.evaluate("(m) => m.__rowsSeen")


def in_view(heatmap, selector: str, sideways: bool = True) -> dict:
    """Where ``selector`` (an element of the heatmap's drawing) lies: ``seen`` when it is
    inside the window below the page's fixed header and, with ``sideways``, inside the
    heatmap's own horizontal scroll box."""
    return heatmap.evaluate(
        """(m, [selector, sideways]) => {
            const r = m.querySelector(selector).getBoundingClientRect();
            const box = m.getBoundingClientRect();
            const header = document.querySelector('[data-testid="stHeader"]');
            const top = header === null ? 0 : header.getBoundingClientRect().bottom;
            const across = !sideways || (r.left >= box.left - 1 && r.right <= box.right + 1);
            return {seen: r.top >= top - 1 && r.bottom <= innerHeight + 1 && across,
                    top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                    header: top, window: innerHeight, box: [box.left, box.right],
                    scrollLeft: m.scrollLeft};
        }""",
        [selector, sideways],
    )
