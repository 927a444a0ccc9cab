"""Write ``docs/RESULTS.md`` from the checkpoints' cards (and the aligner's figures).

    python -m training.report [--checkpoints checkpoints] [--out docs/RESULTS.md]

One section per language pair.  Also prints the checks the shipped models must pass:
every attention model beats ``none`` on test BLEU within its pair, each probe finds most
of its links, and on es-en the Bahdanau-minus-none BLEU gap on sources over 30 words is
at least twice the gap on sources of 1-10 words.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def load_cards(root: Path) -> dict[str, dict]:
    cards = {}
    for path in sorted(root.glob("*/card.json")):
        card = json.loads(path.read_text(encoding="utf-8"))
        if card.get("test"):
            cards[path.parent.name] = card
    return cards


def long_gap(card_att: dict, card_none: dict, search: str = "greedy") -> tuple[float, float]:
    """(gap on 1-10 words, gap on >30 words), BLEU of sentences pooled by n;
    ``search``: ``greedy`` or ``beam5``."""

    def pooled(card: dict, buckets: set[str]) -> float:
        test = card["test"]
        table = test[search]["by_length"] if search in test else test["by_length"]
        rows = [r for r in table if r["bucket"] in buckets and r["n"]]
        return sum(r["bleu"] * r["n"] for r in rows) / max(sum(r["n"] for r in rows), 1)

    over_30 = {"31-40", "41-50", "51+"}
    short = pooled(card_att, {"1-10"}) - pooled(card_none, {"1-10"})
    long = pooled(card_att, over_30) - pooled(card_none, over_30)
    return short, long


def checks(cards: dict[str, dict]) -> list[str]:
    lines = []
    for pair in sorted({c["pair"] for c in cards.values()}):
        base = cards.get(f"{pair}-none")
        if base is None:
            continue
        for name, card in sorted(cards.items()):
            if card["pair"] == pair and card["attention"] != "none":
                # greedy (the card's headline BLEU), and beam 5 where both were scored
                ok = card["test"]["bleu"] > base["test"]["bleu"]
                beams = [(c["test"].get("beam5") or {}).get("bleu") for c in (card, base)]
                scored = None not in beams
                ok = ok and (not scored or beams[0] > beams[1])
                beam = f" (greedy); beam 5 {beams[0]} vs {beams[1]}" if scored else ""
                lines.append(
                    f"- {'PASS' if ok else 'MISS'}: {name} BLEU {card['test']['bleu']}"
                    f" vs {pair}-none {base['test']['bleu']}{beam}"
                )
    for name, card in sorted(cards.items()):
        pr = card.get("reorder_probe")
        if pr:
            ok = 2 * pr["found"] > pr["of"]
            lines.append(
                f"- {'PASS' if ok else 'MISS'}: {name} finds {pr['found']} of {pr['of']}"
                f" {PROBES.get(card['pair'], 'probe')} links (target: most)"
            )
    if "es-en-bahdanau" in cards and "es-en-none" in cards:
        for search, label in (("greedy", "greedy"), ("beam5", "beam 5")):
            if search == "beam5" and "beam5" not in cards["es-en-none"]["test"]:
                continue
            short, long = long_gap(cards["es-en-bahdanau"], cards["es-en-none"], search)
            ok = long >= 2 * short and long > 0
            lines.append(
                f"- {'PASS' if ok else 'MISS'}: es-en bahdanau - none BLEU gap ({label}): "
                f"{short:+.2f} on 1-10 words, {long:+.2f} on >30 words"
                f" (ratio {long / short:.2f}; target 2)"
            )
    return lines


PROBES = {"en-de": "verb-final", "en-fr": "Figure 3 inversion"}


def training_stages(training: dict) -> list[dict]:
    """A card's training section and the stages it started from (``init_training``,
    nested), first stage first."""
    stages = [training]
    while stages[0].get("init_training"):
        stages.insert(0, stages[0]["init_training"])
    return stages


def main_table(cards: dict[str, dict], aligner: dict | None) -> list[str]:
    out = [
        "| model | params | steps | training | greedy BLEU | chrF | beam-5 BLEU | chrF "
        "| AER | P | R | R reordered | R monotone |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, c in cards.items():
        t, b5, al = c["test"], c["test"]["beam5"], c.get("alignment") or {}
        tr = c["training"]
        stages = training_stages(tr)  # a staged model: every stage counts
        steps = " + ".join(f"{stage['steps']:,}" for stage in stages)
        minutes = sum(stage.get("seconds", 0) for stage in stages) / 60
        out.append(
            f"| {name} | {c['params']:,} | {steps} | {minutes:.0f} min, "
            f"{tr['hardware']} | {t['bleu']} | {t['chrf']} | {b5['bleu']} | {b5['chrf']} "
            f"| {_links(al)} |"
        )
    if aligner:
        out.append(
            f"| statistical aligner (IBM2 + diagonal prior; {aligner.get('trained_on', '')}) "
            f"| | | | | | | | {_links(aligner)} |"
        )
    diagonals = [(c.get("alignment") or {}).get("diagonal_aer") for c in cards.values()]
    diagonal = next((d for d in diagonals if d is not None), None)
    if diagonal is not None:
        out.append(f"| diagonal baseline | | | | | | | | {diagonal} | | | | |")
    return out


def _links(al: dict) -> str:
    keys = ("aer", "precision", "recall", "recall_reordered", "recall_monotone")
    return " | ".join(str(al.get(k, "–")) for k in keys)


def length_table(cards: dict[str, dict]) -> list[str]:
    buckets = [r["bucket"] for r in next(iter(cards.values()))["test"]["by_length"]]
    out = ["| model | " + " | ".join(buckets) + " |", "|---" * (len(buckets) + 1) + "|"]
    for name, c in cards.items():
        cells = [f"{r['bleu']} (n={r['n']})" if r["n"] else "–" for r in c["test"]["by_length"]]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return out


def test_splits(cards: dict[str, dict]) -> str:
    """Each pair's test split from the cards: "en-de: 1,000 pairs (kinds: message 409,
    sentence 591); ..."."""
    parts = {}
    for c in cards.values():
        split = c["test"].get("split_stats") or (
            c["training"].get("corpus_stats", {}).get("splits", {}).get("test")
        )
        if split and c["pair"] not in parts:
            kinds = ", ".join(f"{k} {n:,}" for k, n in split["kinds"].items())
            parts[c["pair"]] = f"{c['pair']}: {split['pairs']:,} pairs (kinds: {kinds})"
    return "; ".join(parts.values())


def probe_table(cards: dict[str, dict]) -> list[str]:
    out = ["| model | found | weight on the linked source word | weight on `</s>` |",
           "|---|---|---|---|"]  # fmt: skip
    for name, c in cards.items():
        pr = c.get("reorder_probe")
        if pr:
            out.append(f"| {name} | {pr['found']} of {pr['of']} | {pr['mean_weight']} "
                       f"| {pr['mean_end_weight']} |")  # fmt: skip
    return out


ABOUT = {
    "en-fr": [
        "Everyday sentences (Tatoeba), with 15,000 Bible verses added to training for longer",
        "sentences; the test split is Tatoeba's. AER: the 447 hand-aligned Hansards sentences,",
        'sure and possible links; the gold French is de-elided ("le ordre"), so it is written back',
        "(\"l'ordre\") before it is forced and each gold token takes its written word's row",
        '("le" the row of "l\'", "ordre" its own, as the page\'s words have it).',
        "Probe: Bahdanau et al. 2015, Figure 3, the paper's references forced; a link is found",
        "when the French adjective or noun peaks on its English counterpart.",
    ],
    "en-de": [
        "Everyday sentences (Tatoeba), with the Ding dictionary's 20,024 example sentences",
        "added to training; the test split is Tatoeba's. AER: the 100 hand-aligned Europarl",
        "sentences, sure links only (parliamentary sentences, three times as long as the",
        "training ones). Probe: the app's classic en-de examples with the reference forced;",
        "each link joins an English verb to the German verb that moves to the end of its",
        "clause.",
    ],
    "es-en": ["Bible verses: the pair that shows the bottleneck of long sentences."],
}


def everyday_table(cards: dict[str, dict]) -> list[str]:
    """The hand-written everyday check (:mod:`training.everyday`), for the pairs it covers."""
    rows = [(n, c["everyday"]) for n, c in cards.items() if c.get("everyday")]
    if not rows:
        return []
    intro = (
        f"Everyday check: {rows[0][1]['n']} sentences written for this project, independently"
        " of Tatoeba (`training/everyday.py`), one reference each:"
    )
    return [intro, "", *greedy_beam_table(rows), ""]


def greedy_beam_table(rows: list[tuple[str, dict]]) -> list[str]:
    """BLEU and chrF of greedy search and beam 5, a row per model."""
    out = ["| model | greedy BLEU | chrF | beam-5 BLEU | chrF |", "|---|---|---|---|---|"]
    for name, e in rows:
        out.append(f"| {name} | {e['greedy']['bleu']} | {e['greedy']['chrf']} "
                   f"| {e['beam5']['bleu']} | {e['beam5']['chrf']} |")  # fmt: skip
    return out


def long_table(cards: dict[str, dict]) -> list[str]:
    """The long-sentence set (held-out Bible verses), for the pairs that have one."""
    rows = [(n, c["long"]) for n, c in cards.items() if c.get("long")]
    if not rows:
        return []
    stats = rows[0][1].get("split_stats") or {}
    words = f", {stats['mean_src_words']} source words on average" if stats else ""
    intro = (
        f"Long sentences: {rows[0][1]['n']} held-out Bible verses ({rows[0][1]['corpus']}"
        f"{words}), far from the everyday domain:"
    )
    return [intro, "", *greedy_beam_table(rows), ""]


def pair_section(pair: str, cards: dict[str, dict], aligner: dict | None) -> list[str]:
    lines = [f"## {pair}", "", *ABOUT.get(pair, []), "", *main_table(cards, aligner), ""]
    lines += everyday_table(cards)
    lines += long_table(cards)
    if any(c.get("reorder_probe") for c in cards.values()):
        lines += ["Probe:", "", *probe_table(cards), ""]
    lines += ["Greedy BLEU by source length (words):", "", *length_table(cards), ""]
    return lines


def render(cards: dict[str, dict], aligners: dict[str, dict]) -> str:
    some = next(iter(cards.values()))
    pairs = sorted({c["pair"] for c in cards.values()})
    lines = [
        "# Results of the shipped checkpoints",
        "",
        "Written by `python -m training.report` from each checkpoint's `card.json`, which",
        "`python -m training.evaluate --write-card` fills. Test splits: `corpora/<pair>/test.tsv`",
        f"({test_splits(cards)}).",
        f"BLEU signature: `{some['test']['bleu_signature']}`; chrF: "
        f"`{some['test']['chrf_signature']}`.",
        "",
        "AER: each target word of the hand-aligned sentences links to the source word with",
        "the most attention while the reference is forced (lower is better). The aligner line",
        "is a statistical aligner trained on the same training split; the diagonal line links",
        "each target word to the source word at the same relative position. *R reordered* is",
        "the recall of the gold links that cross another link of their sentence (where word",
        "order changes); *R monotone* the recall of the rest. *Found* (probe): the target",
        "word's attention peaks on the linked source word (`</s>` and words of punctuation",
        "alone left out; a full stop is a word of its own, as in the app).",
        "",
    ]
    for pair in pairs:
        mine = {n: c for n, c in cards.items() if c["pair"] == pair}
        lines += pair_section(pair, mine, aligners.get(pair))
    lines += ["## Checks", "", *checks(cards), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.report", description=__doc__)
    p.add_argument("--checkpoints", type=Path, default=Path("checkpoints"))
    p.add_argument("--aligners", type=Path, default=Path("docs/results"),
                   help="folder of the aligner-<pair>.json files of training.baseline")  # fmt: skip
    p.add_argument("--out", type=Path, default=Path("docs/RESULTS.md"))
    args = p.parse_args(argv)
    cards = load_cards(args.checkpoints)
    if not cards:
        print("no evaluated checkpoint (run python -m training.evaluate --write-card)")
        return 1
    aligners = {path.stem.removeprefix("aligner-"): json.loads(path.read_text())
                for path in sorted(args.aligners.glob("aligner-*.json"))}  # fmt: skip
    args.out.write_text(render(cards, aligners), encoding="utf-8")
    print("\n".join(checks(cards)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
