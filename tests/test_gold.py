"""Reading the two gold-alignment formats and scoring against sure and possible links
(fixtures written here, in the sets' formats)."""

from __future__ import annotations

import pytest

from training.gold import aer, diagonal_links, gold_pair, read_gold_set


@pytest.fixture
def deen(tmp_path):
    folder = tmp_path / "deen"
    folder.mkdir()
    (folder / "test.de").write_text("ich habe es gesehen\nja\n", encoding="utf-8")
    (folder / "test.en").write_text("i have seen it\nyes\n", encoding="utf-8")
    (folder / "de-en.wa").write_text("0-0 1-1 2-3 3-2\n0-0\n", encoding="utf-8")
    return folder


@pytest.fixture
def enfr(tmp_path):
    folder = tmp_path / "enfr"
    folder.mkdir()
    (folder / "enfr.src-tgt").write_text(
        "the black cat .   ||| le chat noir .  \nit is .   ||| ce est .  \n", encoding="utf-8"
    )
    (folder / "enfr.gold").write_text("1-1 2-3 3-2 4-4 1p2\n1-1 2p2 3-3\n", encoding="utf-8")
    return folder


def test_deen_is_read_for_an_en_de_model(deen):
    pair, rows = read_gold_set(deen)
    assert pair == "en-de" and gold_pair(deen) == "en-de"
    assert rows[0].source == ["i", "have", "seen", "it"]
    assert rows[0].target == ["ich", "habe", "es", "gesehen"]
    # (German target, English source): "es" (2) - "it" (3), "gesehen" (3) - "seen" (2)
    assert rows[0].sure == {(0, 0), (1, 1), (2, 3), (3, 2)} == rows[0].possible


def test_enfr_is_one_based_with_possible_links(enfr):
    pair, rows = read_gold_set(enfr)
    assert pair == "en-fr"
    assert rows[0].source == ["the", "black", "cat", "."]
    assert rows[0].target == ["le", "chat", "noir", "."]
    assert rows[0].sure == {(0, 0), (2, 1), (1, 2), (3, 3)}
    assert rows[0].possible == rows[0].sure | {(1, 0)}
    assert rows[1].sure == {(0, 0), (2, 2)} and rows[1].possible == {(0, 0), (1, 1), (2, 2)}


def test_aer_with_sure_and_possible_links(enfr, deen):
    _, rows = read_gold_set(enfr)
    perfect = [set(r.sure) for r in rows]
    assert aer(perfect, rows)["aer"] == pytest.approx(0.0)
    # a possible-only link costs nothing in AER and counts for precision
    extra = [set(r.sure) | {(1, 1)} if k == 1 else set(r.sure) for k, r in enumerate(rows)]
    assert aer(extra, rows)["aer"] == pytest.approx(0.0)
    assert aer(extra, rows)["precision"] == pytest.approx(1.0)
    # a wrong link: |A|=4+1, |S|=4+2; hits S=3 (sentence 0 minus one), P=3
    wrong = [{(0, 0), (2, 1), (1, 2), (3, 0)}, set()]
    expected = 1 - (3 + 3) / (4 + 6)
    assert aer(wrong, rows)["aer"] == pytest.approx(expected)
    # sure links only: the usual 1 - 2|A n S| / (|A| + |S|)
    _, de = read_gold_set(deen)
    guess = [{(0, 0), (1, 1), (2, 2), (3, 3)}, {(0, 0)}]
    assert aer(guess, de)["aer"] == pytest.approx(1 - 2 * 3 / (5 + 5))


def test_diagonal_links():
    assert diagonal_links(4, 4) == {(0, 0), (1, 1), (2, 2), (3, 3)}
    assert diagonal_links(2, 4) == {(0, 0), (1, 0), (2, 1), (3, 1)}
    assert diagonal_links(5, 1) == {(0, 2)}
    assert diagonal_links(0, 3) == set()


def test_an_unknown_folder_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="enfr.gold"):
        gold_pair(tmp_path)


def test_french_is_written_back_as_a_model_reads_it():
    """Elisions and contractions are written back; each gold token takes the unit of the
    written text that holds it: the elided "l'" apart from its noun, "du" one unit."""
    from models.text import split_words, word_units
    from training.gold import french_surface, written_target

    assert french_surface(["à", "le", "heure", "actuelle"]) == (
        ["à", "l'heure", "actuelle"],
        [0, 1, 2, 3],
    )
    assert french_surface(["de", "le", "comité"]) == (["du", "comité"], [0, 0, 1])
    assert french_surface(["de", "le", "accident"]) == (["de", "l'accident"], [0, 1, 2])
    assert french_surface(["de", "les", "échantillons"]) == (["des", "échantillons"], [0, 0, 1])
    written = (["j'ai", "dit", "qu'il"], [0, 1, 2, 3, 4])
    assert french_surface(["je", "ai", "dit", "que", "il"]) == written
    assert french_surface(["si", "elle"]) == (["si", "elle"], [0, 1])
    assert french_surface(["si", "il", "."]) == (["s'il", "."], [0, 1, 2])
    assert french_surface(["Le", "Orateur"]) == (["L'Orateur"], [0, 1])
    tokens = ["ich", "habe", "es"]
    assert written_target("en-de", tokens) == (tokens, [0, 1, 2])
    # German words keep an apostrophe inside, as the en-de model's words do
    assert written_target("en-de", ["l'Orateur", "."]) == (["l'Orateur", "."], [0, 1])
    # the units are the ones the rows are built from
    for tokens in (["à", "le", "heure", "de", "le", "comité", "."], ["je", "ai", "dit"]):
        words, owner = french_surface(tokens)
        text = " ".join(words)
        assert max(owner) == max(word_units(text, split_words(text)))


def test_attention_links_map_written_words_back_to_gold_tokens(trained):
    """Each gold token takes the row of the written word that holds it."""
    import numpy as np

    from training.evaluate import attention_links, token_matrix

    translator, _ = trained["luong-general"]
    source = ["the", "cat", "sees", "the", "dog", "."]
    links = attention_links(translator, source, ["de", "le", "chat", "."], "en-fr")
    z = token_matrix(translator.translate(" ".join(source), force="du chat ."))
    rows = [int(np.argmax(z[w])) for w in (0, 0, 1, 2)]
    assert links == {(k, s) for k, s in enumerate(rows)}
    # a tokenizer without "'" reads "l'ami" as one piece-run ("l\u2047ami"): "le" and
    # "ami" fall back to the row of the whole token
    links = attention_links(translator, source, ["le", "ami", "."], "en-fr")
    trace = translator.translate(" ".join(source), force="l'ami .")
    assert len(trace.best.words) == 2
    z = token_matrix(trace, elided_apart=False)
    assert links == {(k, int(np.argmax(z[w]))) for k, w in enumerate((0, 0, 1))}


def test_an_elided_article_takes_its_own_row():
    """With the shipped en-fr model (its pieces part at the apostrophe), the Hansards'
    "le ordre" is forced as "l'ordre", and "le" takes the row of "l'", "ordre" its own."""
    import numpy as np

    from models.checkpoint import load_checkpoint
    from models.engine import Translator
    from models.registry import DEFAULT_ROOT
    from training.evaluate import attention_links, token_matrix

    loaded = load_checkpoint(DEFAULT_ROOT / "en-fr-bahdanau")
    translator = Translator(loaded.model, loaded.tokenizer, loaded.name)
    source = ["the", "order", "of", "the", "day", "."]
    links = attention_links(translator, source, ["le", "ordre", "de", "le", "jour", "."], "en-fr")
    trace = translator.translate(" ".join(source), force="l'ordre du jour .")
    assert trace.best.words == ["l'", "ordre", "du", "jour", "."]
    z = token_matrix(trace)
    assert z.shape == (5, 6)
    rows = [int(np.argmax(z[u])) for u in (0, 1, 2, 2, 3, 4)]
    assert links == set(enumerate(rows))
    assert not np.allclose(z[0], z[1])  # the article and its noun no longer share a row


def test_shifted_rows_take_the_next_or_previous_words_row():
    import numpy as np

    from training.evaluate import argmax_links

    z = np.array([[0.9, 0.1, 0.0], [0.1, 0.2, 0.7], [0.0, 0.8, 0.2]])
    owner = [0, 1, 1, 2]  # token 2 is written inside word 1 ("l'heure")
    assert argmax_links(z, owner) == {(0, 0), (1, 2), (2, 2), (3, 1)}
    assert argmax_links(z, owner, 1) == {(0, 2), (1, 1), (2, 1), (3, 1)}
    assert argmax_links(z, owner, -1) == {(0, 0), (1, 0), (2, 0), (3, 2)}
    assert argmax_links(np.zeros((2, 0)), [0, 1]) == set()


def test_typed_links_read_sure_and_possible_kinds():
    """``i-j`` is sure; ``i?j`` and ``ipj`` (the Hansards set's mark) are possible; links
    are (target, source), 0-based; possible holds sure; a link typed both ways is sure."""
    from viz.links import parse_gold, parse_links

    gold, problems = parse_gold("0-0 1-1", n_source=3, n_target=3)
    assert not problems and gold.sure == {(0, 0), (1, 1)} == gold.possible
    gold, problems = parse_gold("0-0 1-1 2?2 0p1 1?1", n_source=3, n_target=3)
    assert not problems
    assert gold.sure == {(0, 0), (1, 1)}
    assert gold.possible == {(0, 0), (1, 1), (2, 2), (1, 0)}
    gold, _ = parse_gold("2?2", n_source=3, n_target=3)
    assert gold and not gold.sure and gold.possible == {(2, 2)}
    assert not parse_gold("", 3, 3)[0]
    # the probes' hand links do not tell kinds apart: every link read
    assert parse_links("0-0 2?2", 3, 3) == ({(0, 0), (2, 2)}, [])


@pytest.mark.parametrize("token", ["5-4-P", "x-y", "1:2", "0-", "1?", "1pp2", "1-2-S"])
def test_a_typed_link_that_cannot_be_read_names_the_accepted_forms(token):
    from viz.links import POSSIBLE_FORMS, SURE_FORM, parse_gold

    gold, problems = parse_gold(f"0-0 {token}", n_source=9, n_target=9)
    assert gold.possible == {(0, 0)} and len(problems) == 1
    assert problems[0].startswith(f"'{token}' is not ")
    assert all(form in problems[0] for form in (SURE_FORM, *POSSIBLE_FORMS))


def test_a_long_token_that_cannot_be_read_is_cut_visibly():
    from viz.links import TOKEN_CHARS, parse_gold

    token = "abcdefghijklmnopqrstuvwxyz0123"
    _, problems = parse_gold(token, n_source=3, n_target=3)
    named = problems[0].split("'")[1]
    assert len(named) <= TOKEN_CHARS and named.endswith("\u2026")  # not a token never typed
    assert token.startswith(named[:-1])


def test_a_typed_link_outside_the_sentence_is_named_and_left_out():
    from viz.links import parse_gold

    gold, problems = parse_gold("0-0 3-0 0?3 2p2", n_source=3, n_target=3)
    assert gold.sure == {(0, 0)} and gold.possible == {(0, 0), (2, 2)}
    assert len(problems) == 2 and all("outside the sentence (3 x 3 words)" in p for p in problems)


def test_aer_with_possible_links_by_hand_and_one_rule_for_page_and_evaluation():
    """A = {0-0, 1-1, 1-2, 3-3} (source-target), S = {0-0, 1-1, 2-2}, P = S + {1-2, 2-3}:
    |A n S| = 2, |A n P| = 3, so AER = 1 - (2 + 3) / (4 + 3) = 2/7, precision 3/4,
    recall 2/3.  Sure links only: 1 - 2 * 2 / 7."""
    import training.gold
    import viz.links
    from training.gold import GoldSentence
    from viz.links import alignment_scores

    a = {(0, 0), (1, 1), (2, 1), (3, 3)}  # (target, source)
    s = {(0, 0), (1, 1), (2, 2)}
    p = s | {(2, 1), (3, 2)}
    scores = alignment_scores(a, s, p)
    assert scores["aer"] == pytest.approx(2 / 7)
    assert scores["precision"] == pytest.approx(3 / 4)
    assert scores["recall"] == pytest.approx(2 / 3)
    # S is possible too, whether or not P lists it
    assert alignment_scores(a, s, p - s) == scores
    # only sure links: the sure-only numbers
    assert alignment_scores(a, s) == alignment_scores(a, s, s)
    assert alignment_scores(a, s)["aer"] == pytest.approx(1 - 2 * 2 / 7)
    # the gold-set evaluation scores one sentence with this very function
    sentence = GoldSentence(["w"] * 4, ["w"] * 4, frozenset(s), frozenset(p))
    assert aer([a], [sentence]) == scores
    assert training.gold.alignment_scores is viz.links.alignment_scores
