"""Shared resources and cached work for the page: models load once, traces per input."""

from __future__ import annotations

import csv
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from data.splits import spread_sample
from models.options import DecodeSettings
from models.registry import Entry, checkpoints_root, scan_cached
from models.text import InputError
from models.trace import DecodeTrace
from models.unknown import (
    Known,
    language_note,
    script_note,
    script_readers,
    unknown_characters,
    unknown_note,
)
from models.unknown import unknown_target_note as target_unknown

if TYPE_CHECKING:
    from models.engine import Translator

# The page's modules import no torch: its first view is drawn from a stored trace
# (``models.stored``) while ``ui.serve``'s warm-up thread imports torch and loads the
# weights; the models' code is imported where a view first decodes.

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"  # ATTENTION_EXAMPLES overrides it
CORPORA = Path(__file__).resolve().parents[1] / "corpora"  # build output, absent on a clone
TEST_SAMPLE = 60  # test sentences the Corpus view offers per pair
MAX_CHARS = 5000
MAX_MODELS = 4
TABS = [  # the page's tabs, in order; the first opens by default
    "Explorer",
    "Inside \u03b1",
    "Step through",
    "What-if",
    "Beam",
    "Compare",
    "Diagnostics",
    "Gold alignment",
    "Corpus",
    "Export",
]
FIRST_VIEW = threading.Event()  # set when a page has drawn its first view (ui.serve waits)
# held by the page runs before FIRST_VIEW, and by the warm-up while it imports pandas
FIRST_RUN = threading.Lock()
EXPLORER_ROW = "explore:row"  # the explorer's selected target row (shared in the URL)
EXPLORER_SHOWN = "explore:shown"  # the matrix that row belongs to (its identity)
EXPLORER_PILL = "explore:pill"  # the explorer's target word picker, which shows the row
FOCUS = "focus"  # of several models, the one the single-model views show (shared in the URL)
TARGET = "target"  # the single-model views show the model's output or the reference, forced
TARGETS = ("the model's translation", "the reference, forced")


@dataclass
class Choice:
    """What the sidebar chose."""

    pair: str
    names: list[str]
    settings: DecodeSettings
    level: str = "words"
    device_slot: object = None  # the sidebar's place for the device caption


def root() -> str:
    return str(checkpoints_root())


@st.cache_resource(show_spinner="Loading checkpoints ...")
def registry(folder: str) -> list[Entry]:
    """One entry per checkpoint folder, listed without torch.  Shared by all sessions."""
    return scan_cached(Path(folder))


def entry(name: str) -> Entry:
    return next(e for e in registry(root()) if e.name == name)


def settle_focus(names: list[str]) -> None:
    """Of several models, the one the views of one model show: kept while it is still
    picked, else the first with attention (not the first picked)."""
    if len(names) > 1 and st.session_state.get(FOCUS) not in names:
        attending = [n for n in names if entry(n).config.attention != "none"]
        st.session_state[FOCUS] = (attending or names)[0]


def device_text() -> str | None:
    """Where the models decode (a GPU's name, or the CPU and its threads); None while
    torch is still being imported, which this page does not wait for."""
    device = sys.modules.get("models.device")
    # a module's names exist once its body has run: ``describe`` after ``import torch``
    if device is None or not hasattr(device, "describe"):
        return None
    return device.describe(device.resolve_device(None))


def set_aside(names: list[str], text: str, settings: DecodeSettings) -> list[Entry]:
    """The models among ``names`` whose weights fail to load, each with its ``error``.
    One whose stored trace stands for this decoding is not loaded for it: a view that
    needs its weights later and finds them broken raises ``Unavailable``
    (``set_aside_later``)."""
    return [
        e for e in map(entry, names) if e.stored.get(text, settings) is None and e.loaded is None
    ]


class Unavailable(RuntimeError):
    """A model's weights failed to load when a view first needed them (its stored trace
    had stood for its decoding until then)."""


@contextmanager
def set_aside_later() -> Iterator[None]:
    """Around the views: a model found ``Unavailable`` by one of them reruns the page,
    which lists it in the sidebar with its reason (as ``set_aside`` does) and goes on
    with the models that work (``drop_failed_picks``), instead of an error in the view."""
    try:
        yield
    except Unavailable:
        st.rerun()


def drop_failed_picks() -> None:
    """Before the sidebar is drawn: the picked models whose weights failed to load leave
    the picks, the others stay (the sidebar lists the failed ones as unavailable, and
    would put the pair's default model in place of picks that name one)."""
    picked = st.session_state.get("models")
    if not picked:
        return
    failed = {e.name for e in registry(root()) if e.name in picked and not e.available}
    working = [n for n in picked if n not in failed]
    if failed and working:
        st.session_state["models"] = working


def translator(name: str) -> Translator:
    """One translator per model, built once (its fast path's derived weights included;
    ``ui.serve`` builds the page's default one while the browser loads) and shared,
    read-only, by every session; ``Unavailable`` when its weights cannot be used."""
    e = entry(name)
    if (built := e.translator) is None:
        raise Unavailable(f"checkpoint {name} is unavailable: {e.error}")
    return built


@st.cache_data(max_entries=1024, show_spinner=False)
def translate(
    name: str,
    text: str,
    settings: DecodeSettings,
    force: str | tuple[int, ...] | None = None,
    prefix: tuple[int, ...] | None = None,
) -> tuple[DecodeTrace | None, str | None]:
    """The trace, or a message for the person; cached per (model, input, settings).
    ``force``: a target's text, or a model's output as the piece ids it wrote
    (``own_pieces``).
    A trace stored with the checkpoint stands for decoding the same text with the same
    settings (``models.stored``); its notes are those of this text as typed (what
    cleaning dropped from it, which the stored text, already clean, cannot show)."""
    e = entry(name)
    if force is None and not prefix and (stored := e.stored.get(text, settings)):
        prepare(name)
        return replace(stored, notes=e.tokenizer.encode_source(text).notes), None
    try:
        target = list(force) if isinstance(force, tuple) else force
        return translator(name).translate(
            text, settings, force=target, prefix=list(prefix or [])
        ), None
    except InputError as exc:
        return None, str(exc)


def own_pieces(trace: DecodeTrace) -> tuple[int, ...]:
    """The best hypothesis's pieces as the model wrote them, its end token with them
    where it wrote one (not where the length limit cut it): forced, they give back its
    own log p and weights, where its text, split again by the tokenizer, may be other
    pieces."""
    return tuple(int(i) for i in trace.best.ids)


def same_pieces(a: str, b: str) -> bool:
    """Whether two models split text with the same tokenizer (a pair's shipped models
    do), so that one's piece ids mean the same pieces to the other."""
    proto = [entry(n).tokenizer.sp.serialized_model_proto() for n in (a, b)]
    return proto[0] == proto[1]


def pandas_settled() -> None:
    """Import pandas, or wait until another thread's import of it is done.  Plotly looks
    pandas up in ``sys.modules`` and takes it as it finds it, half-made or not, so
    nothing may draw a Plotly figure while another thread is importing pandas."""
    import pandas  # noqa: F401


# The widgets whose values the page sets in the session state (from the link, the pair's
# defaults, a pick) rather than through a default argument.
STATE_SET_WIDGETS = (
    *("pair", "models", "level", "example", "source", "reference"),
    *("beam", "max_len", "lp", "tab", TARGET, FOCUS),
)
RUNS_ENDED = "page:runs-ended"  # how many runs of this session have reached their end
REDRAWN_RUNS = 2  # the runs that send those widgets their values again


def redraw_widgets() -> None:
    """Until two runs of the session have reached their end, give the state-set widgets
    their values again at the start of each run.  A click during the session's first run
    (a tab, say, while the first view is still being drawn) made the browser drop those
    widgets' values when that run ended, and the run the click asked for then showed them
    empty: the text box and the models, lost for good at the next click, which sends the
    empty values back.  A value set again is sent to the browser with its widget."""
    if st.session_state.get(RUNS_ENDED, 0) >= REDRAWN_RUNS:
        return
    for key in STATE_SET_WIDGETS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def run_page(main: Callable[[], None]) -> None:
    """Run one page run, ``main``.

    The first view needs neither torch nor pandas (it comes from a trace stored with the
    default checkpoint); ``ui.serve``'s warm-up imports both after it.  The runs before
    the first view is drawn take turns with that import of pandas (``FIRST_RUN``); the
    runs after it wait for pandas first."""
    redraw_widgets()
    if FIRST_VIEW.is_set():
        pandas_settled()
        main()
    else:
        with FIRST_RUN:
            try:
                main()
            finally:  # whatever this run showed, it has shown it: the warm-up may go on
                FIRST_VIEW.set()
    pick_shown()
    st.session_state[RUNS_ENDED] = st.session_state.get(RUNS_ENDED, 0) + 1


_PREPARING: set[str] = set()
_PREPARING_LOCK = threading.Lock()


def prepare(name: str) -> None:
    """Build model ``name``'s translator in the background: a stored trace was shown in
    place of its decoding, and the next sentence will need it.  Not before the first
    view is drawn (``ui.serve``'s warm-up builds the default one then)."""
    e = entry(name)
    if e.ready or not FIRST_VIEW.is_set():
        return
    with _PREPARING_LOCK:
        if name in _PREPARING:
            return
        _PREPARING.add(name)
    threading.Thread(target=lambda: e.translator, name=f"prepare {name}", daemon=True).start()


@st.cache_data(max_entries=256, show_spinner=False)
def unknown_characters_note(name: str, text: str) -> str | None:
    """What model ``name``'s vocabulary lacks of ``text`` and which loaded pair reads
    it (None when it lacks nothing)."""
    mine = entry(name)
    unknown = unknown_characters(text, mine.tokenizer.knows)
    if not unknown:
        return None
    others: dict[str, list[Known]] = {}
    for e in registry(root()):
        if e.available and e.config.pair != mine.config.pair:
            others.setdefault(e.config.pair, []).append(e.tokenizer.knows)
    source = mine.config.src_lang
    return unknown_note(unknown, script_readers(unknown.characters, others), source)


def script_warning(name: str, text: str) -> str | None:
    """Model ``name`` reads a language written in a script that no letter of ``text``
    is in (``models.unknown.script_note``), or None."""
    return script_note(text, entry(name).config.src_lang)


def language_warning(name: str, text: str) -> str | None:
    """Model ``name`` reads another of the pairs' languages than ``text`` plainly is, in
    the same script (``models.unknown.language_note``), or None."""
    return language_note(text, entry(name).config.src_lang)


def reference_notes(name: str, reference: str) -> list[str]:
    """What cleaning and the cut do to ``reference`` forced through model ``name``: the
    notes of the encoding its decoder reads (``Tokenizer.encode_target``)."""
    return entry(name).tokenizer.encode_target(reference).notes


def unknown_target_note(name: str, text: str) -> str | None:
    """What model ``name``'s vocabulary lacks of a target forced through it (None when
    it lacks nothing)."""
    return target_unknown(entry(name).tokenizer, text)


@st.cache_data(show_spinner=False)
def examples(pair: str) -> list[dict]:
    """Classic (and, for the Bible pair, test) sentences with references, shipped in
    ``examples/<pair>.tsv``, then a spread of the built test split ``corpora/<pair>/
    test.tsv`` where it exists (Tatoeba's sentences are never committed)."""
    path = Path(os.environ.get("ATTENTION_EXAMPLES") or EXAMPLES) / f"{pair}.tsv"
    rows: list[dict] = []
    if path.exists():
        with path.open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    test = CORPORA / pair / "test.tsv"
    if test.exists() and not any(row["kind"] == "test" for row in rows):
        shown = {row["source"] for row in rows}
        pairs = [tuple(line.split("\t")[:2]) for line in test.read_text("utf-8").splitlines()]
        pairs = [p for p in pairs if len(p) == 2 and p[0] not in shown]
        rows += [
            {"kind": "test", "source": s, "reference": r}
            for s, r in spread_sample(pairs, TEST_SAMPLE)
        ]
    return rows


def example_links(pair: str, source: str, reference: str) -> str:
    """The hand links (Pharaoh text) of the example with this source and reference, the
    probe's (``training.probe``); empty where none has them."""
    for row in examples(pair):
        if row.get("links") and (row["source"], row["reference"]) == (
            source.strip(),
            reference.strip(),
        ):
            return row["links"]
    return ""


PICKED = "picked"  # what the last pick put into the text boxes, while it can be undone
PICK_RACE_S = 10.0  # how long after a pick a rerun bringing back the old text is undone
PICK_SETTLE_S = 1.0  # and how long after the pick's own run has ended (its values sent)
TEXTS = ("source", "reference")


def put_text(values: dict) -> None:
    """Fill the text boxes (and the target or tab shown) from a pick: an example, a test
    sentence.  Called from a widget's callback.  The browser sends every widget's value
    with each rerun, and Streamlit lets those win over values a callback set: a rerun
    the browser sends before it has the pick (a second click or Escape during the pick's
    own run) brings the old text back under the new one shown in the boxes.  What they
    held is kept so that ``settle_text`` can put the pick back.

    Only a pick that fills the text boxes is guarded: old text typed back at once is
    never the person's choice, whereas a tab or view clicked back at once may be (the
    tour's and the explorer link's switches are left unguarded for that reason)."""
    before = {k: st.session_state.get(k) for k in TEXTS}
    st.session_state.update(values)
    st.session_state[PICKED] = {
        "before": before,
        "after": values,
        "at": time.monotonic(),
        "shown": None,  # when the pick's own run ended: ``pick_shown``
    }


def settle_text() -> None:
    """Before the text boxes are drawn: a run whose texts are exactly those from before
    the pick, while the pick's own run had not ended (or had just ended, its values
    maybe not yet in the browser) and within ``PICK_RACE_S``, is such a stale rerun and
    gets the pick back.  After that the same texts are the person's own: the pick is
    forgotten."""
    picked = st.session_state.get(PICKED)
    if picked is None:
        return
    now, shown = time.monotonic(), picked["shown"]
    if now - picked["at"] > PICK_RACE_S or (shown is not None and now - shown > PICK_SETTLE_S):
        del st.session_state[PICKED]
        return
    texts = {k: st.session_state.get(k) for k in TEXTS}
    if texts == picked["before"] != {k: picked["after"].get(k) for k in TEXTS}:
        st.session_state.update(picked["after"])


def pick_shown() -> None:
    """At the end of a page run that ran to its end: a pick it carried has reached the
    browser (a run a rerun interrupts does not get here)."""
    picked = st.session_state.get(PICKED)
    if picked is not None and picked["shown"] is None:
        picked["shown"] = time.monotonic()


def source_for_pair(previous: str, pair: str, source: str) -> str:
    """The source text once the pair changes from ``previous`` to ``pair``: a sentence in
    the same language stays (the same sentence, another pair's models); otherwise the
    new pair starts from its own example.  (The reference, in the old target language,
    is cleared.)"""
    if previous.partition("-")[0] != pair.partition("-")[0] or not source.strip():
        return default_text(pair)
    return source


def default_text(pair: str) -> str:
    """The sentence a pair opens with: its first classic example."""
    return next((r["source"] for r in examples(pair) if r["kind"] == "classic"), "")


# The pair the page opens with comes first (Bahdanau et al. 2015 translate English to
# French); pairs not named here follow in alphabetical order.
PAIR_ORDER = ("en-fr", "en-de", "en-hi", "hi-en", "es-en")


def ordered_pairs(pairs: set[str]) -> list[str]:
    """The loaded pairs in the order the pair picker shows them."""
    rank = {pair: k for k, pair in enumerate(PAIR_ORDER)}
    return sorted(pairs, key=lambda p: (rank.get(p, len(rank)), p))


def default_model(names: list[str]) -> str | None:
    """The model a pair opens with: its Bahdanau model, else the first."""
    return next((n for n in names if "bahdanau" in n), names[0] if names else None)


def page_default(available: dict[str, str]) -> tuple[str, str] | None:
    """(pair, model) the page opens with, for ``available`` model name -> pair."""
    pairs = ordered_pairs(set(available.values()))
    if not pairs:
        return None
    return pairs[0], default_model(sorted(n for n, p in available.items() if p == pairs[0]))


def clip_text(text: str) -> tuple[str, bool]:
    """At most MAX_CHARS characters; says whether it cut."""
    return (text[:MAX_CHARS], True) if len(text) > MAX_CHARS else (text, False)
