"""The benchmark's plumbing: interleaved rounds, paired ratios, the peer's protocol.

The peer itself (Joey NMT in its own environment) is not installed here; a stand-in
runner speaks the same line protocol.
"""

from __future__ import annotations

import sys
import textwrap

import pytest

import bench.joey as joey
from bench import ours
from bench.__main__ import interleaved, main
from bench.table import PEER, render

GREEDY_1 = ours.Setting("greedy", 1)


def test_interleaved_rounds_alternate_and_pair_the_ratios():
    calls = []
    clock = {PEER: iter([9.0, 4.0, 8.0, 2.0]), "ours (fast)": iter([9.0, 1.0, 4.0, 2.0])}

    def side(who):
        def run():
            calls.append(who)
            return next(clock[who]), 10

        return run

    passes = {PEER: side(PEER), "ours (fast)": side("ours (fast)")}
    rows = interleaved(passes, 3, 100, "cpu", GREEDY_1)
    # round 0 warms up; the order flips every round so neither side always goes first
    assert calls == [
        "ours (fast)",
        PEER,
        PEER,
        "ours (fast)",
        "ours (fast)",
        PEER,
        PEER,
        "ours (fast)",
    ]
    peer, fast = rows
    assert peer["seconds"] == [4.0, 8.0, 2.0] and "ratio" not in peer
    assert fast["ratio"] == pytest.approx(2.0)  # rounds 4/1, 8/4, 2/2: median 2
    assert (fast["ratio_min"], fast["ratio_max"]) == (1.0, 4.0)
    assert fast["sent_s"] == pytest.approx(100 / 2.0)  # median of 1, 4, 2 seconds
    assert "2.00x (1.00-4.00)" in render(rows)


def test_a_failing_peer_leaves_the_setting_to_ours():
    def broken():
        raise joey.PeerUnavailable("gone")

    rows = interleaved({PEER: broken, "ours (fast)": lambda: (1.0, 5)}, 2, 10, "cpu", GREEDY_1)
    assert [r["who"] for r in rows] == ["ours (fast)"] and "ratio" not in rows[0]


STAND_IN = """
    import json, sys
    job = json.loads(sys.stdin.readline())
    print(json.dumps({"ready": True, "params": 7}), flush=True)
    for line in sys.stdin:
        ask = json.loads(line)
        if ask["n"] < 0:
            sys.exit("asked for a negative count")
        print(json.dumps({"seconds": 0.5, "tokens": ask["n"] * job["length"], "params": 7}),
              flush=True)
"""


def test_the_peer_answers_one_pass_per_request_and_reports_its_failures(tmp_path, monkeypatch):
    runner = tmp_path / "runner.py"
    runner.write_text(textwrap.dedent(STAND_IN))
    monkeypatch.setattr(joey, "RUNNER", runner)
    peer = joey.JoeyPeer(sys.executable, {"length": 20, "sources": [[4, 5]]})
    assert peer.params == 7
    assert peer.timed_pass("greedy", 1, 1, 3) == (0.5, 60)
    with pytest.raises(joey.PeerUnavailable, match="negative count"):
        peer.timed_pass("greedy", 1, 1, -1)
    peer.close()


def test_the_bench_runs_end_to_end_without_the_peer(capsys, tmp_path):
    out = tmp_path / "rows.json"
    args = "--no-joey --hidden 16 --emb 8 --vocab 50 --sentences 3 --sentences-batched 4"
    args += " --static --static-sentences 6"  # the fixed-shape (GPU) path, run on the CPU
    assert main([*args.split(), "--repeats", "1", "--length", "4", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("| ours (fast) |") >= 4 and f"| {PEER} |" not in printed
    assert "| ours (fixed shapes) | cpu | greedy | 6 |" in printed
    assert out.exists()
