"""Run by test_bounds.py in its own process, so its peak memory is its own.

    python -m tests.bounds_probe CHECKPOINT WORDS [--worst]

Decodes one source of WORDS words with beam 16 and prints one JSON line: seconds,
peak resident memory, source and output pieces.  ``--worst`` bars the end token on
the probe's own copy of the model, so the search runs to the output cap.
"""

from __future__ import annotations

import json
import sys
import time

import torch

from models.checkpoint import load_checkpoint
from models.engine import Translator
from models.options import MAX_BEAM, DecodeSettings

WORDS = "the old man gave his daughter a small red book about the history of the city"


def memory_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, from /proc (the peak belongs to
    this process image: ru_maxrss would carry the parent's across exec)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def main() -> None:
    folder, n_words, worst = sys.argv[1], int(sys.argv[2]), "--worst" in sys.argv
    torch.set_num_threads(2)
    loaded = load_checkpoint(folder)
    model = loaded.model
    if worst:
        model.requires_grad_(False)
        with torch.no_grad():
            model.out_proj.bias[model.cfg.eos_id] = float("-inf")
    translator = Translator(model, loaded.tokenizer, "probe")
    words = WORDS.split(" ")
    text = " ".join(words[i % len(words)] for i in range(n_words))
    before = memory_mb("VmRSS")
    begin = time.time()
    trace = translator.translate(text, DecodeSettings(beam=MAX_BEAM))
    seconds = time.time() - begin
    peak = memory_mb("VmHWM")
    out = {
        "seconds": round(seconds, 2),
        "peak_mb": round(peak),
        "growth_mb": round(peak - before),
        "source_pieces": len(trace.source.ids),
        "output_pieces": max(len(h.ids) for h in trace.hypotheses),
        "hypotheses": len(trace.hypotheses),
        "notes": trace.notes,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
