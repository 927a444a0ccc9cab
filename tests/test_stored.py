"""Traces stored with a checkpoint (``models.stored``): exact, only for their own weights,
text and settings, and the page's first view drawn from one without torch."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from models.checkpoint import load_checkpoint, save_checkpoint
from models.engine import Translator
from models.options import AttentionOptions, DecodeSettings
from models.registry import DEFAULT_ROOT, scan
from models.stored import TRACES, StoredTraces, write_traces
from models.trace import trace_data, trace_from_data
from tests.conftest import tiny_model
from training.traces import first_sentence, store

ROOT = Path(__file__).resolve().parents[1]
TEXT = "the cat sees the dog ."


def same_trace(a, b, atol: float = 0.0) -> None:
    """Field by field; arrays equal (or within ``atol``), -inf where the other has it."""
    assert (a.model, a.attention, a.score_kind, a.mode) == (
        b.model,
        b.attention,
        b.score_kind,
        b.mode,
    )
    assert (a.settings, a.notes, a.source) == (b.settings, b.notes, b.source)
    assert a.beam_steps == b.beam_steps and len(a.hypotheses) == len(b.hypotheses)
    for h, g in zip(a.hypotheses, b.hypotheses):
        for key in ("pieces", "words", "piece_to_word", "ids", "text", "candidate_ids"):
            assert getattr(h, key) == getattr(g, key), key
        assert (h.finished, h.beam_node) == (g.finished, g.beam_node)
        assert [p for p, _ in sum(h.candidates, [])] == [p for p, _ in sum(g.candidates, [])]
        floats = [(h.score, g.score), (h.norm_score, g.norm_score)]
        floats += list(zip(h.token_logprobs, g.token_logprobs))
        floats += [
            (p, q) for s, r in zip(h.candidates, g.candidates) for (_, p), (_, q) in zip(s, r)
        ]
        assert (
            np.allclose(*zip(*floats), atol=atol, rtol=0)
            if atol
            else floats == [(x, x) for x, _ in floats]
        )
        for x, y in ((h.alphas, g.alphas), (h.scores, g.scores)):
            assert (x is None) == (y is None)
            if x is not None:
                assert x.dtype == y.dtype and x.shape == y.shape
                assert np.array_equal(np.isinf(x), np.isinf(y))
                finite = np.isfinite(x)
                assert np.allclose(x[finite], y[finite], atol=atol, rtol=0)


@pytest.fixture
def folder(tmp_path, tokenizer):
    model = tiny_model(tokenizer, "bahdanau", "additive", seed=2, attend_end=False)
    return save_checkpoint(tmp_path / "en-xx-bahdanau", model, tokenizer, {"pair": "en-xx"})


def translator_of(folder: Path) -> Translator:
    loaded = load_checkpoint(folder)
    return Translator(loaded.model, loaded.tokenizer, loaded.name)


@pytest.mark.parametrize("beam", [1, 3])
def test_a_trace_comes_back_from_its_stored_form_exactly(folder, beam):
    trace = translator_of(folder).translate(TEXT, DecodeSettings(beam=beam))
    assert np.isinf(trace.best.scores).any()  # </s> takes no attention: -inf scores kept
    if beam > 1:
        assert trace.beam_steps and len(trace.hypotheses) > 1
    back = trace_from_data(json.loads(json.dumps(trace_data(trace))))
    same_trace(back, trace)
    assert back.best.candidates[0][0] == trace.best.candidates[0][0]  # (piece, p) tuples


def test_a_stored_trace_stands_for_its_own_text_and_settings_only(folder, tokenizer):
    translator = translator_of(folder)
    settings = DecodeSettings()
    write_traces(folder, [translator.translate(TEXT, settings)], settings)
    stored = StoredTraces(folder, "renamed")
    assert stored.problem is None
    got = stored.get(TEXT, settings)
    same_trace(got, replace(translator.translate(TEXT, settings), model="renamed"))
    assert stored.get(f"  {TEXT}\t", DecodeSettings(beam=1)) is got  # read as the model reads it
    assert stored.get("the dog sees the cat .", settings) is None
    assert stored.get(TEXT, DecodeSettings(beam=2)) is None
    assert stored.get(TEXT, DecodeSettings(topk=4)) is None
    assert stored.get(TEXT, DecodeSettings(attention=AttentionOptions(scale=2.0))) is None


def test_a_stale_or_broken_file_is_not_used_and_the_folder_still_lists(folder, tokenizer):
    settings = DecodeSettings()
    write_traces(folder, [translator_of(folder).translate(TEXT, settings)], settings)
    assert StoredTraces(folder, "x").get(TEXT, settings) is not None
    # the weights retrained: the stored trace is another model's
    other = tiny_model(tokenizer, "bahdanau", "additive", seed=3, attend_end=False)
    save_checkpoint(folder.parent / "other", other, tokenizer, {})
    (folder / "model.safetensors").write_bytes(
        (folder.parent / "other" / "model.safetensors").read_bytes()
    )
    stale = StoredTraces(folder, "x")
    assert stale.get(TEXT, settings) is None and "other weights" in stale.problem
    for broken, reason in (("{", "JSONDecodeError"), ('{"format": 99}', "format 99")):
        (folder / TRACES).write_text(broken)
        bad = StoredTraces(folder, "x")
        assert bad.get(TEXT, settings) is None and reason in bad.problem
    entry = scan(folder.parent)[0]
    assert entry.available and entry.stored.get(TEXT, settings) is None
    assert entry.translator.translate(TEXT).best.text  # the model decodes instead


def test_a_checkpoint_without_the_file_has_no_stored_traces(folder):
    stored = StoredTraces(folder, "x")
    assert stored.problem is None and stored.get(TEXT, DecodeSettings()) is None


def shipped() -> list[Path]:
    return sorted(p for p in DEFAULT_ROOT.iterdir() if (p / "config.json").is_file())


def test_every_shipped_checkpoint_stores_the_trace_its_page_opens_with():
    """Fresh: written for the shipped weights, of the sentence the page opens with (the
    first classic row of examples/<pair>.tsv), and what the model decodes today."""
    assert shipped()
    for entry in scan(DEFAULT_ROOT):
        pair = entry.config.pair
        with (ROOT / "examples" / f"{pair}.tsv").open(encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
        opens = next(r["source"] for r in rows if r["kind"] == "classic")
        assert opens == first_sentence(pair)
        assert entry.stored.problem is None, entry.stored.problem
        got = entry.stored.get(opens, DecodeSettings())
        assert got is not None, f"{entry.name}: run python -m training.traces"
        live = Translator(entry.loaded.model, entry.loaded.tokenizer, entry.name).translate(opens)
        same_trace(got, live, atol=1e-4)


def test_the_command_writes_what_the_page_reads(tmp_path):
    folder = tmp_path / "en-fr-bahdanau"
    folder.mkdir()
    for name in ("config.json", "model.safetensors", "tokenizer.model", "card.json"):
        (folder / name).write_bytes((DEFAULT_ROOT / "en-fr-bahdanau" / name).read_bytes())
    assert store(folder) == folder / TRACES
    written = json.loads((folder / TRACES).read_text(encoding="utf-8"))
    shipped = json.loads((DEFAULT_ROOT / "en-fr-bahdanau" / TRACES).read_text(encoding="utf-8"))
    # the same file up to the last bits of its floats (CPUs differ in their kernels)
    assert _close(written, shipped), "python -m training.traces writes another trace"


def _close(a, b, atol: float = 1e-4) -> bool:
    """Equal structure, text and integers; floats within ``atol``."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_close, a, b))
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, int | float) and isinstance(b, int | float) and abs(a - b) <= atol
    return a == b


FIRST_VIEW = """
import sys
import threading
import time

class NotYet:
    blocked = True

    def find_spec(self, name, path=None, target=None):
        if self.blocked and name.split(".")[0] in ("torch", "pandas"):
            raise ImportError(name + " is not to be imported by the first view")

guard = NotYet()
sys.meta_path.insert(0, guard)
from streamlit.testing.v1 import AppTest

at = AppTest.from_file(sys.argv[1], default_timeout=60).run()
assert not at.exception, at.exception
assert "torch" not in sys.modules and "pandas" not in sys.modules
print(at.text[0].value)
print([c.value for c in at.sidebar.caption if c.value.startswith("Device")][0])
guard.blocked = False  # a new sentence decodes: torch now
at.text_area(key="source").set_value("I am eating.").run()
assert not at.exception, at.exception
assert "torch" in sys.modules and "pandas" in sys.modules  # every run after the first
print(at.text[0].value)
print([c.value for c in at.sidebar.caption if c.value.startswith("Device")][0])
"""


@pytest.mark.slow
def test_the_first_view_is_drawn_without_torch_and_the_next_sentence_decodes():
    """The page's first run, on the shipped checkpoints, imports neither torch nor
    pandas (an import of either fails in this process) and shows the default model's
    translation; the next sentence is decoded by the model."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ATTENTION_CHECKPOINTS", None)
    env.pop("ATTENTION_EXAMPLES", None)
    run = subprocess.run(
        [sys.executable, "-c", FIRST_VIEW, str(ROOT / "app.py")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    first, device, second, device_after = run.stdout.strip().splitlines()[-4:]
    entry = next(e for e in scan(DEFAULT_ROOT) if e.name == "en-fr-bahdanau")
    opens = first_sentence("en-fr")
    assert first == entry.stored.get(opens, DecodeSettings()).best.text
    assert device == "Device: chosen once the models load"
    live = Translator(entry.loaded.model, entry.loaded.tokenizer, entry.name)
    assert second == live.translate("I am eating.").best.text != first
    assert device_after.startswith("Device: CPU") or device_after.startswith("Device: GPU")


def test_runs_before_the_first_view_take_turns_with_the_warm_up_import_of_pandas(monkeypatch):
    """Plotly takes a half-imported pandas as it finds it: the page runs before the
    first view hold the lock the warm-up imports pandas under; the runs after it have
    pandas imported before they start; the first view is marked drawn even when its run
    fails."""
    import ui.state as state

    monkeypatch.setattr(state, "FIRST_VIEW", threading.Event())
    monkeypatch.setattr(state, "FIRST_RUN", threading.Lock())
    seen = []

    def failing():
        seen.append(state.FIRST_RUN.locked())
        raise RuntimeError("the run failed")

    with pytest.raises(RuntimeError):
        state.run_page(failing)
    assert state.FIRST_VIEW.is_set() and not state.FIRST_RUN.locked()
    state.run_page(lambda: seen.append((state.FIRST_RUN.locked(), "pandas" in sys.modules)))
    assert seen == [True, (False, True)]


def test_a_model_shown_from_its_stored_trace_gets_its_translator_in_the_background(
    tmp_path, tokenizer, monkeypatch
):
    """The page answers from the stored trace and builds the model's translator behind
    it, so the next sentence does not wait for it; never before the first view is drawn
    (the warm-up's turn)."""
    import ui.state as state

    # a name of its own: the page's trace cache is keyed by model name
    model = tiny_model(tokenizer, "luong", "general", seed=5)
    folder = save_checkpoint(tmp_path / "en-xx-stored-luong", model, tokenizer, {})
    settings = DecodeSettings()
    write_traces(folder, [translator_of(folder).translate(TEXT, settings)], settings)
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(tmp_path))
    monkeypatch.setattr(state, "FIRST_VIEW", threading.Event())
    entry = state.entry(folder.name)
    stored = entry.stored.get(TEXT, settings)
    got, error = state.translate(folder.name, TEXT, settings)
    assert error is None
    same_trace(got, stored)
    time.sleep(0.5)
    assert not entry.ready  # the first view: no translator built behind it
    state.FIRST_VIEW.set()
    got, error = state.translate(folder.name, f"{TEXT} ", settings)
    assert error is None
    same_trace(got, stored)
    for _ in range(600):
        if entry.ready:
            break
        time.sleep(0.05)
    assert entry.ready
    same_trace(entry.translator.translate(TEXT), stored)
