"""Many sessions at once: 20 page sessions type and click for 60 s against one server.

Each session speaks the page's own websocket protocol (``tests/load_client.py``), so
20 of them fit on a 2-core machine where 20 browsers would not.  Every answer is
checked against the single-session result computed in this process: the models are
shared by all sessions and must come out of the storm unchanged.  Loopback only.
"""

from __future__ import annotations

import os
import random
import statistics
import threading
import time
from collections import defaultdict

import pytest

from models.checkpoint import load_checkpoint
from models.engine import Translator
from models.registry import DEFAULT_ROOT
from tests.browser_support import FIGURES, running_app, shipped_pairs
from tests.load_client import PageSession
from ui.state import page_default
from viz.matrix import attention_view

pytestmark = pytest.mark.slow

SESSIONS = int(os.environ.get("LOAD_SESSIONS", "20"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
# the page's default model (its first pair's Bahdanau model)
_, MODEL = page_default(shipped_pairs(DEFAULT_ROOT))
SENTENCES = [
    "I have seen the house.",
    "Where is the station?",
    "She gave him the book yesterday.",
    "The children are playing in the garden.",
    "We must leave now.",
    "Can you help me, please?",
]


def expected_views() -> dict[str, tuple[str, list[str], list[int], int]]:
    """sentence -> (translation, target words, argmax source word per target word,
    number of source words)."""
    loaded = load_checkpoint(DEFAULT_ROOT / MODEL)
    translator = Translator(loaded.model, loaded.tokenizer, MODEL)
    out = {}
    for text in SENTENCES:
        trace = translator.translate(text)
        view = attention_view(trace, 0, "words")
        argmax = [int(r.argmax()) for r in view.z]
        out[text] = (trace.best.text, list(view.rows), argmax, len(view.cols))
    return out


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.mismatches: list[str] = []

    def time(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latency[kind].append(seconds * 1000)

    def add(self, bucket: list[str], text: str) -> None:
        with self.lock:
            bucket.append(text)


def one_session(url: str, seed: int, deadline: float, expected: dict, tally: Tally) -> None:
    rng = random.Random(seed)
    try:
        with PageSession(url) as session:
            session.run()
            exercise(session, rng, seed, deadline, expected, tally)
    except Exception as exc:  # a refused connection or a timeout is an error of the run
        tally.add(tally.errors, f"{type(exc).__name__}: {exc}")


def exercise(session, rng, seed: int, deadline: float, expected: dict, tally: Tally) -> None:
    """Type a sentence, check the translation; click a cell, check the highlight; again."""
    order = SENTENCES[seed % len(SENTENCES) :] + SENTENCES[: seed % len(SENTENCES)]
    step = 0
    while time.time() < deadline:
        text = order[step % len(order)]
        step += 1
        translation, rows, argmax, n_cols = expected[text]
        begin = time.time()
        page = session.type_source(text)
        tally.time("new sentence", time.time() - begin)
        if page.errors or translation not in page.texts:
            tally.add(tally.mismatches, f"{text!r}: {page.texts[:1]} {page.errors}")
            continue
        row = rng.randrange(len(rows))
        begin = time.time()
        page = session.click_cell(row, argmax[row], n_cols)
        tally.time("click", time.time() - begin)
        if page.label() != f"{rows[row]} attends to:":
            tally.add(tally.mismatches, f"{text!r} row {row}: {page.label()!r}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def test_twenty_sessions_type_and_click_at_once():
    expected = expected_views()
    tally = Tally()
    with running_app(DEFAULT_ROOT) as (url, _):
        deadline = time.time() + SECONDS
        threads = [
            threading.Thread(target=one_session, args=(url, i, deadline, expected, tally))
            for i in range(SESSIONS)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=SECONDS + 120)
        assert not any(t.is_alive() for t in threads), "a session hung"
    figures = {"sessions": SESSIONS, "seconds": SECONDS, "errors": len(tally.errors)}
    figures["wrong outputs"] = len(tally.mismatches)
    for kind, values in sorted(tally.latency.items()):
        figures[f"{kind}: n"] = len(values)
        figures[f"{kind}: p50 ms"] = round(statistics.median(values))
        figures[f"{kind}: p95 ms"] = round(percentile(values, 0.95))
    FIGURES["load test"] = figures
    assert not tally.errors, tally.errors[:5]
    assert not tally.mismatches, tally.mismatches[:5]
    assert len(tally.latency["click"]) >= SESSIONS  # every session got through a round
