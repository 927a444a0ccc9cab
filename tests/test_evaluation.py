"""Evaluation pieces: AER arithmetic, gold reading, attention links, the IBM2 aligner."""

from __future__ import annotations

import math
from collections import defaultdict

import pytest

from training.aligner import DiagonalIBM2
from training.evaluate import aer, attention_links, by_length
from training.gold import GoldSentence
from viz.matrix import attention_view


def _sure(*sentences: set) -> list[GoldSentence]:
    """Gold sentences with sure links only (the words do not matter for AER)."""
    return [GoldSentence([], [], frozenset(s), frozenset(s)) for s in sentences]


def test_aer_with_sure_links():
    gold = _sure({(0, 0), (1, 1), (2, 2)})
    assert aer([{(0, 0), (1, 1), (2, 2)}], gold)["aer"] == 0.0
    result = aer([{(0, 0), (1, 2)}], gold)
    assert result["precision"] == 0.5 and result["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["aer"] == pytest.approx(1 - 2 * 1 / 5, abs=1e-4)


def test_reordered_links_are_those_that_cross():
    from viz.links import crossing

    # "ich habe das haus gesehen" / "i have seen the house": gesehen (4) <-> seen (2)
    gold = {(0, 0), (1, 1), (2, 3), (3, 4), (4, 2)}
    assert crossing(gold) == {(2, 3), (3, 4), (4, 2)}
    assert crossing({(0, 0), (1, 1), (2, 1)}) == set()  # one-to-many is not a crossing
    diagonal = aer([{(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)}], _sure(gold))
    assert diagonal["recall_monotone"] == 1.0 and diagonal["recall_reordered"] == 0.0
    verb = aer([{(4, 2), (3, 4)}], _sure(gold))
    assert verb["recall_reordered"] == pytest.approx(2 / 3, abs=1e-4)
    assert verb["reordered_links"] == 3


def test_by_length_buckets():
    sources = ["a b", " ".join(["w"] * 15), " ".join(["w"] * 60)]
    rows = by_length(sources, ["x y", "z", "q"], ["x y", "z", "r"])
    assert [r["n"] for r in rows] == [1, 1, 0, 0, 0, 1]
    assert rows[2]["bleu"] is None and rows[0]["bucket"] == "1-10" and rows[-1]["bucket"] == "51+"
    # lengths count the page's words: "w w w w w w w w w w." is 11 of them, "(a, b)" 5
    rows = by_length([" ".join(["w"] * 10) + ".", "(a, b)"], ["x", "y"], ["x", "y"])
    assert [r["n"] for r in rows[:2]] == [1, 1]


def test_attention_links_follow_the_largest_alpha(trained):
    translator, _ = trained["luong-general"]
    source, target = "the cat sees the dog .", "der katze der hund sieht ."
    links = attention_links(translator, source.split(), target.split())
    view = attention_view(translator.translate(source, force=target), level="words")
    expected = {(i, int(view.z[i, :-1].argmax())) for i in range(6)}  # </s> column left out
    assert links == expected


def test_ibm2_learns_word_translations():
    pairs = [
        (["the", "house"], ["das", "haus"]),
        (["the", "book"], ["das", "buch"]),
        (["a", "book"], ["ein", "buch"]),
        (["a", "house"], ["ein", "haus"]),
        (["the", "small", "house"], ["das", "kleine", "haus"]),
    ] * 3
    model = DiagonalIBM2().fit(pairs, iterations=8)
    assert model.align(["a", "small", "book"], ["ein", "kleine", "buch"]) == {
        (0, 0),
        (1, 1),
        (2, 2),
    }
    # crossing links are found when the words say so, against the diagonal prior
    assert model.align(["book", "the"], ["das", "buch"]) == {(0, 1), (1, 0)}


class _ReferenceIBM2:
    """The aligner in plain loops over dicts (as it was first written): the oracle."""

    def __init__(self, tension: float, p_null: float) -> None:
        self.tension, self.p_null, self.t = tension, p_null, {}

    def prob(self, e: str, f: str) -> float:
        return self.t.get(e, {}).get(f, 1e-7)

    def _scores(self, src: list[str], tgt: list[str], i: int) -> list[float]:
        """NULL's score of target word i, then each source word's."""
        m, n = len(tgt), len(src)
        prior = [math.exp(-self.tension * abs((i + 0.5) / m - (j + 0.5) / n)) for j in range(n)]
        z = sum(prior)
        null = self.p_null * self.prob("<null>", tgt[i])
        return [null] + [
            (1 - self.p_null) * p / z * self.prob(e, tgt[i]) for e, p in zip(src, prior)
        ]

    def fit(self, pairs: list, iterations: int) -> _ReferenceIBM2:
        self.t = {}  # the first E-step sees 1e-7 for every (e, f): one value, as uniform
        for _ in range(iterations):
            counts = defaultdict(lambda: defaultdict(float))
            for src, tgt in pairs:
                for i, f in enumerate(tgt):
                    scores = self._scores(src, tgt, i)
                    total = sum(scores) or 1.0
                    for e, s in zip(["<null>", *src], scores):
                        counts[e][f] += s / total
            totals = {e: sum(row.values()) for e, row in counts.items()}
            self.t = {e: {f: c / totals[e] for f, c in row.items()} for e, row in counts.items()}
        return self

    def align(self, src: list[str], tgt: list[str]) -> set[tuple[int, int]]:
        """The first source word of the greatest score; none where NULL's is as great."""
        links = set()
        for i in range(len(tgt)):
            scores = self._scores(src, tgt, i)
            if scores[0] < max(scores):
                links.add((i, scores.index(max(scores)) - 1))
        return links


@pytest.mark.parametrize("tension, p_null", [(4.0, 0.08), (1.5, 0.3)])
def test_ibm2_arrays_compute_the_reference_em(tension, p_null, monkeypatch):
    """The same p(f | e) and links as the loops: repeated words, words with no counterpart
    (NULL's), sentences of 1 to 8 words, and words never seen in training."""
    pairs = [
        (["the", "cat", "sees", "the", "dog"], ["le", "chat", "voit", "donc", "le", "chien"]),
        (["the", "dog", "sleeps"], ["le", "chien", "dort", "donc"]),
        (["i", "do", "not", "sleep"], ["je", "ne", "dors", "pas"]),
        (["the", "cat", "does", "not", "sleep"], ["le", "chat", "ne", "dort", "pas"]),
        (["a", "cat"], ["donc", "un", "chat"]),
        (["sleep", "!"], ["dors", "donc", "!"]),
        (["yes"], ["oui", ",", "bien", "sûr"]),
        (["the", "dog", "of", "the", "cat"], ["le", "chien", "du", "chat"]),
        (["a", "big", "dog", "sees", "a", "small", "cat", "."],
         ["un", "gros", "chien", "voit", "donc", "un", "petit", "chat", "."]),
    ]  # fmt: skip
    model = DiagonalIBM2(tension, p_null).fit(pairs, iterations=5)
    reference = _ReferenceIBM2(tension, p_null).fit(pairs, iterations=5)
    learnt = [(e, f) for e, row in reference.t.items() for f in row]
    assert len(model.keys) == len(learnt)
    for e, f in learnt:
        assert model.prob(e, f) == pytest.approx(reference.prob(e, f), rel=1e-9, abs=0)
    assert model.prob("yes", "chat") == model.prob("zebra", "chat") == 1e-7  # never seen
    unseen = [(["the", "zebra", "sleeps", "!"], ["le", "zèbre", "dort", "donc", "!"]),
              (["a", "small", "dog"], ["un", "chiot"]),
              (["zebra", "okapi"], ["zèbre"])]  # fmt: skip
    links = [reference.align(src, tgt) for src, tgt in pairs + unseen]
    assert [model.align(src, tgt) for src, tgt in pairs + unseen] == links
    nulls = sum(len(tgt) - len(found) for found, (_, tgt) in zip(links, pairs + unseen))
    assert nulls > 0 or p_null < 0.3  # "donc" and the unseen "zèbre" go to NULL at p_null 0.3
    monkeypatch.setattr("training.aligner.CHUNK", 5)  # the cells built a few at a time
    again = DiagonalIBM2(tension, p_null).fit(pairs, iterations=5)
    assert (again.keys == model.keys).all() and (again.t == model.t).all()
    # ties: the first of two equally likely source words, and NULL before a word
    assert model.align(["zebra", "okapi"], ["zèbre"]) == {(0, 0)}
    assert DiagonalIBM2(tension, p_null=0.5).fit(pairs).align(["zebra"], ["zèbre"]) == set()


@pytest.mark.parametrize("pack", [True, False])
def test_distinct_is_numpy_unique(pack):
    """The aligner's (e, f) pair index: packed sort and argsort agree with np.unique."""
    import numpy as np

    from training.aligner import distinct

    for code in [np.array([7, 3, 7, 0, 3, 3, 2**40]), np.arange(0), np.array([2**62, 5, 2**62])]:
        values, index = np.unique(code, return_inverse=True)
        found, found_index = distinct(code.copy(), pack)
        assert found.tolist() == values.tolist() and found_index.tolist() == index.tolist()


def test_evaluate_command_writes_the_card(app_checkpoints, tmp_path, pairs):
    """The whole evaluation on toy data: a test split and a 3-sentence gold alignment."""
    import json
    import shutil

    import torch

    from models.checkpoint import load_checkpoint
    from training.evaluate import alignment_only, evaluate, update_card

    folder = tmp_path / "en-xx-bahdanau"
    shutil.copytree(app_checkpoints / "en-xx-bahdanau", folder)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    test = pairs[350:370]
    (corpus / "test.tsv").write_text("".join(f"{s}\t{t}\n" for s, t in test))
    stats = {"splits": {"test": {"pairs": 20, "kinds": {"sentence": 20}}}}
    (corpus / "stats.json").write_text(json.dumps(stats))
    long = tmp_path / "long"  # a long-sentence set: two test pairs glued into one
    long.mkdir()
    glued = [(f"{a} {c}", f"{b} {d}") for (a, b), (c, d) in zip(test[:6:2], test[1:6:2])]
    (long / "test.tsv").write_text("".join(f"{s}\t{t}\n" for s, t in glued))
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "test.en").write_text("the cat sees the dog .\n")
    (gold / "test.de").write_text("der katze der hund sieht .\n")
    (gold / "de-en.wa").write_text("0-0 1-1 2-3 3-4 4-2 5-5\n")
    loaded = load_checkpoint(folder)
    result = evaluate(loaded, corpus, [gold], gold_pair="en-xx", long_corpus=long)
    update_card(loaded, result, torch.device("cpu"))
    card = json.loads((folder / "card.json").read_text())
    assert card["test"]["n"] == 20 and 0 <= card["test"]["bleu"] <= 100
    assert card["test"]["corpus"] == "corpus" and card["test"]["split_stats"]["pairs"] == 20
    # the long set is scored apart, with both decodings, and the card keeps no examples
    assert card["long"]["n"] == 3 and card["long"]["corpus"] == "long"
    assert card["long"]["greedy"]["bleu"] == result["long"]["greedy"]["bleu"]
    assert 0 <= card["long"]["beam5"]["bleu"] <= 100 and "examples" not in card["long"]["beam5"]
    assert card["long"]["greedy"]["bleu_signature"].startswith("nrefs:1")
    assert [r["bucket"] for r in card["test"]["by_length"]][0] == "1-10"
    assert card["test"]["by_length"][0]["n"] == 20
    assert card["test"]["bleu_signature"].startswith("nrefs:1")
    assert card["test"]["beam5"]["bleu"] >= 0
    assert 0 <= card["aer"] <= 1 and card["alignment"]["sentences"] == 1
    # the diagonal baseline on the same sentence: 3 of its 6 links are the gold's
    assert card["alignment"]["diagonal_aer"] == pytest.approx(1 - 2 * 3 / 12, abs=1e-4)

    # --alignment-only rewrites the attention figures and keeps the test scores
    card["aer"], card["alignment"] = None, None
    (folder / "card.json").write_text(json.dumps(card))
    loaded = load_checkpoint(folder)
    update_card(loaded, alignment_only(loaded, [gold], gold_pair="en-xx"), torch.device("cpu"))
    again = json.loads((folder / "card.json").read_text())
    assert again["test"] == card["test"] and again["aer"] == result["alignment"]["aer"]
    assert alignment_only(loaded, [gold]) == {"reorder_probe": None}  # not the gold's pair
    update_card(load_checkpoint(folder), alignment_only(loaded, None), torch.device("cpu"))
    assert json.loads((folder / "card.json").read_text())["aer"] == again["aer"]  # kept


def test_report_table_and_length_check():
    from training.report import checks, long_table, main_table, probe_table, test_splits

    def card(pair, attention, bleu, short, long, alignment=None):
        rows = [
            {"bucket": "1-10", "n": 10, "bleu": short},
            {"bucket": "31-40", "n": 5, "bleu": long},
        ]
        test = {"bleu": bleu, "chrf": 1.0, "by_length": rows, "greedy": {"by_length": rows}}
        test["beam5"] = {"bleu": bleu, "chrf": 1.0, "by_length": rows}
        training = {"steps": 10, "seconds": 60, "hardware": "CPU"}
        return {"pair": pair, "attention": attention, "params": 5, "test": test,
                "training": training, "alignment": alignment}  # fmt: skip

    al = {"aer": 0.5, "precision": 0.4, "recall": 0.6, "recall_reordered": 0.2,
          "recall_monotone": 0.7}  # fmt: skip
    cards = {"es-en-bahdanau": card("es-en", "bahdanau", 20, 12, 30, al),
             "es-en-none": card("es-en", "none", 10, 8, 10)}  # fmt: skip
    table = main_table(cards, {**al, "aer": 0.3})
    assert table[0].endswith("| R reordered | R monotone |")
    assert table[2].endswith("| 0.5 | 0.4 | 0.6 | 0.2 | 0.7 |")
    assert table[3].endswith("| – | – | – | – | – |") and "| 0.3 |" in table[4]
    assert "| 10 | 1 min, CPU |" in table[2]
    # a two-stage model (en-hi): both stages' steps and minutes
    cards["es-en-none"]["training"]["init_training"] = {"steps": 4, "seconds": 120}
    assert "| 4 + 10 | 3 min, CPU |" in main_table(cards, None)[3]
    del cards["es-en-none"]["training"]["init_training"]
    lines = checks(cards)
    assert lines[0] == "- PASS: es-en-bahdanau BLEU 20 vs es-en-none 10 (greedy); beam 5 20 vs 10"
    # beam 5 counts too: a model without attention ahead there is a miss
    cards["es-en-none"]["test"]["beam5"]["bleu"] = 21
    assert checks(cards)[0].startswith("- MISS: es-en-bahdanau BLEU 20 vs es-en-none 10")
    cards["es-en-none"]["test"]["beam5"]["bleu"] = 10
    assert "PASS" in lines[1] and "ratio 5.00" in lines[1]  # gap 4 short, 20 long
    cards["es-en-bahdanau"]["reorder_probe"] = {"found": 3, "of": 10, "mean_weight": 0.2,
                                                "mean_end_weight": 0.4}  # fmt: skip
    lines = checks(cards)
    assert "MISS: es-en-bahdanau finds 3 of 10 probe links" in lines[1]
    cards["es-en-bahdanau"]["reorder_probe"]["found"] = 6
    assert "PASS: es-en-bahdanau finds 6 of 10" in checks(cards)[1]
    assert probe_table(cards)[2:] == ["| es-en-bahdanau | 6 of 10 | 0.2 | 0.4 |"]
    split = {"pairs": 1500, "kinds": {"verse": 1400, "message": 100}}
    cards["es-en-none"]["training"]["corpus_stats"] = {"splits": {"test": split}}
    assert test_splits(cards) == "es-en: 1,500 pairs (kinds: verse 1,400, message 100)"
    # the split the evaluation scored wins over the training corpus's own test split
    cards["es-en-none"]["test"]["split_stats"] = {"pairs": 7, "kinds": {"sentence": 7}}
    assert test_splits(cards) == "es-en: 7 pairs (kinds: sentence 7)"
    assert long_table(cards) == []  # no long-sentence set scored
    scores = {"greedy": {"bleu": 3.1, "chrf": 25.5}, "beam5": {"bleu": 4.2, "chrf": 26.0}}
    cards["es-en-bahdanau"]["long"] = {"n": 500, "corpus": "en-fr-bible", **scores,
                                       "split_stats": {"mean_src_words": 25.05}}  # fmt: skip
    table = long_table(cards)
    assert "500 held-out Bible verses (en-fr-bible, 25.05 source words" in table[0]
    assert table[4:] == ["| es-en-bahdanau | 3.1 | 25.5 | 4.2 | 26.0 |", ""]


def test_reorder_probe_reads_the_attention_peak(trained, monkeypatch):
    """Each hand link is found exactly when the German word's attention peaks on its
    English word; the reported weights are that row's word-level alphas."""
    from training import probe

    translator, _ = trained["luong-general"]
    source, target = "the cat sees the dog .", "der katze der hund sieht ."
    view = attention_view(translator.translate(source, force=target), level="words")
    peak = int(view.z[4, :-1].argmax())  # where "sieht" looks (</s> column left out)
    other = next(j for j in range(6) if j != peak)
    links = f"{peak}-4 {other}-1"
    monkeypatch.setitem(probe.CLASSIC, "en-xx", [(source, target, links), ("a", "b", "")])
    result = probe.reorder_probe(translator, "en-xx")
    by_word = {row["target_word"]: row for row in result["items"]}
    assert result["of"] == 2
    assert by_word["sieht"]["found"] is True
    assert by_word["sieht"]["weight"] == pytest.approx(view.z[4, peak], abs=1e-3)
    assert by_word["sieht"]["end_weight"] == pytest.approx(view.z[4, -1], abs=1e-3)
    assert by_word["katze"]["found"] == (int(view.z[1, :-1].argmax()) == other)
    assert result["found"] == 1 + by_word["katze"]["found"]
    assert probe.reorder_probe(translator, "xx-yy") is None
    monkeypatch.setitem(probe.CLASSIC, "en-xx", [(source, target, "9-1")])
    with pytest.raises(ValueError, match="bad probe links"):
        probe.reorder_probe(translator, "en-xx")


def test_classic_probe_links_join_a_verb_to_the_end_of_its_clause():
    """The hand links of the app's en-de examples parse as the app's words (a comma or
    full stop is a word), and every German word linked ends its clause (the last word
    before a full stop or comma, or a participle before the final auxiliary)."""
    from models.text import is_punctuation, split_words
    from training.examples import CLASSIC
    from viz.links import parse_links

    linked = [row for row in CLASSIC["en-de"] if row[2]]
    assert len(linked) == 7  # the software-message sentences left with the Ding corpus
    for source, reference, links in linked:
        src, tgt = split_words(source), split_words(reference)
        found, problems = parse_links(links, len(src), len(tgt))
        assert found and not problems, source
        for t, s in found:
            assert not is_punctuation(tgt[t][0]) and not is_punctuation(src[s][0]), source
            assert tgt[t + 1] in {".", ","} or tgt[t + 1 :] == ["werden", "."], source
    assert all(links == "" for *_, links in CLASSIC["es-en"])


def test_everyday_check_scores_every_sentence_and_reports_it(app_checkpoints):
    """The hand-written check set: one reference per pair it covers, scored greedy and
    beam 5 with sacrebleu, every beam-5 output kept, and a table in the report."""
    from models.checkpoint import load_checkpoint
    from models.engine import Translator
    from models.unknown import script_note
    from training.evaluate import everyday_scores
    from training.everyday import EVERYDAY, everyday_pairs
    from training.report import everyday_table

    fr, de = everyday_pairs("en-fr"), everyday_pairs("en-de")
    assert len(fr) == len(de) == len(EVERYDAY) >= 40 and everyday_pairs("es-en") == []
    assert [s for s, _ in fr] == [s for s, _ in de] and fr[0][1] != de[0][1]
    # the Hindi column: en-hi reads the English, hi-en the Hindi (each a Devanagari text)
    en_hi, hi_en = everyday_pairs("en-hi"), everyday_pairs("hi-en")
    assert en_hi == [(e, h) for h, e in hi_en] and [s for s, _ in en_hi] == [s for s, _ in fr]
    assert all(script_note(h, "hi") is None and script_note(h, "en") for h, _ in hi_en)
    assert len({h for h, _ in hi_en}) == len(hi_en)
    loaded = load_checkpoint(app_checkpoints / "en-xx-bahdanau")
    result = everyday_scores(Translator(loaded.model, loaded.tokenizer), fr[:6])
    assert result["n"] == 6 and len(result["outputs"]) == 6
    assert result["beam5"]["bleu_signature"].startswith("nrefs:1")
    assert [o["source"] for o in result["outputs"]] == [s for s, _ in fr[:6]]
    table = everyday_table({"m": {"everyday": result}, "other": {}})
    assert len(table) == 6 and table[4].startswith(f"| m | {result['greedy']['bleu']} |")
