"""The peer: Joey NMT 2.3.0 in its own throwaway virtual environment.

The environment is created on first use (``python -m venv`` + pip from the package
index) and never touches the project's.  Its decoding is timed by ``joey_runner.py``
with the same sources, sizes, output length and thread count as ours.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

JOEY = "joeynmt==2.3.0"
PACKAGES = ["torch==2.13.0", JOEY, "importlib_metadata"]  # joeynmt imports it undeclared
RUNNER = Path(__file__).with_name("joey_runner.py")


class PeerUnavailable(RuntimeError):
    """Joey could not be installed or run; the benchmark goes on without it."""


def python_of(env: Path) -> Path:
    return env / "bin" / "python"


def ensure_env(env: Path, log=print) -> Path:
    python = python_of(env)
    probe = [str(python), "-c", "import joeynmt, importlib_metadata"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    log(f"installing {JOEY} into its own environment {env} (once)")
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(env)],
        [str(python), "-m", "pip", "install", "--quiet", *PACKAGES],
    ]
    for cmd in steps:
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise PeerUnavailable(f"{' '.join(cmd[:4])} failed: {' | '.join(tail)}")
    return python


def run_joey(python: Path, job: dict, timeout: float = 1800) -> list[dict]:
    """Rows of {search, batch, beam, seconds[], tokens, params}."""
    try:
        done = subprocess.run(
            [str(python), str(RUNNER)],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as err:
        raise PeerUnavailable(f"Joey NMT ran past {timeout:.0f} s") from err
    if done.returncode:
        tail = done.stderr.strip().splitlines()[-3:]
        raise PeerUnavailable(f"Joey NMT failed: {' | '.join(tail)}")
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    for row in rows:
        times = row["seconds"]
        med = statistics.median(times)
        n = len(job["sources"])
        row.update(
            sent_s=n / med,
            sent_s_min=n / max(times),
            sent_s_max=n / min(times),
            tok_s=row["tokens"] / med,
        )
    return rows
