"""Traces stored with a checkpoint (``traces.json``), so a page can draw its first view
before torch is imported.

A checkpoint folder may hold the model's own traces of a few sentences (``python -m
training.traces`` writes the greedy trace of its pair's first classic sentence, the one
the page opens with).  Each is exact (``models.trace.trace_data``) and counts only while
the folder's weights and tokenizer are byte for byte the ones it was decoded with (the
file records the sha256 of each) and only for the same text and settings.  Anything
else, a missing, garbled or stale file included, is not a stored trace: the model
decodes as usual.  Torch-free.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from pathlib import Path

from .folder import MAX_JSON_BYTES, TOKENIZER, WEIGHTS
from .options import DecodeSettings
from .text import clean_text
from .trace import DecodeTrace, trace_data, trace_from_data

TRACES = "traces.json"
FORMAT = 1


def settings_key(settings: DecodeSettings) -> dict:
    """The settings as JSON data (what a stored trace was decoded with)."""
    return json.loads(json.dumps(asdict(settings)))


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_traces(folder: Path, traces: list[DecodeTrace], settings: DecodeSettings) -> Path:
    """Store ``traces`` (decoded with ``settings`` from this folder's files) in ``folder``."""
    data = {
        "format": FORMAT,
        "weights_sha256": file_digest(folder / WEIGHTS),
        "tokenizer_sha256": file_digest(folder / TOKENIZER),
        "settings": settings_key(settings),
        "traces": [trace_data(t) for t in traces],
    }
    path = folder / TRACES
    path.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


class StoredTraces:
    """A folder's stored traces by source text, read and checked once; empty when the
    file is absent, unreadable or was written for other weights or another tokenizer."""

    def __init__(self, folder: Path, name: str) -> None:
        self.settings: dict | None = None
        self.by_text: dict[str, DecodeTrace] = {}
        self.problem: str | None = None  # why a file present was not used
        path = folder / TRACES
        if not path.is_file():
            return
        try:
            if path.stat().st_size > MAX_JSON_BYTES:
                raise ValueError(f"larger than {MAX_JSON_BYTES} bytes")
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}, this program reads {FORMAT}")
            if data.get("weights_sha256") != file_digest(folder / WEIGHTS):
                raise ValueError(f"written for other weights than {WEIGHTS}")
            if data.get("tokenizer_sha256") != file_digest(folder / TOKENIZER):
                raise ValueError(f"written for another {TOKENIZER}")
            traces = [replace(trace_from_data(t), model=name) for t in data["traces"]]
            self.settings = data["settings"]
            self.by_text = {t.source.text: t for t in traces}
        except Exception as exc:  # a stored trace only saves time: the model decodes instead
            self.problem = f"{TRACES} not used: {type(exc).__name__}: {exc}"

    def get(self, text: str, settings: DecodeSettings) -> DecodeTrace | None:
        """The stored trace of ``text`` decoded with ``settings``, if there is one (the
        text cleaned, ``clean_text``; a text whose quotes the tokenizer would read as
        others, ``Tokenizer.read``, finds none and is decoded live)."""
        if not self.by_text or settings_key(settings) != self.settings:
            return None
        return self.by_text.get(clean_text(text))
