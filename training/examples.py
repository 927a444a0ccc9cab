"""Write the example sentences the app offers: the classic ones of each pair and, for the
Bible pair only, a sample of its test split with its reference.  The Tatoeba pairs' test
sentences are never committed: the app samples them from the built corpora.

    python -m training.examples [--corpora corpora] [--out examples] [--per-pair 60]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data.splits import spread_sample

from .corpus import read_tsv

# (source, reference, links): the links are hand-marked "source-target" word indices
# (0-based, the app's words: ``models.text.split_words``, so a comma is a word) that the
# probe (``training.probe``) checks the attention finds: for en-de the verbs that German
# moves to the end of the clause, for en-fr the adjective-noun inversions of Bahdanau et
# al. 2015, Figure 3 (sentences (a)-(d) and the paper's reference translations).  The other
# sentences are the ones tutorials on attention translate first; all are written here,
# none is copied from a training corpus.
FIGURE_3 = [
    (
        "The agreement on the European Economic Area was signed in August 1992.",
        "L'accord sur la zone économique européenne a été signé en août 1992.",
        "6-4 5-5 4-6",
    ),
    (
        "It should be noted that the marine environment is the least known of environments.",
        "Il convient de noter que l'environnement marin est le moins connu de l'environnement.",
        "7-6 6-7",
    ),
    (
        "Destruction of the equipment means that Syria can no longer produce new chemical weapons.",
        "La destruction de l'équipement signifie que la Syrie ne peut plus produire de "
        "nouvelles armes chimiques.",
        "13-15 12-16",
    ),
    (
        '"This will change my future with my family," the man said.',
        '"Cela va changer mon avenir avec ma famille", a dit l\'homme.',
        "",
    ),
]
CLASSIC = {
    "en-fr": [
        ("Turn off the lights.", "Éteignez les lumières.", ""),
        ("I am eating.", "Je mange.", ""),
        ("Jane visits Africa in September.", "Jane visite l'Afrique en septembre.", ""),
        ("The black cat is sleeping.", "Le chat noir dort.", ""),
        ("I am cold.", "J'ai froid.", ""),
        *FIGURE_3,
    ],
    "en-de": [
        ("Turn off the lights.", "Mach das Licht aus.", "1-3"),
        ("I am eating.", "Ich esse.", ""),
        ("I have seen the house.", "Ich habe das Haus gesehen.", "2-4"),
        ("He has read the book.", "Er hat das Buch gelesen.", "2-4"),
        ("We must open the window.", "Wir müssen das Fenster öffnen.", "2-4"),
        ("We will buy a new car tomorrow.", "Wir werden morgen ein neues Auto kaufen.", "2-6"),
        (
            "She could not come because she was ill.",
            "Sie konnte nicht kommen, weil sie krank war.",
            "6-8",
        ),
        (
            "The agreement on the European Economic Area was signed in August 1992.",
            "Das Abkommen über den Europäischen Wirtschaftsraum wurde im August 1992 "
            "unterzeichnet.",
            "8-10",
        ),
    ],
    "en-hi": [
        ("Turn off the lights.", "लाइट बंद करो।", ""),
        ("I am eating.", "मैं खाना खा रहा हूँ।", ""),
        ("Where is the station?", "स्टेशन कहाँ है?", ""),
    ],
    "hi-en": [
        ("मैं खाना खा रहा हूँ", "I am eating.", ""),
        ("लाइट बंद करो।", "Turn off the lights.", ""),
        ("मुझे पानी चाहिए।", "I want water.", ""),
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
# Pairs whose test sentences may be committed as examples (public-domain Bibles); the
# Tatoeba pairs show their test sentences from the built corpora only (see ui.state).
COMMITTED_TEST_SAMPLES = {"es-en"}


# The picker names Figure 3's sentences after the paper, and opens them with the paper's
# reference forced: the figure the issue reproduces is that forced decoding (the probe's).
FIGURE_3_LABELS = {
    source: f"Bahdanau et al. 2015, Figure 3 ({letter})"
    for (source, _, _), letter in zip(FIGURE_3, "abcd", strict=True)
}


def write(out: Path, pair: str, rows: list[tuple[str, str, str, str]]) -> None:
    """``examples/<pair>.tsv``: kind, source, reference, the picker's label (empty: the
    kind), whether the example opens with its reference forced, and its hand links (the
    probe's, which the explorer checks on the reference forced)."""
    out.mkdir(parents=True, exist_ok=True)
    lines = []
    for kind, src, ref, links in rows:
        label = FIGURE_3_LABELS.get(src, "") if pair == "en-fr" and kind == "classic" else ""
        lines.append(f"{kind}\t{src}\t{ref}\t{label}\t{'yes' if label else ''}\t{links}")
    (out / f"{pair}.tsv").write_text(
        "kind\tsource\treference\tlabel\tforced\tlinks\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.examples", description=__doc__)
    p.add_argument("--corpora", type=Path, default=Path("corpora"))
    p.add_argument("--out", type=Path, default=Path("examples"))
    p.add_argument("--per-pair", type=int, default=60)
    args = p.parse_args(argv)
    for pair, classic in CLASSIC.items():
        rows = [("classic", s, r, links) for s, r, links in classic]
        if pair not in COMMITTED_TEST_SAMPLES:
            write(args.out, pair, rows)
            print(f"{pair}: {len(classic)} classic sentences")
            continue
        if not (args.corpora / pair / "test.tsv").exists():
            print(f"{pair}: no built corpus, {args.out / pair}.tsv left as it is")
            continue
        test = read_tsv(args.corpora / pair / "test.tsv")
        shown = {s for s, _, _ in classic}
        test = [(s, r) for s, r in test if s not in shown]
        rows += [("test", s, r, "") for s, r in spread_sample(test, args.per_pair)]
        write(args.out, pair, rows)
        print(f"{pair}: {len(classic)} classic + {len(rows) - len(classic)} test sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
