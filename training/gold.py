"""Hand word alignments for evaluation only (never trained or tuned on), read by path.

Two sets, each detected by its files:

* de-en Europarl (``test.de``, ``test.en``, ``de-en.wa``): Pharaoh ``i-j``, German token i -
  English token j, 0-based, every link sure.
* en-fr Hansards (``enfr.src-tgt``, ``enfr.gold``): ``English ||| French`` lines; ``i-j``
  (sure) and ``ipj`` (possible) link English token i to French token j, 1-based.

A set is read for a model's pair (``en-de`` reads the de-en set the other way round) as
:class:`GoldSentence` rows: source and target tokens of the model's direction and links as
``(target, source)`` token indices, 0-based, possible links including the sure ones.

Reference lines on the same sentences: :func:`diagonal_links` (each target token linked to
the source token at the same relative position) and the statistical aligner
(``training.baseline``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from models.text import elides, token_units
from viz.links import alignment_scores

Link = tuple[int, int]  # (target token, source token), 0-based


@dataclass(frozen=True)
class GoldSentence:
    source: list[str]
    target: list[str]
    sure: frozenset[Link]
    possible: frozenset[Link]  # includes the sure links


# The Hansards set undoes French elisions and contractions ("le ordre", "de le comité");
# a model reads French as it is written.  :func:`french_surface` writes the tokens back
# ("l'ordre", "du comité") and says which unit of the written text (``word_units``: the
# word rule's "l'" apart from "ordre", "du" one unit) holds each gold token.
_ELIDED = {"le": "l'", "la": "l'", "de": "d'", "je": "j'", "ce": "c'", "ne": "n'",
           "que": "qu'", "se": "s'", "me": "m'", "te": "t'", "jusque": "jusqu'",
           "lorsque": "lorsqu'", "puisque": "puisqu'"}  # fmt: skip
_CONTRACTED = {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au", ("à", "les"): "aux"}
_VOWEL_START = tuple("aeiouyàâäéèêëîïôöûùüœæh")


def _vowel(word: str | None) -> bool:
    return word is not None and word.lower().startswith(_VOWEL_START)


def french_surface(tokens: list[str]) -> tuple[list[str], list[int]]:
    """(written tokens, the unit of the written text that holds each gold token) of
    de-elided French tokens: ``["à", "le", "heure"]`` -> ``(["à", "l'heure"], [0, 1, 2])``
    ("le" takes the row of "l'", "heure" its own), ``["de", "le", "comité"]`` ->
    ``(["du", "comité"], [0, 0, 1])``; "si il" -> "s'il"."""
    words: list[str] = []
    owner: list[int] = []
    unit = 0  # the first unit of the next written token
    k = 0
    while k < len(tokens):
        tok, nxt = tokens[k], tokens[k + 1] if k + 1 < len(tokens) else None
        after = tokens[k + 2] if k + 2 < len(tokens) else None
        low = tok.lower()
        article = nxt.lower() if nxt is not None else None
        if (low, article) in _CONTRACTED and not (article == "le" and _vowel(after)):
            contracted = _CONTRACTED[(low, article)]
            words.append(contracted.capitalize() if tok[0].isupper() else contracted)
            owner += [unit] * 2
            k += 2
        elif (
            nxt is not None
            and _vowel(nxt)
            and (low in _ELIDED or (low == "si" and nxt.lower() in ("il", "ils")))
        ):
            elided = _ELIDED.get(low, "s'")
            words.append((elided.capitalize() if tok[0].isupper() else elided) + nxt)
            owner += [unit, unit + token_units(words[-1]) - 1]  # "l'" apart, if split
            k += 2
        else:
            words.append(tok)
            owner.append(unit + token_units(tok) - 1)  # a split token: its last unit
            k += 1
        unit += token_units(words[-1])
    return words, owner


def gold_pair(folder: Path) -> str:
    """The model pair a gold folder evaluates: ``en-de`` or ``en-fr``."""
    if (folder / "de-en.wa").exists():
        return "en-de"
    if (folder / "enfr.gold").exists():
        return "en-fr"
    raise FileNotFoundError(f"{folder}: neither de-en.wa nor enfr.gold is there")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def read_deen(folder: Path) -> list[GoldSentence]:
    """The de-en set for an en-de model: source English, target German."""
    rows = zip(_lines(folder / "test.de"), _lines(folder / "test.en"), _lines(folder / "de-en.wa"))
    out = []
    for de, en, links in rows:
        sure = frozenset((int(d), int(e)) for d, e in (link.split("-") for link in links.split()))
        out.append(GoldSentence(en.split(), de.split(), sure, sure))
    return out


def read_enfr(folder: Path) -> list[GoldSentence]:
    """The Hansards set for an en-fr model: source English, target French."""
    texts, gold = _lines(folder / "enfr.src-tgt"), _lines(folder / "enfr.gold")
    out = []
    for text, links in zip(texts, gold, strict=True):
        en, _, fr = text.partition("|||")
        sure, possible = set(), set()
        for link in links.split():
            kind = "p" if "p" in link else "-"
            e, f = (int(x) - 1 for x in link.split(kind))
            possible.add((f, e))
            if kind == "-":
                sure.add((f, e))
        out.append(GoldSentence(en.split(), fr.split(), frozenset(sure), frozenset(possible)))
    return out


READERS = {"en-de": read_deen, "en-fr": read_enfr}


def written_target(pair: str, tokens: list[str]) -> tuple[list[str], list[int]]:
    """The target tokens of a gold sentence as a model of ``pair`` reads them, and the
    unit of the written text (``models.text.word_units``) that holds each token (the
    Hansards' French is written back; de-en is as is)."""
    if pair == "en-fr":
        return french_surface(tokens)
    elide = elides(pair.partition("-")[2])  # the target's words, as the model groups them
    units = [token_units(tok, elide) for tok in tokens]
    return list(tokens), [sum(units[: k + 1]) - 1 for k in range(len(tokens))]


def read_gold_set(folder: Path) -> tuple[str, list[GoldSentence]]:
    """(model pair, sentences) of a gold folder."""
    pair = gold_pair(folder)
    return pair, READERS[pair](folder)


def aer(predicted: Iterable[set[Link]], gold: list[GoldSentence]) -> dict:
    """Corpus-level AER with sure S and possible P (Och & Ney 2003): the links of every
    sentence pooled, then scored by the one rule, :func:`viz.links.alignment_scores`
    (AER = 1 - (|A n S| + |A n P|) / (|A| + |S|); precision against P, recall against S;
    with P = S, the de-en set, 1 - 2|A n S| / (|A| + |S|))."""
    a = {(k, *link) for k, links in enumerate(predicted) for link in links}
    s = {(k, *link) for k, g in enumerate(gold) for link in g.sure}
    p = {(k, *link) for k, g in enumerate(gold) for link in g.possible}
    return alignment_scores(a, s, p)


def diagonal_links(n_source: int, n_target: int) -> set[Link]:
    """Each target token linked to the source token at the same relative position (the
    centre of target token t falls in source token s)."""
    if not n_source:
        return set()
    return {(t, min(int((t + 0.5) * n_source / n_target), n_source - 1)) for t in range(n_target)}
