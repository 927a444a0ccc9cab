"""The benchmark's table, with ratios against the peer in the same run.

A row timed interleaved with the peer carries ``ratio`` (the median of the per-round
ratios) with its min and max; other rows fall back to the ratio of the medians."""

from __future__ import annotations

PEER = "Joey NMT 2.3.0"


def _key(row: dict) -> tuple:
    return row["device"], row["search"], row["batch"]


def _ratio(row: dict, peer: dict | None) -> str:
    if "ratio" in row:
        return f"{row['ratio']:.2f}x ({row['ratio_min']:.2f}-{row['ratio_max']:.2f})"
    if peer is None or row is peer:
        return ""
    return f"{row['sent_s'] / peer['sent_s']:.2f}x"


def render(rows: list[dict], header: bool = False) -> str:
    peers = {_key(r): r for r in rows if r["who"] == PEER}
    lines = []
    if header:
        lines += [
            "| decoder | device | search | batch | sent/s (min-max) | target tok/s "
            "| vs Joey (min-max) |",
            "|---|---|---|---|---|---|---|",
        ]
    for r in rows:
        ratio = _ratio(r, peers.get(_key(r)))
        search = "greedy" if r["search"] == "greedy" else "beam 5"
        lines.append(
            f"| {r['who']} | {r['device']} | {search} | {r['batch']} | "
            f"{r['sent_s']:,.1f} ({r['sent_s_min']:,.1f}-{r['sent_s_max']:,.1f}) | "
            f"{r['tok_s']:,.0f} | {ratio} |"
        )
    return "\n".join(lines)
