"""The sentences tutorials translate first, through the shipped default model of each pair
(its Bahdanau checkpoint), greedy as the app opens and with beam 5: they must come out
right.  Several renderings are right ("Éteignez la lumière.", "Éteins les lumières !", "Coupez les
phares."), so each case names what a right one must hold."""

from __future__ import annotations

import re

import pytest

from models.checkpoint import load_checkpoint
from models.engine import DecodeSettings, Translator
from models.registry import DEFAULT_ROOT

# Missed and measured (docs/TRAINING.md): 2.3k training pairs do not teach these; strict,
# so a model that gets them right turns the mark into a failure to remove.
SMALL_DATA = pytest.mark.xfail(strict=True, reason="the Hindi models learn from 2.3k pairs")
CASES = [
    # pair, source, a right translation matches this (case-insensitive, whole output)
    ("en-fr", "Turn off the lights.", r"((é|e)tei(ns|gnez|ndre)|coupe|coupez) (les|la) "
                                      r"(lumières?|phares) ?[.!]"),
    ("en-fr", "I am eating.", r"je (mange|suis en train de manger) ?[.!]"),
    # "ausstellen" is "ausschalten" in everyday speech (Duden: "das Radio ausstellen")
    ("en-de", "Turn off the lights.", r"(mach|macht|machen sie|schalte|schaltet|schalten sie|"
                                      r"stell|stellt|stellen sie) "
                                      r"(das licht|die lichter) aus ?[.!]"),  # fmt: skip
    ("en-de", "I am eating.", r"ich esse( gerade)? ?[.!]"),
    # the polite "कर दीजिए" as well as "कर दो", and "करदो" joined as Tatoeba writes it
    pytest.param("en-hi", "Turn off the lights.", r"(लाइट|लाइटें|बत्ती|बत्तियाँ|बत्तियां)\s+बंद\s+"
                 r"(करो|करें|कर ?दो|कर दीजिए|कर दीजिये|कीजिए|कीजिये)\s*[।.!]?", marks=SMALL_DATA),
    pytest.param("hi-en", "मैं खाना खा रहा हूँ", r"(i am|i'm) eating( food)?( now)? ?[.!]?",
                 marks=SMALL_DATA),
]  # fmt: skip


@pytest.fixture(scope="module")
def translators():
    cache: dict[str, Translator] = {}

    def get(pair: str) -> Translator:
        if pair not in cache:
            folder = DEFAULT_ROOT / f"{pair}-bahdanau"
            if not (folder / "config.json").exists():
                pytest.fail(f"{folder.name} is not shipped")
            loaded = load_checkpoint(folder)
            cache[pair] = Translator(loaded.model, loaded.tokenizer, loaded.name)
        return cache[pair]

    return get


@pytest.mark.parametrize("beam", [1, 5])
@pytest.mark.parametrize(("pair", "source", "right"), CASES)
def test_the_tutorials_sentences_translate_correctly(translators, pair, source, right, beam):
    trace = translators(pair).translate(source, DecodeSettings(beam=beam))
    output = trace.best.text
    assert re.fullmatch(right, output, flags=re.IGNORECASE), f"{source!r} -> {output!r}"
    alphas = trace.best.alphas
    assert alphas is not None and abs(alphas.sum(axis=1) - 1).max() < 1e-4
