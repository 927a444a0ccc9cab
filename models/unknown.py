"""Characters a model's vocabulary lacks, which loaded pairs read them, and text in
another script than the one the model's source language is written in.

SentencePiece turns every run of characters its vocabulary lacks into one unknown
piece (shown as ``⁇``): the model reads that piece like any other, and may attend to
it, but knows nothing of what it stands for.  These functions say which characters
those are and which other pair's vocabulary holds them, among the pairs that could
translate the text (``suggested``).
A vocabulary may also hold another script's pieces (hi-en's learned Latin from its
French-English sentences too): ``script_note`` says when none of a text's letters are
in the script of the language a model reads (``LANGUAGES``), and ``language_note``
when a text in that script is plainly another of the pairs' languages, by its function
words (``FUNCTION_WORDS``).  ``target_notes`` says what reading did to a forced target.
Pure Python (no torch): a vocabulary is given as a function ``known(character) ->
bool``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from .text import ELIDED_WORDS, PLAIN_QUOTES, plural, shown_character, split_words

Known = Callable[[str], bool]
SHOWN = 12  # characters listed by name in the note; the count covers all
SYMBOLS, DIGITS = "symbols", "digits"  # groups of characters that are no script


@dataclass(frozen=True)
class Language:
    """A source or target language of a pair, as the page names it."""

    name: str
    script: str  # the writing system it is written in, as ``script_of`` names it


# The languages of the pairs (a pair's code is "<source>-<target>"); a code not listed
# gets no script rule, and is named by its code.
LANGUAGES: dict[str, Language] = {
    "de": Language("German", "Latin"),
    "en": Language("English", "Latin"),
    "es": Language("Spanish", "Latin"),
    "fr": Language("French", "Latin"),
    "hi": Language("Hindi", "Devanagari"),
}


def source_language(pair: str) -> str:
    """The code of the language a pair translates from ("hi-en" -> "hi")."""
    return pair.partition("-")[0]


def language_name(code: str) -> str:
    return LANGUAGES[code].name if code in LANGUAGES else code


def words_list(items: list[str], last: str = "and") -> str:
    """ "a", "a and b", "a, b and c": items for a sentence."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


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


@cache
def _script_words() -> frozenset[str]:
    """The first words of the letters' Unicode names ("LATIN", "DEVANAGARI", "CJK"):
    the scripts, as ``script_of`` reads them (a scan of every code point, once)."""
    letters = (chr(c) for c in range(0x110000))
    return frozenset(
        unicodedata.name(ch, "").split(" ")[0]
        for ch in letters
        if unicodedata.category(ch).startswith("L")
    )


def script_of(ch: str) -> str:
    """The writing system of a character from its Unicode name ("DEVANAGARI LETTER NA"
    -> "Devanagari", "CJK UNIFIED IDEOGRAPH-4E00" -> "CJK"); symbols, emoji,
    punctuation, fractions and format characters (joiners) are "symbols", the digits
    0-9 "digits" (a script's own digits, such as "३", are that script's).  A mark is
    its script's ("DEVANAGARI SIGN VIRAMA") only where its name starts with a script's
    name: a mark that goes with any script ("VARIATION SELECTOR-16", "COMBINING ACUTE
    ACCENT") is a symbol, never a script named after the first word of its name."""
    category = unicodedata.category(ch)
    name = unicodedata.name(ch, "")
    if category[0] in "SPZC" or (category[0] == "N" and " DIGIT " not in f" {name} "):
        return SYMBOLS
    if name.startswith("DIGIT "):
        return DIGITS
    word = name.split(" ")[0]
    if category[0] == "M" and word not in _script_words():
        return SYMBOLS
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


def foreign_writers(script: str, source: str) -> list[str]:
    """The languages written in ``script`` when it is not language ``source``'s own
    script (Devanagari typed into an English pair: Hindi), else none."""
    own = LANGUAGES.get(source)
    if own is not None and own.script == script:
        return []
    return [code for code, lang in LANGUAGES.items() if lang.script == script]


def suggested(script: str, source: str, pairs: list[str]) -> tuple[list[str], list[str]]:
    """Of ``pairs`` (those that read a script's characters), the ones that could
    translate a text typed for a pair from language ``source``, and the languages they
    translate from when that means another language: where ``script`` is the writing of
    other languages than the source's (Devanagari typed into an English pair), the pairs
    from those languages; otherwise (the source's own script, digits, symbols, a script
    no listed language is written in) the pairs from ``source`` itself.  A pair from
    another language reads the characters but does not translate the text."""
    writers = foreign_writers(script, source)
    if writers:
        chosen = [p for p in pairs if source_language(p) in writers]
        languages = list(dict.fromkeys(source_language(p) for p in chosen)) or writers
        return chosen, [language_name(code) for code in languages]
    return [p for p in pairs if source_language(p) == source], []


def unknown_note(unknown: Unknown, pairs_by_script: Mapping[str, list[str]], source: str) -> str:
    """One paragraph for the person: which characters, how many, and which pairs that
    could translate the text (``suggested``) read each script, for a model that
    translates from language ``source``.  ``pairs_by_script``: every other loaded pair
    that reads each script (``script_readers``).  Plain text: the page escapes it
    before showing it as Markdown."""
    chars = unknown.characters
    n = len(chars)
    groups = by_script(chars)
    # the text's own language, where a script says it is another than the pair's: the
    # symbols and digits in it are then read by that language's pairs (the danda of a
    # Hindi text typed into en-fr: hi-en, not en-hi)
    foreign = [code for script in groups for code in foreign_writers(script, source)]
    parts, advice, advised, shown = [], [], set(), 0
    for script, group in groups.items():
        listed = group[: max(SHOWN - shown, 1)]  # each group shows one at least
        shown += len(listed)
        more = len(group) - len(listed)
        text = " ".join(map(shown_character, listed))
        text += f" and {more} more" if more else ""
        readers = pairs_by_script.get(script) or []
        if script in (SYMBOLS, DIGITS) and foreign:
            pairs, languages = [p for p in readers if source_language(p) in foreign], []
        else:
            pairs, languages = suggested(script, source, readers)
        if pairs:
            verb = "reads" if len(pairs) == 1 else "read"
            who = f"the {words_list(pairs)} pair{'s' if len(pairs) > 1 else ''} {verb} them"
            kind = script if script in (SYMBOLS, DIGITS) else f"{script} characters"
            goal = f"translate {words_list(languages, 'or')}" if languages else f"read the {kind}"
            if not set(pairs) <= advised:  # the pairs already advised read them too
                advice.append(f"to {goal}, choose {words_list(pairs, 'or')}")
                advised.update(pairs)
        elif languages:
            who = f"no loaded pair translates {words_list(languages, 'or')}"
        else:
            who = f"no other loaded pair from {language_name(source)} reads them"
        parts.append(f"{script} {text} ({who})")
    times = f", {unknown.occurrences} times in all" if unknown.occurrences > n else ""
    note = (
        f"This model's vocabulary lacks {plural(n, 'character')} of the text"
        f"{times}: {'; '.join(parts)}. The model reads each run of them as one unknown "
        "piece, which it may attend to like any piece but knows nothing about: the views "
        "show such a piece's characters as typed, but to the model they are all the same "
        "piece, <unk>."
    )
    if advice:
        sentence = "; ".join(dict.fromkeys(advice))
        note += f" {sentence[0].upper()}{sentence[1:]} under Language pair."
    return note


def script_note(text: str, source: str) -> str | None:
    """For a model that reads language ``source``, when no letter of ``text`` is in that
    language's script (``LANGUAGES``): "This model reads Hindi (Devanagari); this text
    is in Latin."  A vocabulary may hold the other script's pieces (hi-en's learned
    Latin from French-English sentences too), so no character is unknown and the
    output is simply wrong.  None when some letter is in the script, when the text has
    no letters, or for a language not listed."""
    language = LANGUAGES.get(source)
    if language is None:
        return None
    letters = (ch for ch in text if unicodedata.category(ch).startswith("L"))
    scripts = list(dict.fromkeys(script_of(ch) for ch in letters))
    if not scripts or language.script in scripts:
        return None
    return (
        f"This model reads {language.name} ({language.script}); this text is in "
        f"{words_list(scripts)}."
    )


# Everyday function words of the Latin-script languages of the pairs, each a word of one
# of them only (words that are also words of another, "a", "he", "has", "la", "de",
# "le", "es", "y", "das", "bin", "in", "was", "die", "no", are left out), so that the
# words of a sentence typed in the wrong one of these languages tell which it is: a
# model reads any Latin text without an unknown piece.
def _listed(words: str) -> frozenset[str]:
    return frozenset(words.split())


FUNCTION_WORDS = {
    "en": _listed("the is are i you she it we they this that of to and not do does have "
                  "what my your with"),
    "fr": _listed("les une je il elle nous vous ils elles est suis sont et pas ne qui "
                  "dans pour avec ce mon") | {f"{w}'" for w in ELIDED_WORDS},
    "de": _listed("der ein eine ich er wir ist sind und nicht mit zu auf dem kein keine"),
    "es": _listed("el los las una yo él ella soy está estoy por para mi su pero muy"),
}  # fmt: skip
LANGUAGE_HITS = 2  # function words of another language, and none of the model's own
_PLAIN = str.maketrans(PLAIN_QUOTES)


def language_note(text: str, source: str) -> str | None:
    """For a model that reads language ``source``, a text in the same script but plainly
    another of the pairs' languages (``FUNCTION_WORDS``: at least ``LANGUAGE_HITS`` of
    its words, none of ``source``'s): "This text looks like French (je, suis); this
    model reads English." None when the text could be ``source``, or for a language
    without a list."""
    if source not in FUNCTION_WORDS:
        return None
    words = [w.lower().translate(_PLAIN) for w in split_words(text, elide=True)]
    hits = {lang: sorted(set(words) & listed, key=words.index)
            for lang, listed in FUNCTION_WORDS.items()}  # fmt: skip
    if hits[source]:
        return None
    lang, found = max(hits.items(), key=lambda item: len(item[1]))
    if len(found) < LANGUAGE_HITS:
        return None
    return (
        f"This text looks like {language_name(lang)} ({', '.join(found[:4])}); this model "
        f"reads {language_name(source)}, so its translation of it means little."
    )


def unknown_target(unknown: Unknown) -> str:
    """The note for a target forced through a model whose vocabulary lacks some of its
    characters: each run of them is forced as one unknown piece.  Plain text."""
    chars = unknown.characters
    n = len(chars)
    listed = " ".join(map(shown_character, chars[:SHOWN]))
    listed += f" and {n - SHOWN} more" if n > SHOWN else ""
    return (
        f"This model's vocabulary lacks {plural(n, 'character')} of the target: "
        f"{listed}. Each run of them is forced as one unknown piece, shown as \u2047: its "
        "row of \u03b1 and its share of log p are those of that piece, which the model "
        "seldom writes."
    )


def unknown_target_note(tokenizer, text: str) -> str | None:
    """What ``tokenizer``'s vocabulary lacks of a target forced through it, read as the
    tokenizer reads it (``Tokenizer.read``), or None when it lacks nothing."""
    unknown = unknown_characters(tokenizer.read(text), tokenizer.knows)
    return unknown_target(unknown) if unknown else None


def target_notes(tokenizer, force: str | None = None, prefix: str | None = None) -> list[str]:
    """What reading did to a forced target or a prefix given as text (cleaning, plain
    quotes, the cut) and what of it the vocabulary lacks: the notes the page shows beside
    a reference, for the command line and the trace export.  ``tokenizer``: a
    ``models.tokenizer.Tokenizer`` (its ``encode_target``, ``read`` and ``knows``)."""
    notes = []
    for what, text in (("forced target", force), ("prefix", prefix)):
        if text:
            notes += [f"the {what} was {n}" for n in tokenizer.encode_target(text).notes]
            if unknown := unknown_target_note(tokenizer, text):
                notes.append(f"the {what}: {unknown}")
    return notes
