"""English -> German pairs from the Ding dictionary file (Debian ``trans-de-en``).

A Ding line reads ``German side :: English side``. Extraction rules, in order:

1. Lines starting with ``#`` and blank lines are skipped; a line must contain exactly one
   `` :: ``.
2. Annotations are removed from the whole line first (they may contain ``;`` or ``|``):
   ``{...}`` (grammar: ``{f}``, ``{vt}``, ``{overrode; overridden}``), ``[...]`` (usage /
   region: ``[ugs.]``, ``[Br.]``), ``<...>`` (alternative spellings: ``<Aalmolch>``) and
   slash-delimited abbreviations standing as a token of their own (``/PM/``, ``/HWRC/``).
3. Each side is split into sub-entries on ``|`` (outside parentheses). Sub-entries are paired
   by position; a line whose two sides have different sub-entry counts is skipped.
4. Each sub-entry is split into synonyms on ``;`` (outside parentheses). All German x English
   synonym combinations are ordered by ``i + j`` (then ``i``) and capped at
   :data:`MAX_SYNONYM_PAIRS`, so the first (primary) renderings are paired first; ``rank`` is
   ``i + j``.
5. Parentheses ``(...)`` are dropped with their content, innermost first. Ding marks
   optional or contextual material this way, so the remaining text stays grammatical and
   keeps the primary meaning: "eel (on a menu)" -> "eel", "(öffentliche) Ablehnung" ->
   "Ablehnung", "Sie ist (gerade) 20 geworden." -> "Sie ist 20 geworden.", "It is done.
   (safety note)" -> "It is done.". A group glued to a word leaves the word whole:
   "beam(s) light" -> "beam light", "(an)kommen" -> "kommen". In a capitalised synonym
   without placeholders, a group removed after a full stop re-capitalises the next word
   ("Good night. (Sleep tight and have) sweet dreams!" -> "Good night. Sweet dreams!").
   Keeping the content instead would break the many glosses and alternatives
   ("gut (gesund) aus").
6. ``/`` alternatives: a synonym holding a free-standing slash or a slash at a word edge
   ("sheer / arrant rhetoric", "colour /color") has an ambiguous scope and is skipped. A word
   "a/b/c" is resolved to its first alternative ("he/she has" -> "he has", "sb./sth." ->
   "sb.", "dafür/dagegen," -> "dafür,"), except tokens containing a digit ("24/7", "1/2"),
   acronym pairs ("TCP/IP") and fixed expressions in :data:`KEEP_SLASH_TOKENS` ("km/h",
   "and/or"). The synonym is skipped when an alternative probably spans several words: a
   later alternative repeats one of the three preceding words ("in the countryside/in the
   country", "träum schön/träum was") or only some alternatives are function words
   ("bad mood/your spleen").
7. Whitespace is normalised (NFC, single spaces, no space before ``, . ; : ! ?``).
8. A pair is a ``sentence`` when both sides are sentences: first character a capital letter,
   digit or opening quote, last character ``. ! ?`` (optionally followed by a closing quote),
   at least :data:`MIN_SENTENCE_WORDS` words and no dictionary placeholder (sb., sth., etw.,
   jdm., ...). Otherwise it is a ``phrase`` if both sides have at least two words; pairs
   with a single word on either side are dropped.
9. Dropped as well: synonyms with leftover markup (unbalanced brackets, ``|``, ``::``,
   ellipses, ``~ # * _ \\``, control characters), pairs with more than :data:`MAX_WORDS`
   words on a side, and pairs whose two sides are identical. Duplicate (English, German)
   pairs are removed, keeping the lowest rank.

Pairs are returned English -> German (source English).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from data import Pair, normalize_space, word_count

MAX_SYNONYM_PAIRS = 4
MAX_WORDS = 40
MIN_SENTENCE_WORDS = 3
KEEP_SLASH_TOKENS = frozenset(
    {"km/h", "m/s", "and/or", "und/oder", "i/o", "a/d", "d/a", "c/o", "w/o", "e/a", "n/a"}
    | {"input/output", "ein-/ausgabe", "either/or", "entweder/oder"}
)
_FUNCTION_WORDS_TEXT = """
a an the this that my your his her its our their to of in on at by for from with into onto
out about over under up down off as than sb. sth. sb sth
der die das dem den des ein eine einen einem einer eines sein seine seinen seinem seiner ihr
ihre ihren ihrem ihrer mein meine dein deine zu von mit an auf in im am aus bei nach über
unter vor für um durch gegen jdm. jdn. jds. etw. jdm jdn jds etw
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())

_ANNOTATION_RES = (
    ("{", re.compile(r"\{[^{}]*\}")),
    ("[", re.compile(r"\[[^\[\]]*\]")),
    ("<", re.compile(r"<[^<>]*>")),
    ("/", re.compile(r"(?<![\w./])/[^\s/]+/(?![\w/])")),
)
_INNER_PAREN_RE = re.compile(r"\([^()]*\)")
_GLUED_PAREN_RE = re.compile(r"(?<=\w)\([^()]*\)|\([^()]*\)(?=\w)")
_PAREN_AFTER_STOP_RE = re.compile(r"([.!?]\s+)\([^()]*\)\s*([a-zäöü])")
_ACRONYM_SLASH_RE = re.compile(r"[A-Z0-9]{2,6}(?:/[A-Z0-9]{2,6})+")
_TRAILING_PUNCT_RE = re.compile(r"\W*$")
_SENTENCE_START_RE = re.compile(r"^[\"“„‘'¿¡]?[A-ZÄÖÜ0-9]")
_SENTENCE_END_RE = re.compile(r"[.!?][\"”“’']?$")
_PLACEHOLDER_RE = re.compile(r"\b(?:sb|sth|so|etw|jd|jdm|jdn|jds|jmd|jmdm|jmdn|jmds)\b\.?")
_LEFTOVER_RE = re.compile(r"[{}\[\]<>()|~…#*_\\\x00-\x1f\x7f-\x9f]|::|\.\.\.")


def strip_annotations(text: str) -> str:
    """Remove ``{}``, ``[]``, ``<>`` annotations and ``/ABBR/`` tokens (rule 2)."""
    for opener, regex in _ANNOTATION_RES:
        previous = None
        while opener in text and previous != text:
            previous, text = text, regex.sub(" ", text)
    return text


def split_outside_parens(text: str, sep: str) -> list[str]:
    """Split ``text`` on the single character ``sep`` where it is not inside parentheses."""
    if "(" not in text:
        return [part.strip() for part in text.split(sep)]
    parts, depth, start = [], 0, 0
    for pos, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == sep and depth == 0:
            parts.append(text[start:pos])
            start = pos + 1
    parts.append(text[start:])
    return [part.strip() for part in parts]


def drop_parens(text: str) -> str:
    """Rule 5: drop parenthesised groups, keeping words whole ("beam(s) light" -> "beam light")."""
    if "(" not in text:
        return text
    if text[:1].isupper() and not _PLACEHOLDER_RE.search(text):
        text = _PAREN_AFTER_STOP_RE.sub(lambda m: m.group(1) + m.group(2).upper(), text)
    previous = None
    while previous != text:
        previous = text
        text = _GLUED_PAREN_RE.sub("", text)
        text = _INNER_PAREN_RE.sub(" ", text)
    return text


def looks_like_sentence(text: str) -> bool:
    """Rule 8 on one side: capitalised, ends in . ! ?, >= 3 words, no placeholders."""
    return (
        bool(_SENTENCE_START_RE.match(text))
        and bool(_SENTENCE_END_RE.search(text))
        and word_count(text) >= MIN_SENTENCE_WORDS
        and not _PLACEHOLDER_RE.search(text)
    )


def _keeps_slash(core: str) -> bool:
    """Tokens whose slash is part of the word: numbers, units, acronyms, fixed expressions."""
    return (
        any(ch.isdigit() for ch in core)
        or core.lower() in KEEP_SLASH_TOKENS
        or bool(_ACRONYM_SLASH_RE.fullmatch(core))
    )


def _first_alternative(token: str) -> str:
    """ "a/b/c" -> "a", keeping the token's outer punctuation: "dafür/dagegen," -> "dafür,"."""
    parts = token.split("/")
    first, trail = parts[0], _TRAILING_PUNCT_RE.search(parts[-1]).group()
    if not trail or first.endswith(trail):
        return first
    return first.rstrip(".") + trail


def _multiword_scope(alternatives: list[str], previous: list[str]) -> bool:
    """True when an alternative probably spans several words (rule 6, ambiguous scope)."""
    words = [alt.strip(".,;:!?'\"“”„’").casefold() for alt in alternatives]
    if any(word in previous for word in words[1:]):
        return True
    first_is_function = words[0] in FUNCTION_WORDS
    return any((word in FUNCTION_WORDS) != first_is_function for word in words[1:])


def resolve_slashes(text: str) -> str | None:
    """Rule 6: resolve ``a/b`` words; ``None`` when a slash has an ambiguous scope."""
    tokens = text.split()
    resolved: list[str] = []
    for pos, token in enumerate(tokens):
        if token.startswith("/") or token.endswith("/"):
            return None
        core = token.strip(".,;:!?'\"“”„’")
        if "/" not in core or _keeps_slash(core):
            resolved.append(token)
            continue
        previous = [tok.casefold() for tok in tokens[max(pos - 3, 0) : pos]]
        if _multiword_scope(core.split("/"), previous):
            return None
        resolved.append(_first_alternative(token))
    return " ".join(resolved)


def clean_synonym(text: str) -> str | None:
    """Apply rules 5-7 and the markup filter of rule 9 to one synonym; ``None`` if unusable."""
    resolved = resolve_slashes(normalize_space(drop_parens(text)))
    if resolved is None:
        return None
    resolved = normalize_space(resolved)
    if not resolved or _LEFTOVER_RE.search(resolved):
        return None
    return resolved


def _clean_synonyms(sub_entry: str) -> list[str]:
    """Split a sub-entry on ``;`` and clean each synonym, dropping unusable ones."""
    cleaned = (clean_synonym(syn) for syn in split_outside_parens(sub_entry, ";"))
    return list(dict.fromkeys(syn for syn in cleaned if syn))


def classify(en: str, de: str) -> str | None:
    """Rule 8/9: ``"sentence"``, ``"phrase"`` or ``None`` (dropped)."""
    if max(word_count(en), word_count(de)) > MAX_WORDS or en.casefold() == de.casefold():
        return None
    if looks_like_sentence(en) and looks_like_sentence(de):
        return "sentence"
    if min(word_count(en), word_count(de)) >= 2:
        return "phrase"
    return None


def _synonym_pairs(de_syns: list[str], en_syns: list[str]) -> Iterator[Pair]:
    """Rule 4: capped cartesian product in ``i + j`` order."""
    combos = sorted(
        itertools.product(range(len(de_syns)), range(len(en_syns))),
        key=lambda ij: (ij[0] + ij[1], ij[0]),
    )
    for i, j in combos[:MAX_SYNONYM_PAIRS]:
        kind = classify(en_syns[j], de_syns[i])
        if kind:
            yield Pair(src=en_syns[j], tgt=de_syns[i], kind=kind, rank=i + j)


def parse_line(line: str) -> list[Pair]:
    """All English -> German pairs of one dictionary line (rules 1-9, before dedup)."""
    line = line.strip()
    if not line or line.startswith("#"):
        return []
    sides = line.split(" :: ")
    if len(sides) != 2:
        return []
    de_subs, en_subs = (split_outside_parens(strip_annotations(side), "|") for side in sides)
    if len(de_subs) != len(en_subs):
        return []
    pairs: list[Pair] = []
    for de_sub, en_sub in zip(de_subs, en_subs, strict=True):
        pairs.extend(_synonym_pairs(_clean_synonyms(de_sub), _clean_synonyms(en_sub)))
    return pairs


def dedupe(pairs: Iterable[Pair]) -> list[Pair]:
    """Keep one pair per (English, German) text, the one with the lowest rank; sorted."""
    best: dict[tuple[str, str], Pair] = {}
    for pair in pairs:
        key = (pair.src, pair.tgt)
        if key not in best or pair.rank < best[key].rank:
            best[key] = pair
    return sorted(best.values(), key=lambda pair: (pair.src, pair.tgt))


def extract_pairs(lines: Iterable[str]) -> list[Pair]:
    """Parse dictionary lines into deduplicated English -> German pairs."""
    return dedupe(pair for line in lines for pair in parse_line(line))


def read_ding(path: Path) -> list[Pair]:
    """Read a Ding file (UTF-8) and extract its pairs."""
    with path.open(encoding="utf-8") as handle:
        return extract_pairs(handle)
