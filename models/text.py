"""Cleaning user text before it reaches a tokenizer, and the rule that makes its words.

Cleaning: Unicode NFC; control characters (category Cc) and invisible format
characters (Cf: direction marks and overrides, the byte order mark, ...; the joiners
aside) are removed; the zero width space and any run of whitespace become one space;
leading/trailing space is dropped.

Words: the whitespace tokens, with punctuation at either end of a token split off as
words of its own, and in French text an elided word too (``split_token``).  Every word
view, gold overlay, AER and export counts these words; ``group_pieces`` maps a
tokenizer's pieces onto them.  Plain Python (no torch): the views import it.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


class InputError(ValueError):
    """Text that cannot be translated, with a message fit to show to a person."""


ZERO_WIDTH_SPACE = "\u200b"  # an invisible word break: read as a space
_WHITE = "\t\n\r\x0b\x0c" + ZERO_WIDTH_SPACE  # characters that become spaces
# The joiners shape a script's letters (Devanagari half forms, emoji sequences): kept.
_JOINERS = {"\u200c", "\u200d"}


def _dropped(ch: str) -> bool:
    """A character ``clean_text`` removes: controls (category Cc; whitespace controls
    become spaces instead) and invisible format characters (Cf: direction marks,
    embeddings, overrides and isolates, which reorder what is shown; the byte order
    mark; the soft hyphen; the word joiner), the joiners aside."""
    if ch in _WHITE or ch in _JOINERS:
        return False
    return unicodedata.category(ch) in ("Cc", "Cf")


def clean_text(text: str) -> str:
    """NFC, no control or format characters, single spaces."""
    if not isinstance(text, str):
        raise InputError("the text must be a string")
    text = unicodedata.normalize("NFC", text)
    kept = [" " if ch in _WHITE else ch for ch in text if not _dropped(ch)]
    return _SPACES.sub(" ", "".join(kept)).strip()


def plural(n: int, word: str) -> str:
    """ "1 word", "2 words": the count and its noun, for notes to the person."""
    return f"{n} {word}{'s' if n != 1 else ''}"


def code_point(ch: str) -> str:
    """ "U+200D": how a note names a character that shows nothing where it is printed."""
    return f"U+{ord(ch):04X}"


# Characters that show nothing: controls, format characters (joiners, direction marks),
# private use, unassigned, spaces, and the marks that only select or join (variation
# selectors, the combining grapheme joiner).
_UNSEEN = ("Cc", "Cf", "Co", "Cn", "Cs", "Zs", "Zl", "Zp")
_UNSEEN_MARKS = ("VARIATION SELECTOR", "COMBINING GRAPHEME JOINER")
DOTTED_CIRCLE = "\u25cc"  # what a combining mark is drawn on, standing alone


def shown_character(ch: str) -> str:
    """``ch`` as a note lists it, one character among others: itself where it shows
    standing alone; a combining mark (a vowel sign, a virama, an accent) on a dotted
    circle ("\u25cc\u094d"); an invisible character by its code point and name
    ("U+FE0F (variation selector-16)"), never a blank in the list."""
    category, name = unicodedata.category(ch), unicodedata.name(ch, "")
    if category in _UNSEEN or name.startswith(_UNSEEN_MARKS):
        return f"{code_point(ch)} ({name.lower()})" if name else code_point(ch)
    if category in ("Mn", "Me"):
        return DOTTED_CIRCLE + ch
    return ch  # a spacing mark (Mc) shows on its own


def dropped_note(text: str) -> str | None:
    """What cleaning removed from ``text`` (or read as a space where nothing shows one),
    for the person who typed it, or None."""
    dropped = [ch for ch in text if _dropped(ch)]
    spaces = text.count(ZERO_WIDTH_SPACE)
    parts = []
    if dropped:
        codes = list(dict.fromkeys(code_point(ch) for ch in dropped))
        shown = ", ".join(codes[:5]) + (", ..." if len(codes) > 5 else "")
        kind = "invisible control, format or direction character"
        parts.append(f"without {plural(len(dropped), kind)} ({shown})")
    if spaces:
        parts.append(f"with {plural(spaces, 'zero width space')} (U+200B) as spaces")
    return "read " + ", and ".join(parts) if parts else None


# Typographic quotes and their plain forms: the Tatoeba corpora are built with plain ones
# (``data.tatoeba.clean_side``), and a tokenizer that never saw "\u2019" reads it as "'"
# (``models.tokenizer.Tokenizer.read``).
PLAIN_QUOTES = {"\u2019": "'", "\u2018": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'"} | {
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'}  # fmt: skip
OPENING_QUOTE, CLOSING_QUOTE = "\u201c", "\u201d"
# punctuation that opens what follows it (no space after it in running text)
OPENING_PUNCTUATION = frozenset("([{\u201c\u2018\u00ab\u00bf\u00a1")


def curly_double_quotes(text: str) -> str:
    """Each plain double quote of ``text`` as the curly one it stands for, the length
    kept: opening after a space, the text's start or opening punctuation ("(", "¿", "“")
    when a word follows; closing before a space, the end or other punctuation when a word
    precedes; otherwise (spaces on both sides, as in tokenized text, or none) the
    opposite of the quote before it: '" a " b' -> '“ a ” b'."""
    out, last_opened = [], False
    for i, ch in enumerate(text):
        if ch != '"':
            out.append(ch)
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opens = before.isspace() or before in OPENING_PUNCTUATION
        closes = after.isspace() or (is_punctuation(after) and after not in OPENING_PUNCTUATION)
        last_opened = opens if opens != closes else not last_opened
        out.append(OPENING_QUOTE if last_opened else CLOSING_QUOTE)
    return "".join(out)


# --- Words: the one rule that groups text (and so pieces) into words -------------------

UNKNOWN_TEXT = "\u2047"  # what an unknown target piece is shown as: not punctuation


def is_punctuation(ch: str) -> bool:
    """A punctuation character (Unicode category P*); ``⁇`` (an unknown piece) is not."""
    return ch != UNKNOWN_TEXT and unicodedata.category(ch).startswith("P")


def is_punctuation_word(word: str) -> bool:
    """A word of punctuation alone (".", "«", "?!")."""
    return bool(word) and all(is_punctuation(ch) for ch in word)


def _runs(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """[begin, end) cut into runs of one repeated character ("..." stays one word)."""
    spans: list[tuple[int, int]] = []
    for i in range(begin, end):
        if spans and text[i] == text[i - 1]:
            spans[-1] = (spans[-1][0], i + 1)
        else:
            spans.append((i, i + 1))
    return spans


# French elided words ("l'homme" is "l'" + "homme", "qu'il" is "qu'" + "il"): words of
# their own, as in the tokens of the French text of Bahdanau et al. 2015 ("l'
# environnement marin") and as French grammar counts them.  "aujourd'hui" stays whole.
# French text only: English "C'mon" stays one word.
ELIDING = frozenset({"fr"})  # the languages whose elided words are words of their own
ELIDED_WORDS = ("l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu",
                "quoiqu")  # fmt: skip
_ELIDED = rf"(?:{'|'.join(ELIDED_WORDS)})['\u2019]"
# a letter or digit follows, or an unknown piece's mark (a decoded "l'\u2047homme")
_ELISION = re.compile(_ELIDED + r"(?=[^\W_]|\u2047)", re.IGNORECASE)
_ELIDED_WORD = re.compile(_ELIDED, re.IGNORECASE)


def elides(language: str | None) -> bool:
    """Whether text of ``language`` splits its elided words off ("fr": yes); a text of
    no stated language is read as French could be (the rule's default)."""
    return language is None or language in ELIDING


def is_elided_word(word: str) -> bool:
    """A French elided word that the rule splits off ("l'", "Qu'", "jusqu\u2019")."""
    return bool(_ELIDED_WORD.fullmatch(word))


def split_token(token: str, elide: bool = True) -> list[tuple[int, int]]:
    """Character spans [begin, end) of the words of one whitespace-free token.

    Punctuation at either end of a token is a word of its own: "lights." -> "lights" +
    "."; "«Bonjour»" -> "«" + "Bonjour" + "»"; "1992." -> "1992" + "."; a run of one
    character stays together ("Wait..." -> "Wait" + "..."), different characters part
    ('now!"' -> "now" + "!" + '"').  With ``elide`` (French text), a French elided word
    is a word of its own, apostrophe included: "l'homme" -> "l'" + "homme", "Qu'il" ->
    "Qu'" + "il", "jusqu'à" -> "jusqu'" + "à", "l'11" -> "l'" + "11", and "l'" alone
    (tokenized text: "l' homme") is one word, before punctuation too ("«l'»" -> "«" +
    "l'" + "»").  Other punctuation inside a token stays:
    "don't", "aujourd'hui", "3.5", "well-known".  A token with a full stop inside keeps
    one final full stop, so abbreviations stay whole: "U.S.", "z.B.", "e.g.," -> "e.g." +
    ",".  A token of punctuation alone is one word ("...", "?!", "--").
    """
    n = len(token)
    if not n or is_punctuation_word(token):
        return [(0, n)] if n else []
    begin = 0
    while is_punctuation(token[begin]):
        begin += 1
    # "l'" of "l' homme", or before punctuation alone ("l'.", "«l'»")
    alone = _ELIDED_WORD.match(token, begin) if elide else None
    if alone and all(is_punctuation(ch) for ch in token[alone.end() :]):
        return [*_runs(token, 0, begin), (begin, alone.end()), *_runs(token, alone.end(), n)]
    end = n
    while is_punctuation(token[end - 1]):
        end -= 1
    if end < n and token[end] == "." and "." in token[begin:end]:
        end += 1  # an abbreviation keeps its final full stop
    words = []
    while elide and (elided := _ELISION.match(token, begin, end)):
        words.append((begin, elided.end()))
        begin = elided.end()
    return [*_runs(token, 0, begin if not words else words[0][0]), *words, (begin, end),
            *_runs(token, end, n)]  # fmt: skip


def word_spans(text: str, elide: bool = True) -> list[tuple[int, int, int]]:
    """(begin, end, token) per word of ``text``: character offsets [begin, end) and the
    index of the whitespace token it is part of.  Words are the tokens cut by
    ``split_token`` (``elide``: French elided words apart)."""
    spans, offset = [], 0
    for index, token in enumerate(text.split(" ")):
        spans += [(offset + b, offset + e, index) for b, e in split_token(token, elide)]
        offset += len(token) + 1
    return spans


def split_words(text: str, elide: bool = True) -> list[str]:
    """The words of a (clean) text: "Turn off the lights." -> [..., "lights", "."];
    ``elide``: French elided words apart (``elides(language)`` says for a language)."""
    return [text[b:e] for b, e, _ in word_spans(text, elide)]


def group_pieces(
    text: str, starts: list[int | None], elide: bool = True
) -> tuple[list[str], list[int]]:
    """(words, piece_to_word) for pieces that start at the given character offsets of
    ``text`` (None for special pieces, which map to -1).

    A piece belongs to the first word that ends after its start (a word-start piece
    that begins at the space before a word belongs to that word).  A word that no piece
    starts in (a piece ran over its border) joins the word before it in its token, or
    else the one after; tokens after the last piece are dropped.  So every
    piece maps to exactly one word, pieces run through the words in order, and every
    word has at least one piece.  ``elide``: French elided words apart.
    """
    spans = word_spans(text, elide)
    if not spans:  # no text: pieces such as a lone word-start mark have no word
        return [], [-1] * len(starts)
    at = [None if s is None else _span_at(spans, s) for s in starts]
    used = sorted({k for k in at if k is not None})
    if not used:
        return [], [-1] * len(starts)
    has_piece = set(used)
    owner: list[int] = []  # the span with a piece that each span joins
    for k in range(len(spans)):
        if k in has_piece:
            owner.append(k)
        elif k > 0 and spans[k - 1][2] == spans[k][2]:
            owner.append(owner[k - 1])
        elif k < used[-1]:
            owner.append(next(u for u in used if u > k))
        else:
            break  # no piece from here on
    index = {u: i for i, u in enumerate(used)}
    bounds = {u: [spans[u][0], spans[u][1]] for u in used}
    for k, u in enumerate(owner):
        bounds[u] = [min(bounds[u][0], spans[k][0]), max(bounds[u][1], spans[k][1])]
    words = [text[bounds[u][0] : bounds[u][1]] for u in used]
    return words, [-1 if k is None else index[owner[k]] for k in at]


def _span_at(spans: list[tuple[int, int, int]], start: int) -> int:
    for k, (_, end, _) in enumerate(spans):
        if start < end:
            return k
    return len(spans) - 1


def word_units(text: str, words: list[str]) -> list[int]:
    """The unit of each word for gold alignments: its whitespace token (``word_tokens``),
    with a French elided word a unit of its own.  "l'ordre ." -> [0, 1, 2] (the Hansards
    set writes "le ordre ."), "Dr. Who" -> [0, 0, 1] (a gold token split at its
    punctuation stays one unit)."""
    tokens, out = word_tokens(text, words), []
    for k, token in enumerate(tokens):
        new = k == 0 or token != tokens[k - 1] or is_elided_word(words[k - 1])
        out.append((out[-1] if out else -1) + new)
    return out


def token_units(token: str, elide: bool = True) -> int:
    """How many units (``word_units``) one whitespace token makes: 1, plus, in French
    text (``elide``), one for each elided word the rule splits off its start ("l'ordre":
    2, "l'": 1)."""
    words = split_words(token, elide)
    return word_units(token, words)[-1] + 1 if words else 1


def word_tokens(text: str, words: list[str]) -> list[int]:
    """Index of the whitespace token of ``text`` that holds each word (the words of
    ``group_pieces``, in order): for gold alignments, whose indices count tokens."""
    out, offset = [], 0
    for word in words:
        found = text.find(word, offset)
        if found < 0:
            raise ValueError(f"{word!r} is not a word of the text from offset {offset}")
        out.append(text.count(" ", 0, found))
        offset = found + len(word)
    return out
