"""Characters a model's vocabulary lacks, and which loaded pairs read them.

SentencePiece turns every run of characters its vocabulary lacks into one unknown
piece (shown as ``⁇``): the model then translates the rest of the text as if a word
were missing.  These functions say which characters those are and which other pair's
vocabulary holds them.  Pure Python (no torch): a vocabulary is given as a function
``known(character) -> bool``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .text import plural

Known = Callable[[str], bool]
SHOWN = 12  # characters listed by name in the note; the count covers all


@dataclass
class Unknown:
    """The characters of a text that a vocabulary lacks."""

    characters: list[str]  # distinct, in order of first appearance
    occurrences: int  # how many times they occur in the text

    def __bool__(self) -> bool:
        return bool(self.characters)


def unknown_characters(text: str, known: Known) -> Unknown:
    """The characters of ``text`` (spaces aside) for which ``known`` says no."""
    missing: dict[str, int] = {}
    verdict: dict[str, bool] = {}
    for ch in text:
        if ch.isspace():
            continue
        if ch not in verdict:
            verdict[ch] = known(ch)
        if not verdict[ch]:
            missing[ch] = missing.get(ch, 0) + 1
    return Unknown(list(missing), sum(missing.values()))


def script_of(ch: str) -> str:
    """The writing system of a character from its Unicode name ("DEVANAGARI LETTER NA"
    -> "Devanagari", "CJK UNIFIED IDEOGRAPH-4E00" -> "CJK"); symbols, emoji,
    punctuation and fractions are "symbols"."""
    category = unicodedata.category(ch)
    name = unicodedata.name(ch, "")
    if category[0] in "SPZC" or (category[0] == "N" and " DIGIT " not in f" {name} "):
        return "symbols"
    word = name.split(" ")[0]
    if not word:
        return "other characters"
    return word if len(word) <= 3 else word.capitalize()


def by_script(characters: Iterable[str]) -> dict[str, list[str]]:
    """Characters grouped by ``script_of``, scripts in order of first appearance."""
    groups: dict[str, list[str]] = {}
    for ch in characters:
        groups.setdefault(script_of(ch), []).append(ch)
    return groups


def readers(characters: list[str], vocabularies: Mapping[str, Iterable[Known]]) -> list[str]:
    """The names (pairs) one of whose vocabularies knows every one of ``characters``,
    sorted.  ``vocabularies`` maps a name to the ``known`` functions of its models."""
    return sorted(
        name
        for name, knowns in vocabularies.items()
        if characters and any(all(k(ch) for ch in characters) for k in knowns)
    )


def script_readers(
    characters: list[str], vocabularies: Mapping[str, list[Known]]
) -> dict[str, list[str]]:
    """For each script among ``characters`` (``by_script``), the pairs that read all of
    its characters (``readers``)."""
    return {script: readers(group, vocabularies) for script, group in by_script(characters).items()}


def unknown_note(unknown: Unknown, pairs_by_script: Mapping[str, list[str]]) -> str:
    """One paragraph for the person: which characters, how many, which pair reads each
    script.  Plain text: the page escapes it before showing it as Markdown."""
    chars = unknown.characters
    n = len(chars)
    parts, shown = [], 0
    for script, group in by_script(chars).items():
        listed = group[: max(SHOWN - shown, 0)]
        shown += len(listed)
        more = len(group) - len(listed)
        text = " ".join(listed) + (f" and {more} more" if listed and more else "")
        text = text or f"{more} characters"
        pairs = pairs_by_script.get(script) or []
        if not pairs:
            who = "no loaded pair reads them"
        elif len(pairs) == 1:
            who = f"the {pairs[0]} pair reads them"
        else:
            who = f"the {', '.join(pairs)} pairs read them"
        parts.append(f"{script} {text} ({who})")
    times = f", {unknown.occurrences} times in all" if unknown.occurrences > n else ""
    note = (
        f"This model's vocabulary lacks {plural(n, 'character')} of the text"
        f"{times}: {'; '.join(parts)}. Each run of them reaches the model as one unknown "
        "piece, shown as \u2047, and the rest is translated without them."
    )
    if any(pairs_by_script.values()):
        note += " To read them, choose that pair under Language pair."
    return note


def unknown_target(unknown: Unknown) -> str:
    """The note for a target forced through a model whose vocabulary lacks some of its
    characters: each run of them is forced as one unknown piece.  Plain text."""
    chars = unknown.characters
    n = len(chars)
    listed = " ".join(chars[:SHOWN]) + (f" and {n - SHOWN} more" if n > SHOWN else "")
    return (
        f"This model's vocabulary lacks {plural(n, 'character')} of the target: "
        f"{listed}. Each run of them is forced as one unknown piece, shown as \u2047: its "
        "row of \u03b1 and its share of log p are those of that piece, which the model "
        "seldom writes."
    )
