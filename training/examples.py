"""Write the example sentences the app offers: the classic ones and a sample of each
pair's test split with its reference (committed, since corpora are build outputs).

    python -m training.examples [--corpora corpora] [--out examples] [--per-pair 60]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from .corpus import read_tsv

# (source, reference, links): the links are hand-marked "source-target" word indices
# (0-based, whitespace words) of the verbs that German moves to the end of the clause;
# the reordering probe (``training.probe``) checks that the attention finds them.  The
# en-de sentences are in no training split; the last three come from the test split.
CLASSIC = {
    "en-de": [
        ("Turn off the lights.", "Mach das Licht aus.", "1-3"),
        ("I have seen the house.", "Ich habe das Haus gesehen.", "2-4"),
        ("He has read the book.", "Er hat das Buch gelesen.", "2-4"),
        ("We must open the window.", "Wir müssen das Fenster öffnen.", "2-4"),
        ("We will buy a new car tomorrow.", "Wir werden morgen ein neues Auto kaufen.", "2-6"),
        (
            "She could not come because she was ill.",
            "Sie konnte nicht kommen, weil sie krank war.",
            "6-7",
        ),
        (
            "The agreement on the European Economic Area was signed in August 1992.",
            "Das Abkommen über den Europäischen Wirtschaftsraum wurde im August 1992 "
            "unterzeichnet.",
            "8-10",
        ),
        ("The type could not be converted.", "Der Typ konnte nicht konvertiert werden.", "5-4"),
        (
            "This task list will be removed permanently.",
            "Diese Aufgabenliste wird unwiderruflich gelöscht.",
            "5-4",
        ),
        (
            "A journal will be recorded after Audacity restarts.",
            "Nach dem Neustart von Audacity wird ein Journal aufgezeichnet.",
            "4-8",
        ),
    ],
    "es-en": [
        (
            "Y dijo Dios: Sea la luz: y fué la luz.",
            "God said, “Let there be light,” and there was light.",
            "",
        ),
        (
            "En el principio crió Dios los cielos y la tierra.",
            "In the beginning, God created the heavens and the earth.",
            "",
        ),
        ("Jesús lloró.", "Jesus wept.", ""),
    ],
}


def sample(rows: list[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    """A deterministic spread over source lengths: sort by length, take evenly spaced."""
    ranked = sorted(rows, key=lambda r: (len(r[0].split()), hashlib.sha256(r[0].encode()).digest()))
    step = max(len(ranked) / max(n, 1), 1.0)
    return [ranked[int(i * step)] for i in range(min(n, len(ranked)))]


def write(out: Path, pair: str, rows: list[tuple[str, str, str]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"{kind}\t{src}\t{ref}" for kind, src, ref in rows]
    (out / f"{pair}.tsv").write_text(
        "kind\tsource\treference\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.examples", description=__doc__)
    p.add_argument("--corpora", type=Path, default=Path("corpora"))
    p.add_argument("--out", type=Path, default=Path("examples"))
    p.add_argument("--per-pair", type=int, default=60)
    args = p.parse_args(argv)
    for pair, classic in CLASSIC.items():
        test = read_tsv(args.corpora / pair / "test.tsv")
        rows = [("classic", s, r) for s, r, _ in classic]
        shown = {s for s, _, _ in classic}
        test = [(s, r) for s, r in test if s not in shown]
        rows += [("test", s, r) for s, r in sample(test, args.per_pair)]
        write(args.out, pair, rows)
        print(f"{pair}: {len(classic)} classic + {len(rows) - len(classic)} test sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
