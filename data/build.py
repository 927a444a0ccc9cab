"""Build the parallel corpora: ``python -m data.build [--out corpora] [--pairs en-de,es-en]``.

Writes ``<out>/<pair>/{train,dev,test}.tsv`` (``source<TAB>target``, UTF-8, ``\\n``) and
``<out>/<pair>/stats.json``, and prints the counts.

* ``en-de``: source English, target German: the Ding dictionary and the German message
  catalogs of Debian programs (:mod:`data.messages`). Dev and test hold about 1,000
  *sentences* each (dictionary sentences and whole-sentence messages), train holds the
  remaining sentences, all phrases and all labels. Files are in a fixed pseudo-random order
  (SHA-256), so the kinds are interleaved.
* ``es-en``: source Spanish, target English (Bible verses). Dev holds 800 random verses, test
  1,500 verses stratified by source length (see :data:`ES_EN_TEST_QUOTAS`) for a by-length
  evaluation. Files are in canonical verse order.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from data import Pair, word_count
from data.bible import filter_misaligned, load_bibles, verse_pairs
from data.debs import (
    DEFAULT_CACHE,
    INSTALLED_ROOT,
    SWORD_SPARV,
    SWORD_WEB,
    TRANS_DE_EN,
    package_root,
)
from data.ding import read_ding
from data.messages import MESSAGE_PACKAGES, catalogs, read_catalogs
from data.splits import (
    SPLIT_NAMES,
    assign_splits,
    bucket_labels,
    check_disjoint,
    hash_order,
    source_bucket,
)

PAIRS = ("en-de", "es-en")
EN_DE_DEV, EN_DE_TEST = 1000, 1000
ES_EN_DEV, ES_EN_TEST = 800, 1500
ES_EN_TEST_QUOTAS = {"1-10": 250, "11-20": 300, "21-30": 300, "31-40": 300, "41-50": 250}
ES_EN_TEST_QUOTAS["51+"] = ES_EN_TEST - sum(ES_EN_TEST_QUOTAS.values())

Splits = dict[str, list[Pair]]
KIND_COLUMNS = (("sentence", 10), ("phrase", 9), ("message", 9), ("label", 8), ("verse", 8))


def message_catalogs(cache: Path) -> list[Path]:
    """The German catalogs of :data:`MESSAGE_PACKAGES` (from an installed package, only
    its probe catalog, so other installed programs never change the corpus)."""
    paths: set[Path] = set()
    for package in MESSAGE_PACKAGES:
        root = package_root(package, cache)
        paths.update([root / package.probe] if root == INSTALLED_ROOT else catalogs(root))
    return sorted(paths)


def build_en_de(cache: Path) -> tuple[Splits, dict[str, int]]:
    """English -> German splits from the Ding dictionary and software messages, plus
    extraction counts."""
    root = package_root(TRANS_DE_EN, cache)
    pairs = read_ding(root / TRANS_DE_EN.probe)
    pairs += list(read_catalogs(message_catalogs(cache)))
    splits = assign_splits(
        pairs,
        dev_size=EN_DE_DEV,
        test_size=EN_DE_TEST,
        salt="en-de",
        eligible=lambda pair: pair.kind in ("sentence", "message"),
    )
    ordered = {name: hash_order(split, f"en-de/{name}") for name, split in splits.items()}
    kinds = Counter(pair.kind for pair in pairs)
    return ordered, {"pairs": len(pairs), **dict(sorted(kinds.items()))}


def build_es_en(cache: Path) -> tuple[Splits, dict[str, int]]:
    """Spanish -> English verse splits from the two Bibles, plus extraction counts."""
    sword_dirs = [package_root(pkg, cache) / "usr/share/sword" for pkg in (SWORD_SPARV, SWORD_WEB)]
    aligned = list(verse_pairs(*load_bibles(sword_dirs)))
    pairs = filter_misaligned(aligned)
    splits = assign_splits(
        pairs,
        dev_size=ES_EN_DEV,
        test_size=ES_EN_TEST,
        salt="es-en",
        test_quotas=ES_EN_TEST_QUOTAS,
    )
    counts = {"aligned_verses": len(aligned), "misaligned_dropped": len(aligned) - len(pairs)}
    return splits, {**counts, "pairs": len(pairs)}


BUILDERS: dict[str, tuple[Callable[[Path], tuple[Splits, dict[str, int]]], str, str]] = {
    "en-de": (build_en_de, "en", "de"),
    "es-en": (build_es_en, "es", "en"),
}


def split_stats(pairs: Sequence[Pair]) -> dict[str, object]:
    """Counts for one split: pairs, kinds, mean words, source-length buckets."""
    kinds = Counter(pair.kind for pair in pairs)
    buckets = Counter(source_bucket(pair) for pair in pairs)
    mean = statistics.fmean if pairs else (lambda _: 0.0)
    return {
        "pairs": len(pairs),
        "kinds": dict(sorted(kinds.items())),
        "mean_src_words": round(mean([word_count(p.src) for p in pairs]), 2),
        "mean_tgt_words": round(mean([word_count(p.tgt) for p in pairs]), 2),
        "src_length_buckets": {label: buckets.get(label, 0) for label in bucket_labels()},
    }


def _field(text: str) -> str:
    """A TSV field: no tabs or line breaks."""
    return " ".join(text.split())


def write_split(path: Path, pairs: Sequence[Pair]) -> None:
    """Write ``source<TAB>target`` lines (UTF-8, ``\\n``)."""
    lines = (f"{_field(p.src)}\t{_field(p.tgt)}\n" for p in pairs)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(lines)


def write_corpus(out: Path, name: str, splits: Splits, stats: dict[str, object]) -> None:
    """Write the three TSV files and ``stats.json`` of one language pair."""
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    for split in SPLIT_NAMES:
        write_split(folder / f"{split}.tsv", splits[split])
    text = json.dumps(stats, indent=2, ensure_ascii=False, sort_keys=True)
    (folder / "stats.json").write_text(text + "\n", encoding="utf-8")


def print_stats(stats: dict) -> None:
    """Human-readable summary of one pair's ``stats.json``."""
    print(f"\n{stats['pair']}  (source {stats['source']} -> target {stats['target']})")
    print("  extracted: " + ", ".join(f"{k} {v}" for k, v in stats["extracted"].items()))
    header = "".join(f"{kind:>{width}}" for kind, width in KIND_COLUMNS)
    print(f"  {'split':<6}{'pairs':>8}{header}{'mean src':>10}")
    for split in SPLIT_NAMES:
        row = stats["splits"][split]
        kinds = row["kinds"]
        counts = "".join(f"{kinds.get(kind, 0):>{width}}" for kind, width in KIND_COLUMNS)
        print(f"  {split:<6}{row['pairs']:>8}{counts}{row['mean_src_words']:>10.2f}")
    if stats["pair"] == "es-en":
        for split in ("dev", "test"):
            buckets = stats["splits"][split]["src_length_buckets"]
            shown = "  ".join(f"{label}: {count}" for label, count in buckets.items())
            print(f"  {split} by source length (words): {shown}")


def build_pair(name: str, out: Path, cache: Path) -> dict:
    """Build, check, write and return the stats of one language pair."""
    builder, source, target = BUILDERS[name]
    splits, extracted = builder(cache)
    check_disjoint(splits)
    stats = {
        "pair": name,
        "source": source,
        "target": target,
        "extracted": extracted,
        "splits": {split: split_stats(splits[split]) for split in SPLIT_NAMES},
    }
    write_corpus(out, name, splits, stats)
    return stats


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m data.build", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--out", type=Path, default=Path("corpora"), help="output directory")
    parser.add_argument(
        "--pairs", default=",".join(PAIRS), help=f"comma-separated subset of {', '.join(PAIRS)}"
    )
    parser.add_argument(
        "--debs", type=Path, default=DEFAULT_CACHE, help="cache directory for the .deb files"
    )
    args = parser.parse_args(argv)
    args.pairs = [name.strip() for name in args.pairs.split(",") if name.strip()]
    unknown = sorted(set(args.pairs) - set(PAIRS))
    if unknown:
        parser.error(f"unknown pair(s): {', '.join(unknown)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    started = time.perf_counter()
    for name in args.pairs:
        print(f"building {name} ...", file=sys.stderr)
        try:
            print_stats(build_pair(name, args.out, args.debs))
        except (FileNotFoundError, RuntimeError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    print(f"\nwrote {', '.join(str(args.out / n) for n in args.pairs)}")
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
