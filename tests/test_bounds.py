"""Resource bounds: the largest search the app allows finishes in bounded time and memory.

The caps are beam 16, 400 source pieces and 512 output pieces (``models.engine``); a
larger beam is refused up front.  Each probe runs in its own process so its peak
memory is its own; the figures are printed with the page latencies.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from models.options import MAX_BEAM, MAX_OUTPUT_PIECES, MAX_SOURCE_PIECES, DecodeSettings
from models.registry import DEFAULT_ROOT
from models.text import InputError
from tests.browser_support import FIGURES

ROOT = Path(__file__).resolve().parents[1]
LIMIT_S = 300  # generous: measured at 3-5 s on a 2-core CPU
LIMIT_MB = 1024


def probe(words: int, worst: bool) -> dict:
    cmd = [sys.executable, "-m", "tests.bounds_probe", str(DEFAULT_ROOT / "en-de-bahdanau")]
    cmd += [str(words), *(["--worst"] if worst else [])]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=LIMIT_S)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize(
    "words, worst", [(200, False), (1000, True)], ids=["200 words", "worst case"]
)
def test_beam_16_on_a_long_source_is_bounded(words, worst):
    out = probe(words, worst)
    FIGURES[f"beam 16, {'worst case (end token barred)' if worst else '200-word source'}"] = out
    assert out["growth_mb"] < LIMIT_MB
    assert out["source_pieces"] <= MAX_SOURCE_PIECES + 1  # + the end token
    assert out["output_pieces"] <= MAX_OUTPUT_PIECES
    assert out["hypotheses"] == MAX_BEAM
    if worst:  # the caps were reached, and the person is told the source was cut
        assert out["output_pieces"] == MAX_OUTPUT_PIECES
        assert any("cut to" in note for note in out["notes"])


def test_a_beam_over_the_cap_is_refused_up_front():
    with pytest.raises(InputError, match="beam size must be between 1 and 16"):
        DecodeSettings(beam=MAX_BEAM + 1).check()
