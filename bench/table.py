"""The benchmark's table, with ratios against the peer in the same run."""

from __future__ import annotations

PEER = "Joey NMT 2.3.0"


def _key(row: dict) -> tuple:
    return row["device"], row["search"], row["batch"]


def render(rows: list[dict], header: bool = False) -> str:
    peers = {_key(r): r for r in rows if r["who"] == PEER}
    lines = []
    if header:
        lines += [
            "| decoder | device | search | batch | sent/s (min-max) | target tok/s | vs Joey |",
            "|---|---|---|---|---|---|---|",
        ]
    for r in rows:
        peer = peers.get(_key(r))
        ratio = f"{r['sent_s'] / peer['sent_s']:.2f}x" if peer and r is not peer else ""
        search = "greedy" if r["search"] == "greedy" else "beam 5"
        lines.append(
            f"| {r['who']} | {r['device']} | {search} | {r['batch']} | "
            f"{r['sent_s']:,.1f} ({r['sent_s_min']:,.1f}-{r['sent_s_max']:,.1f}) | "
            f"{r['tok_s']:,.0f} | {ratio} |"
        )
    return "\n".join(lines)
