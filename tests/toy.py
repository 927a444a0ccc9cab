"""A small synthetic translation task written for the tests.

English-like subject-verb-object sentences map to a German-like target with the verb
moved to the end, so a trained attention model must learn a reordering.
"""

from __future__ import annotations

import random

NOUNS = {
    "cat": "katze",
    "dog": "hund",
    "man": "mann",
    "woman": "frau",
    "child": "kind",
    "bird": "vogel",
    "teacher": "lehrer",
    "farmer": "bauer",
    "horse": "pferd",
    "king": "koenig",
}
VERBS = {
    "sees": "sieht",
    "likes": "mag",
    "calls": "ruft",
    "finds": "findet",
    "helps": "hilft",
    "follows": "folgt",
    "feeds": "fuettert",
    "paints": "malt",
}
ADJECTIVES = {"old": "alte", "small": "kleine", "happy": "frohe", "tired": "muede"}


def _noun_phrase(rng: random.Random) -> tuple[str, str]:
    noun = rng.choice(sorted(NOUNS))
    if rng.random() < 0.4:
        adj = rng.choice(sorted(ADJECTIVES))
        return f"the {adj} {noun}", f"der {ADJECTIVES[adj]} {NOUNS[noun]}"
    return f"the {noun}", f"der {NOUNS[noun]}"


def toy_pairs(n: int = 400, seed: int = 0) -> list[tuple[str, str]]:
    """``n`` distinct pairs: "the cat sees the dog ." -> "der katze der hund sieht ."."""
    rng = random.Random(seed)
    pairs: dict[str, str] = {}
    while len(pairs) < n:
        s_src, s_tgt = _noun_phrase(rng)
        o_src, o_tgt = _noun_phrase(rng)
        verb = rng.choice(sorted(VERBS))
        pairs[f"{s_src} {verb} {o_src} ."] = f"{s_tgt} {o_tgt} {VERBS[verb]} ."
    return sorted(pairs.items())
