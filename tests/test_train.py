"""Every model kind learns the toy task (reordering included) in a few hundred steps."""

from __future__ import annotations

import math

import pytest

from tests.conftest import KIND_IDS
from tests.toy import toy_pairs

HELD_OUT = toy_pairs(400)[350:]


@pytest.mark.parametrize("name", KIND_IDS)
def test_every_kind_trains(trained, name):
    translator, stats = trained[name]
    assert stats["steps"] == 250
    assert stats["train_loss"] < 0.5 * math.log(translator.cfg.vocab_size)
    assert stats["dev_loss"] < 1.0
    exact = sum(translator.translate(s).best.text == t for s, t in HELD_OUT[:20])
    floor = 1 if name.startswith("none") else 12  # the bottleneck learns it much slower
    assert exact >= floor, f"{name}: {exact}/20 held-out sentences exact"


def test_attention_learns_the_verb_final_reordering(trained):
    """In "the cat sees the dog ." -> "der katze der hund sieht .", the verb row attends
    to the source verb, three words earlier than its target position."""
    translator, _ = trained["bahdanau-additive"]
    trace = translator.translate("the cat sees the dog .", force="der katze der hund sieht .")
    hyp, src = trace.best, trace.source
    verb_row = hyp.words.index("sieht")
    rows = [i for i, w in enumerate(hyp.piece_to_word) if w == verb_row]
    top = hyp.alphas[rows].sum(0).argmax()
    assert src.words[src.piece_to_word[top]] == "sees"
