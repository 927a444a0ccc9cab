"""The peer: Joey NMT 2.3.0 in its own throwaway virtual environment.

The environment is created on first use (``python -m venv`` + pip from the package
index) and never touches the project's.  Its decoding is timed by ``joey_runner.py``
with the same sources, sizes, output length and thread count as ours.
"""

from __future__ import annotations

import json
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


class JoeyPeer:
    """Joey's runner as a long-lived process: one model, one timed pass per request.

    Between requests it waits on its stdin, so it uses no CPU while ours runs.
    """

    def __init__(self, python: Path, job: dict) -> None:
        self.proc = subprocess.Popen(
            [str(python), str(RUNNER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.params = self._ask(job)["params"]

    def _ask(self, request: dict) -> dict:
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as err:
            raise PeerUnavailable(f"Joey NMT stopped: {self._stderr()}") from err
        line = self.proc.stdout.readline()
        if not line.startswith("{"):
            raise PeerUnavailable(f"Joey NMT failed: {self._stderr()}")
        return json.loads(line)

    def _stderr(self) -> str:
        self.close()
        try:
            tail = self.proc.stderr.read().strip().splitlines()[-3:]
        except (OSError, ValueError):
            tail = []
        return " | ".join(tail) or f"exit status {self.proc.returncode}"

    def timed_pass(self, search: str, batch: int, beam: int, n: int) -> tuple[float, int]:
        """Seconds and output tokens of one pass over the first n sources."""
        row = self._ask({"search": search, "batch": batch, "beam": beam, "n": n})
        return row["seconds"], row["tokens"]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
