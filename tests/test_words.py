"""The one word rule: punctuation at the ends of a token is a word of its own, and so is
a French elided word ("l'" of "l'homme"), for the tokenizer's words, the word matrices
(explorer, probe, AER) and the CLI's JSON."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.text import group_pieces, plural, split_words, word_spans, word_tokens


@pytest.mark.parametrize(
    "text, words",
    [
        ("Turn off the lights.", ["Turn", "off", "the", "lights", "."]),
        ("«Bonjour»", ["«", "Bonjour", "»"]),
        ("l'homme est là.", ["l'", "homme", "est", "là", "."]),  # a French elided word
        ("Qu'il vienne jusqu'à l'aube.", ["Qu'", "il", "vienne", "jusqu'", "à", "l'", "aube", "."]),
        ("J\u2019ai froid", ["J\u2019", "ai", "froid"]),  # the typographic apostrophe too
        ("(l'homme)", ["(", "l'", "homme", ")"]),
        ("de l' environnement", ["de", "l'", "environnement"]),  # the paper's tokens
        ("J' serais", ["J'", "serais"]),
        ("l'11 septembre, d'1,5", ["l'", "11", "septembre", ",", "d'", "1,5"]),
        ("don't", ["don't"]),  # other inner apostrophes stay
        ("I'm c'mon l'2 l'", ["I'm", "c'", "mon", "l'", "2", "l'"]),
        ("de l'. «l'» jusqu'?!", ["de", "l'", ".", "«", "l'", "»", "jusqu'", "?", "!"]),
        ("in 1992.", ["in", "1992", "."]),
        ("3.5 km", ["3.5", "km"]),
        ("the U.S. and z.B.", ["the", "U.S.", "and", "z.B."]),  # abbreviations stay whole
        ("e.g., this", ["e.g.", ",", "this"]),
        ("Dr. Who", ["Dr", ".", "Who"]),  # no inner full stop: not told from a sentence end
        ("Wait...", ["Wait", "..."]),  # a run of one character stays one word
        ('"Stop!"', ['"', "Stop", "!", '"']),
        ("Really?!", ["Really", "?", "!"]),
        ("?! ...", ["?!", "..."]),  # punctuation alone stays as it is
        ("(see well-known)", ["(", "see", "well-known", ")"]),
        ("kommen, weil", ["kommen", ",", "weil"]),
        ("Haus\u2047.", ["Haus\u2047", "."]),  # the unknown-piece mark is not punctuation
        ("50 %", ["50", "%"]),
        ("लाइट बंद करो।", ["लाइट", "बंद", "करो", "।"]),  # the danda is punctuation
        ("¿Qué? aujourd'hui", ["¿", "Qué", "?", "aujourd'hui"]),
        ("", []),
    ],
)
def test_punctuation_at_the_ends_of_a_token_is_a_word(text, words):
    assert split_words(text) == words


def test_elided_words_stand_apart_in_french_text_only():
    """English "C'mon" stays one word: the elision rule is French's (``elides``)."""
    from models.text import elides

    text = "C'mon d'Artagnan, l'homme"
    assert split_words(text, elides("fr")) == ["C'", "mon", "d'", "Artagnan", ",", "l'", "homme"]
    for language in ("en", "de", "es", "hi"):
        assert split_words(text, elides(language)) == ["C'mon", "d'Artagnan", ",", "l'homme"]


def test_a_model_groups_each_side_by_its_language_and_reads_curly_quotes_plain():
    """en-fr: the English source keeps "C'mon" whole, the French target splits "J'"; a
    vocabulary that learnt plain quotes reads "\u2019" as "'", and says so."""
    from models.registry import DEFAULT_ROOT
    from models.tokenizer import Tokenizer

    proto = (DEFAULT_ROOT / "en-fr-bahdanau" / "tokenizer.model").read_bytes()
    tokenizer = Tokenizer(proto, ("en", "fr"))
    source = tokenizer.encode_source("C\u2019mon, it\u2019s late.")
    assert (
        source.words == ["C'mon", ",", "it's", "late", "."] and source.text == "C'mon, it's late."
    )
    assert tokenizer.unk_id not in source.ids
    assert source.notes == ["read with \u2019 (U+2019) as ': the quotes this model learnt"]
    target = tokenizer.encode_target("J\u2019ai froid.")
    assert target.words == ["J'", "ai", "froid", "."] and tokenizer.unk_id not in target.ids
    decoded = tokenizer.decode(target.ids[:-1])
    assert decoded.words == ["J'", "ai", "froid", "."]
    assert tokenizer.read("\u201cOui\u201d") == '"Oui"'
    # a vocabulary that has the curly quote keeps it
    bible = Tokenizer((DEFAULT_ROOT / "es-en-bahdanau" / "tokenizer.model").read_bytes())
    assert bible.read("\u201cLet\u201d") == "\u201cLet\u201d"
    # the Bible's English learnt the curly apostrophe alone: a typed "'" is read as it
    assert bible.read("don't") == "don\u2019t"
    assert bible.unk_id not in bible.encode_target("Don't go.").ids
    # and the curly double quotes alone: a typed '"' opens at a word's start, else closes
    said = bible.encode_target('"Let there be light," he said, "now".')
    assert said.text == "\u201cLet there be light,\u201d he said, \u201cnow\u201d."
    assert bible.unk_id not in said.ids
    assert said.notes == ['read with " (U+0022) as \u201c or \u201d: the quotes this model learnt']
    assert bible.read('"') == "\u201c" and bible.read('a"') == "a\u201d"
    assert bible.read('("a")') == "(\u201ca\u201d)"
    # a vocabulary with the plain double quote keeps it
    assert tokenizer.read('"Oui"') == '"Oui"'


def test_word_tokens_name_the_whitespace_token_of_each_word():
    text = "Sie kommen, weil U.S. «gut»."
    words = split_words(text)
    assert words == ["Sie", "kommen", ",", "weil", "U.S.", "«", "gut", "»", "."]
    assert word_tokens(text, words) == [0, 1, 1, 2, 3, 4, 4, 4, 4]
    with pytest.raises(ValueError, match="not a word"):
        word_tokens(text, ["weil", "Sie"])


def test_a_piece_across_a_word_border_keeps_every_piece_in_one_word():
    """A piece running over a word border ("s." of "lights." in one piece): the
    full stop has no piece of its own, so it joins "lights"; a special maps to -1."""
    text = "the lights."
    words, mapping = group_pieces(text, [0, 3, 9, None])  # ▁the, ▁light, s., </s>
    assert words == ["the", "lights."] and mapping == [0, 1, 1, -1]
    words, mapping = group_pieces(text, [0, 3, 10, None])  # ▁the, ▁lights, .
    assert words == ["the", "lights", "."] and mapping == [0, 1, 2, -1]
    # a word start piece that begins at the space before a word belongs to that word
    assert group_pieces("«a»", [0, 1, 2]) == (["«", "a", "»"], [0, 1, 2])
    assert group_pieces("a «b", [0, 1, 2, 3])[1] == [0, 1, 1, 2]
    assert group_pieces("a", [None]) == ([], [-1])


def check(seq):
    """Every piece maps to one word or -1, in order, and every word has a piece."""
    real = [w for w in seq.piece_to_word if w >= 0]
    assert len(seq.piece_to_word) == len(seq.pieces)
    assert real == sorted(real) and set(real) == set(range(len(seq.words)))
    assert "".join(seq.words) == seq.text.replace(" ", "")


def test_encode_and_decode_split_glued_punctuation(tokenizer):
    seq = tokenizer.encode("the cat sees the dog.", 100)
    check(seq)
    assert seq.words == ["the", "cat", "sees", "the", "dog", "."]
    stop = [p for p, w in zip(seq.pieces, seq.piece_to_word) if w == 5]
    assert stop and all(p.strip("\u2581") == "." for p in stop)
    back = tokenizer.decode(tokenizer.encode("der hund sieht.", 100).ids)
    check(back)
    assert back.text == "der hund sieht."  # the text keeps its spacing
    assert back.words == ["der", "hund", "sieht", "."]


def test_an_output_of_word_start_marks_alone_has_no_words(tokenizer):
    """A model may emit a lone word-start piece and stop: no text, no word, no crash."""
    mark = tokenizer.sp.piece_to_id("\u2581")
    for ids in ([mark], [mark, tokenizer.eos_id], [mark, mark, tokenizer.eos_id]):
        seq = tokenizer.decode(ids)
        assert seq.text == "" and seq.words == [] and seq.piece_to_word == [-1] * len(ids)
    assert group_pieces("", [0, None]) == ([], [-1, -1])
    seq = tokenizer.decode([mark, *tokenizer.encode("hund.", 10, add_eos=False).ids, mark])
    check(seq)
    assert seq.words == ["hund", "."] and seq.piece_to_word[0] == 0 and seq.piece_to_word[-1] == 1


def test_a_cut_text_ends_at_a_word_of_the_rule(tokenizer):
    full = tokenizer.encode("the dog. the cat.", 100, add_eos=False)
    cut = full.piece_to_word.index(2)  # the pieces up to the first "."
    seq = tokenizer.encode("the dog. the cat.", cut + 1, add_eos=False)
    check(seq)
    assert seq.truncated and seq.words == full.words[:3] and seq.text == "the dog."


def test_a_cut_inside_a_word_of_several_pieces_drops_the_whole_word(tokenizer):
    """A word-start piece begins on the space before its word: a limit that falls
    inside a word of several pieces ("\u2581jump" of "jumps") drops all of them, for
    every limit, and the note counts the words kept."""
    text = "the tired farmer paints the old teacher ."
    full = tokenizer.encode(text, 100, add_eos=False)
    ends = {e for b, e, _ in word_spans(text)}
    mid_word = 0
    for limit in range(3, len(full.ids)):
        seq = tokenizer.encode(text, limit, add_eos=False)
        check(seq)
        mid_word += full.piece_to_word[limit - 1] == full.piece_to_word[limit]
        assert seq.truncated and len(seq.ids) <= limit
        assert len(seq.text) in ends and text.startswith(seq.text)  # ends at a word's end
        assert seq.words == full.words[: len(seq.words)]
        assert seq.pieces[-1] != "\u2581"  # no word-start mark left alone at the end
        assert seq.notes == [
            f"cut to its first {plural(len(seq.words), 'word')} ({len(seq.ids)} pieces)"
        ]
    assert mid_word >= 5  # the limits fell inside words, not only between them


def test_word_views_and_the_probe_use_one_word_matrix(tokenizer):
    """The explorer's word view and the probe build the same matrix: a source word's
    pieces summed, a target word's pieces averaged, </s> its own column."""
    from models.engine import Translator
    from tests.conftest import tiny_model
    from viz.matrix import attention_view, word_matrix
    from viz.probe import word_weights

    translator = Translator(tiny_model(tokenizer, "bahdanau", "additive", seed=3), tokenizer)
    trace = translator.translate("the cat sees the dog.", force="der katze der hund sieht.")
    h, src = trace.best, trace.source
    assert src.words[-1] == "." and h.words[-1] == "."
    view = attention_view(trace, 0, "words")
    z = word_matrix(h.alphas, h.piece_to_word, src.piece_to_word)
    assert view.z.shape == z.shape == (len(h.words) + 1, len(src.words) + 1)  # + </s>
    np.testing.assert_allclose(view.z, z)
    np.testing.assert_allclose(z.sum(1), 1.0, atol=1e-5)  # each row stays a distribution
    for t in range(len(h.words)):
        rows = [i for i, w in enumerate(h.piece_to_word) if w == t]
        for s in range(len(src.words)):
            cols = [j for j, w in enumerate(src.piece_to_word) if w == s]
            assert z[t, s] == pytest.approx(h.alphas[np.ix_(rows, cols)].sum(1).mean(), 1e-6)
    words, end = word_weights(trace)
    np.testing.assert_allclose(words, z[:-1, :-1])
    np.testing.assert_allclose(end, z[:-1, -1])


def test_gold_token_indices_map_onto_split_words(tokenizer):
    """AER counts the gold file's whitespace tokens: a token the rule splits ("Dr.")
    still makes one row and one column, so the gold indices keep their meaning."""
    from models.engine import Translator
    from tests.conftest import tiny_model
    from training.evaluate import attention_links, token_matrix

    translator = Translator(tiny_model(tokenizer, "luong", "general", seed=1), tokenizer)
    en = ["the", "dog.", "sees", "the", "cat", "."]
    de = ["der", "hund.", "sieht", "die", "katze", "."]
    trace = translator.translate(" ".join(en), force=" ".join(de))
    assert len(trace.source.words) == len(en) + 1  # "dog." is two words
    z = token_matrix(trace)
    assert z.shape == (len(de), len(en))
    h, src = trace.best, trace.source
    t_tok = word_tokens(h.text, h.words)
    s_tok = word_tokens(src.text, src.words)
    rows = [i for i, w in enumerate(h.piece_to_word) if w >= 0 and t_tok[w] == 1]  # "hund."
    cols = [j for j, w in enumerate(src.piece_to_word) if w >= 0 and s_tok[w] == 1]  # "dog."
    assert len(rows) >= 2 and len(cols) >= 2
    assert z[1, 1] == pytest.approx(h.alphas[np.ix_(rows, cols)].sum(1).mean(), 1e-6)
    links = attention_links(translator, en, de)
    assert {t for t, _ in links} == set(range(len(de)))  # one link per gold token
    assert all(0 <= s < len(en) for _, s in links)
    assert links == {(t, int(z[t].argmax())) for t in range(len(de))}


def test_the_word_rule_imports_without_torch():
    """The views import the rule, and they must not pull torch in."""
    import subprocess
    import sys

    code = "import sys, models.text; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_probe_peaks_among_words_that_are_not_punctuation(tokenizer, monkeypatch):
    """The verb's row may weigh the English full stop most (it sits next to it): the
    probe asks which English word it looks at, so a punctuation column never wins."""
    from models.engine import Translator
    from tests.conftest import tiny_model
    from training import probe
    from viz import probe as rule

    translator = Translator(tiny_model(tokenizer, "bahdanau", "additive", seed=3), tokenizer)
    source, target = "the cat sees the dog.", "der hund sieht."
    z = np.full((4, 6), 0.05)
    z[2] = [0.05, 0.1, 0.3, 0.05, 0.05, 0.45]  # "sieht": "." most, then "sees"
    monkeypatch.setattr(rule, "word_weights", lambda trace: (z, np.zeros(4)))
    found = probe.probe_sentence(translator, source, target, "2-2 1-2")
    assert [(r["source_word"], r["target_word"], r["found"]) for r in found] == [
        ("cat", "sieht", False),
        ("sees", "sieht", True),
    ]
    assert found[1]["weight"] == 0.3


def test_the_page_counts_glued_punctuation_as_a_word(app_checkpoints, monkeypatch):
    """Explorer pills and the gold overlay use the rule: "dog." is two words, so the
    gold link 5-5 (source ".") is inside the sentence."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(app_checkpoints))
    app = AppTest.from_file(str(Path(__file__).parents[1] / "app.py"), default_timeout=60).run()
    app.text_area(key="source").set_value("the cat sees the dog.").run()
    assert not app.exception
    app.session_state["tab"] = "Gold alignment"
    app.run()
    assert any("Source: 6 words" in c.value for c in app.caption)
    app.text_area(key="gold:links").set_value("4-4 5-5").run()
    assert not app.exception
    assert not [w.value for w in app.warning if "outside the sentence" in w.value]
    assert {m.label for m in app.metric} >= {"AER", "Precision", "Recall"}


PUNCTUATED = st.lists(
    st.sampled_from(["der", "hund", ".", ",", "«", "»", "l'a", "U.S.", "x", "?!", "3.5", " "]),
    max_size=12,
).map("".join)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(text=PUNCTUATED)
def test_any_text_splits_into_words_that_cover_it(text):
    text = " ".join(text.split())
    spans = word_spans(text)
    assert "".join(split_words(text)) == text.replace(" ", "")
    assert all(b < e for b, e, _ in spans)
    assert [b for b, _, _ in spans] == sorted(b for b, _, _ in spans)
    assert word_tokens(text, split_words(text)) == [t for _, _, t in spans]


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(draws=st.lists(st.integers(0, 10**6), max_size=15))
def test_any_piece_ids_decode_to_a_consistent_map(tokenizer, draws):
    """Whatever a model emits (specials and unknowns included): every piece maps to one
    word (or -1 for specials), in order, every word has a piece, and the words cover
    the text."""
    ids = [d % tokenizer.vocab_size for d in draws]
    seq = tokenizer.decode([*ids, tokenizer.eos_id])
    check(seq)
    assert seq.piece_to_word[-1] == -1


def test_target_notes_say_what_reading_did_to_a_forced_target():
    """One rule for the command line and the trace export: the curly quote read as the
    plain one, the character the vocabulary lacks; the export carries them."""
    import json

    from models.registry import DEFAULT_ROOT
    from models.tokenizer import Tokenizer
    from models.unknown import target_notes
    from viz.export import trace_json

    proto = (DEFAULT_ROOT / "en-fr-bahdanau" / "tokenizer.model").read_bytes()
    tokenizer = Tokenizer(proto, ("en", "fr"))
    notes = target_notes(tokenizer, "J\u2019ai froid \u2603.")
    assert notes[0] == (
        "the forced target was read with \u2019 (U+2019) as ': the quotes this model learnt"
    )
    assert len(notes) == 2 and "lacks 1 character of the target: \u2603" in notes[1]
    assert target_notes(tokenizer, "J'ai froid.") == [] == target_notes(tokenizer)

    class Trace:  # the export reads to_dict() alone
        def to_dict(self):
            return {"notes": []}

    assert json.loads(trace_json(Trace(), notes))["target_notes"] == notes
    assert "target_notes" not in json.loads(trace_json(Trace()))


def test_an_unknown_piece_after_an_elided_word_splits_as_a_letter_would():
    """A decoded "l'\u2047homme" (an unknown piece after the apostrophe) has the same
    words as the typed text it was forced from: "l'" + the rest."""
    assert split_words("l'\u2047homme") == ["l'", "\u2047homme"]


@pytest.mark.parametrize(
    "typed, read",
    [
        ('"Go," he said.', "\u201cGo,\u201d he said."),
        ('he said ("now").', "he said (\u201cnow\u201d)."),
        ('\u00bf"Qu\u00e9"?', "\u00bf\u201cQu\u00e9\u201d?"),  # after opening punctuation
        ('said:"Go"', "said:\u201cGo\u201d"),  # no space either side: the opposite of the last
        ("'\"Hi,\" she said.'", "'\u201cHi,\u201d she said.'"),
        ('" Hello , " he said .', "\u201c Hello , \u201d he said ."),  # tokenized text
        ('"', "\u201c"),
        ('a"', "a\u201d"),
        ("no quotes", "no quotes"),
    ],
)
def test_a_plain_double_quote_is_read_as_the_curly_one_its_place_asks_for(typed, read):
    from models.text import curly_double_quotes

    assert curly_double_quotes(typed) == read and len(read) == len(typed)
