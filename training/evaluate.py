"""Evaluate checkpoints: BLEU and chrF on the test split (overall and by source length,
greedy and beam 5), and attention as alignment (AER against hand alignments).

    python -m training.evaluate --checkpoint checkpoints/en-fr-* [--corpus corpora/en-fr]
        [--long-corpus corpora/en-fr-bible] [--gold DIR [DIR ...]] [--write-card]

``--gold`` names hand-aligned folders (:mod:`training.gold`: the de-en Europarl set for
en-de models, the en-fr Hansards set for en-fr models); each model is scored on the one
of its pair, beside the diagonal baseline.  They are read by path and never trained on.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import sacrebleu

from data.splits import bucket_labels, length_bucket
from models.checkpoint import LoadedModel, load_checkpoint
from models.device import describe, resolve_device
from models.engine import DecodeSettings, Translator
from models.text import split_words, token_units, word_tokens, word_units
from models.trace import DecodeTrace
from viz.links import alignment_scores as link_scores
from viz.links import crossing
from viz.matrix import word_matrix

from .corpus import read_tsv
from .everyday import everyday_pairs
from .gold import GoldSentence, Link, diagonal_links, read_gold_set, written_target
from .gold import aer as gold_aer
from .gold import gold_pair as detect_gold_pair
from .probe import reorder_probe
from .recipe import EN_FR

# A pair's long-sentence set: the test split of the corpus its recipe trains on when that
# corpus adds long pairs to the everyday ones (en-fr: held-out Bible verses of 15-40
# words, built by ``python -m data.build --pairs en-fr-bible``), scored beside the
# everyday test split where it has been built.
LONG_SETS = {"en-fr": Path(EN_FR["corpus"])}


def translate_all(translator: Translator, sources: list[str], beam: int, batch: int = 0):
    """Best hypothesis text per source, decoded in length-sorted batches (on a GPU,
    greedy takes the whole split in one call: the fixed-shape path batches it)."""
    on_gpu = translator.decoder.device.type == "cuda"
    batch = batch or (len(sources) if on_gpu and beam == 1 else 64)
    order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
    out = [""] * len(sources)
    settings = DecodeSettings(beam=beam, length_penalty=1.0, topk=1)
    for k in range(0, len(order), batch):
        idx = order[k : k + batch]
        for i, trace in zip(idx, translator.translate_batch([sources[i] for i in idx], settings)):
            out[i] = trace.best.text
    return out


def bleu_chrf(hyps: list[str], refs: list[str]) -> dict:
    bleu = sacrebleu.metrics.BLEU()
    chrf = sacrebleu.metrics.CHRF()
    b, c = bleu.corpus_score(hyps, [refs]), chrf.corpus_score(hyps, [refs])
    return {
        "bleu": round(b.score, 2),
        "chrf": round(c.score, 2),
        "bleu_signature": str(bleu.get_signature()),
        "chrf_signature": str(chrf.get_signature()),
    }


def by_length(
    sources: list[str], hyps: list[str], refs: list[str], elide: bool = True
) -> list[dict]:
    """BLEU per bucket of source length in words, the page's words (``split_words``:
    punctuation is a word of its own; ``elide``: the source language's elided words
    apart, ``models.text.elides``), so that the page places a sentence in the bucket it
    was measured in."""
    buckets = [length_bucket(len(split_words(s, elide))) for s in sources]
    rows = []
    for name in bucket_labels():
        idx = [i for i, b in enumerate(buckets) if b == name]
        score = (
            sacrebleu.corpus_bleu([hyps[i] for i in idx], [[refs[i] for i in idx]]).score
            if idx
            else None
        )
        rows.append({"bucket": name, "n": len(idx),
                     "bleu": None if score is None else round(score, 2)})  # fmt: skip
    return rows


DECODINGS = ((1, "greedy"), (5, "beam5"))  # every score is reported for both


def decode_both(translator: Translator, sources: list[str]):
    """(key, outputs, seconds) of greedy search and of beam 5, one after the other."""
    for beam, key in DECODINGS:
        start = time.time()
        hyps = translate_all(translator, sources, beam)
        yield key, hyps, round(time.time() - start, 1)


def test_scores(translator: Translator, rows: list[tuple[str, str]], limit: int | None) -> dict:
    rows = rows[:limit] if limit else rows
    sources, refs = [s for s, _ in rows], [t for _, t in rows]
    out: dict = {"n": len(rows)}
    elide = translator.tokenizer.source_elides  # the page's words of these sources
    for key, hyps, seconds in decode_both(translator, sources):
        out[key] = {**bleu_chrf(hyps, refs), "by_length": by_length(sources, hyps, refs, elide),
                    "seconds": seconds}  # fmt: skip
        out[key]["examples"] = [
            {"source": s, "reference": r, "output": h}
            for s, r, h in list(zip(sources, refs, hyps))[:5]
        ]
    return out


def aer(predicted: list[set[Link]], gold: list[GoldSentence]) -> dict:
    """Corpus-level AER / precision / recall (:func:`training.gold.aer`: sure and possible
    links), and the recall of the sure links that cross another (reordering) and of the
    rest."""
    scores = gold_aer(predicted, gold)
    pooled_a = {(k, *link) for k, links in enumerate(predicted) for link in links}
    pooled_s = {(k, *link) for k, g in enumerate(gold) for link in g.sure}
    crossed = {(k, *link) for k, g in enumerate(gold) for link in crossing(set(g.sure))}
    scores["recall_reordered"] = link_scores(pooled_a, crossed)["recall"]
    scores["recall_monotone"] = link_scores(pooled_a, pooled_s - crossed)["recall"]
    return {
        **{k: round(v, 4) for k, v in scores.items()},
        "reordered_links": len(crossed),
        "sentences": len(gold),
    }


def token_matrix(trace: DecodeTrace, elided_apart: bool = True) -> np.ndarray:
    """(target units, source tokens) of the best hypothesis: the word matrix
    (``viz.matrix.word_matrix``) with whitespace tokens as units, since a gold file's
    indices count the tokens of its pre-tokenized text.  The word rule leaves such a
    token whole but for a few ("Dr." is "Dr" + "."): those still make one row/column.
    A target's French elided word is a row of its own (``word_units``: "l'" of "l'ordre",
    the Hansards' "le ordre" written back), unless not ``elided_apart``."""
    h, src = trace.best, trace.source
    rows = (word_units if elided_apart else word_tokens)(h.text, h.words)
    cols = word_tokens(src.text, src.words)
    z = word_matrix(
        h.alphas,
        [rows[w] if w >= 0 else -1 for w in h.piece_to_word],
        [cols[w] if w >= 0 else -1 for w in src.piece_to_word],
    )
    n_rows, n_cols = (rows[-1] + 1 if rows else 0), (cols[-1] + 1 if cols else 0)
    return z[:n_rows, :n_cols]  # </s> left out (specials come last)


SHIFTS = (-1, 1)  # rows one word behind / ahead, for the diagnosis of attention's timing


def forced_rows(
    translator: Translator, source: list[str], target: list[str], pair: str = ""
) -> tuple[np.ndarray, list[int]]:
    """Force the reference ``target`` tokens as a model of ``pair`` reads them
    (:func:`training.gold.written_target`): (written units x source tokens, the written
    unit of each target token)."""
    words, owner = written_target(pair, target)
    trace = translator.translate(" ".join(source), force=" ".join(words))
    z = token_matrix(trace)
    unit_token = [t for t, token in enumerate(words) for _ in range(token_units(token))]
    if len(z) != len(unit_token):  # a piece ran over an elision's apostrophe: whole tokens
        return token_matrix(trace, elided_apart=False), [unit_token[u] for u in owner]
    return z, owner


def argmax_links(z: np.ndarray, owner: list[int], shift: int = 0) -> set[Link]:
    """Each target token links to the source token its written unit's row attends to most
    (``shift``: the row that many words later, clipped at the ends; +1 asks whether the
    attention runs one word ahead of the word it emits)."""
    if not z.shape[1]:
        return set()
    last = z.shape[0] - 1
    return {(k, int(z[min(max(w + shift, 0), last)].argmax())) for k, w in enumerate(owner)}


def attention_links(
    translator: Translator, source: list[str], target: list[str], pair: str = ""
) -> set[Link]:
    """The attention's links for a forced reference (source pieces summed, target pieces
    averaged; </s> excluded)."""
    return argmax_links(*forced_rows(translator, source, target, pair))


def gold_alignment(translator: Translator, gold_dir: Path) -> dict:
    """AER of the attention's argmax links on a gold set, beside the diagonal baseline on
    the same sentences, and the AER of rows shifted by one word (:data:`SHIFTS`)."""
    pair, gold = read_gold_set(gold_dir)
    rows = [forced_rows(translator, g.source, g.target, pair) for g in gold]
    diagonal = [diagonal_links(len(g.source), len(g.target)) for g in gold]
    shifted = {f"{shift:+d}": aer([argmax_links(z, o, shift) for z, o in rows], gold)["aer"]
               for shift in SHIFTS}  # fmt: skip
    return {**aer([argmax_links(z, o) for z, o in rows], gold), "gold": gold_dir.name,
            "diagonal_aer": aer(diagonal, gold)["aer"], "aer_rows_shifted": shifted}  # fmt: skip


def everyday_scores(translator: Translator, rows: list[tuple[str, str]]) -> dict:
    """BLEU and chrF on the hand-written everyday check (:mod:`training.everyday`), greedy
    and beam 5, with every beam-5 output (the set is small enough to read)."""
    sources, refs = [s for s, _ in rows], [t for _, t in rows]
    outputs = {key: hyps for key, hyps, _ in decode_both(translator, sources)}
    out: dict = {"n": len(rows), **{key: bleu_chrf(hyps, refs) for key, hyps in outputs.items()}}
    out["outputs"] = [{"source": s, "reference": r, "output": h}
                      for s, r, h in zip(sources, refs, outputs["beam5"])]  # fmt: skip
    return out


def matching_gold(golds: list[Path], pair: str, gold_pair: str | None = None) -> Path | None:
    """The gold folder that evaluates a model of ``pair`` (``gold_pair`` overrides the pair
    a folder is for)."""
    return next((g for g in golds if (gold_pair or detect_gold_pair(g)) == pair), None)


def split_stats(corpus: Path, split: str = "test") -> dict | None:
    """The build's description of one split of ``corpus`` (its ``stats.json``), if any."""
    path = corpus / "stats.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get("splits", {}).get(split)


def evaluate(
    loaded: LoadedModel,
    corpus: Path,
    gold: list[Path] | None,
    limit: int | None = None,
    gold_pair: str | None = None,
    long_corpus: Path | None = None,
) -> dict:
    translator = Translator(loaded.model, loaded.tokenizer, loaded.name)
    result = {"test": test_scores(translator, read_tsv(corpus / "test.tsv"), limit)}
    result["test"]["corpus"] = corpus.name
    result["test"]["split_stats"] = split_stats(corpus)
    if long_corpus is not None and (long_corpus / "test.tsv").exists():
        result["long"] = test_scores(translator, read_tsv(long_corpus / "test.tsv"), limit)
        result["long"]["corpus"] = long_corpus.name
        result["long"]["split_stats"] = split_stats(long_corpus)
    if everyday := everyday_pairs(loaded.config.pair):
        result["everyday"] = everyday_scores(translator, everyday)
    return {**result, **attention_figures(translator, loaded, gold, gold_pair)}


def alignment_only(
    loaded: LoadedModel, gold: list[Path] | None, gold_pair: str | None = None
) -> dict:
    """The attention figures alone, without the test-split decoding: for a change of
    how attention becomes word links."""
    translator = Translator(loaded.model, loaded.tokenizer, loaded.name)
    return attention_figures(translator, loaded, gold, gold_pair)


def attention_figures(
    translator: Translator, loaded: LoadedModel, gold: list[Path] | None, gold_pair: str | None
) -> dict:
    """Gold AER (for the gold set's pair) and the reordering probe; {} without attention."""
    result = {}
    folder = matching_gold(gold or [], loaded.config.pair, gold_pair)
    if folder is not None and loaded.model.has_attention:
        result["alignment"] = gold_alignment(translator, folder)
    if loaded.model.has_attention:
        result["reorder_probe"] = reorder_probe(translator, loaded.config.pair)
    return result


def update_card(loaded: LoadedModel, result: dict, device) -> None:
    card = dict(loaded.card)
    if "test" not in result:  # --alignment-only: the test scores stay as they are
        card.update(result)
        if "alignment" in result:
            card["aer"] = result["alignment"]["aer"]
        _write_card(loaded, card)
        return
    greedy, beam5 = result["test"]["greedy"], result["test"]["beam5"]
    card["test"] = {
        "split": "test",
        "corpus": result["test"].get("corpus"),
        "split_stats": result["test"].get("split_stats"),
        "n": result["test"]["n"],
        "bleu": greedy["bleu"],
        "chrf": greedy["chrf"],
        "by_length": greedy["by_length"],
        "bleu_signature": greedy["bleu_signature"],
        "chrf_signature": greedy["chrf_signature"],
        "greedy": greedy,
        "beam5": beam5,
        "evaluated_on": describe(device),
    }
    card["everyday"] = result.get("everyday")
    card["long"] = _long_summary(result["long"]) if "long" in result else None
    card["aer"] = result.get("alignment", {}).get("aer")
    card["alignment"] = result.get("alignment")
    card["reorder_probe"] = result.get("reorder_probe")
    _write_card(loaded, card)


def _long_summary(long: dict) -> dict:
    """The long-sentence set's figures for a card (its examples left out)."""
    out = {k: long[k] for k in ("corpus", "n", "split_stats")}
    for _, key in DECODINGS:
        out[key] = {k: v for k, v in long[key].items() if k != "examples"}
    return out


def _write_card(loaded: LoadedModel, card: dict) -> None:
    path = loaded.folder / "card.json"
    path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.evaluate", description=__doc__)
    p.add_argument("--checkpoint", type=Path, nargs="+", required=True)
    p.add_argument("--corpus", type=Path, help="default: corpora/<pair>")
    p.add_argument(
        "--long-corpus",
        type=Path,
        help="a long-sentence set scored beside the test split (default: the pair's, "
        "e.g. corpora/en-fr-bible for en-fr, where it has been built)",
    )
    p.add_argument(
        "--gold", type=Path, nargs="*", help="hand-aligned folders (de-en, en-fr) for AER"
    )
    p.add_argument("--limit", type=int, help="only the first N test sentences")
    p.add_argument("--device", default=None)
    p.add_argument("--write-card", action="store_true", help="store the results in card.json")
    p.add_argument(
        "--alignment-only",
        action="store_true",
        help="only the gold AER and the reordering probe (no test-split decoding)",
    )
    args = p.parse_args(argv)
    device = resolve_device(args.device)
    for folder in args.checkpoint:
        loaded = load_checkpoint(folder, device)
        if args.alignment_only:
            if not loaded.model.has_attention:
                continue
            result = alignment_only(loaded, args.gold)
            if args.write_card:
                update_card(loaded, result, device)
            print(json.dumps({"checkpoint": loaded.name, "alignment": result.get("alignment"),
                              "reorder_probe": _summary(result)}))  # fmt: skip
            continue
        corpus = args.corpus or Path("corpora") / loaded.config.pair
        long_corpus = args.long_corpus or LONG_SETS.get(loaded.config.pair)
        result = evaluate(loaded, corpus, args.gold, args.limit, long_corpus=long_corpus)
        if args.write_card:
            update_card(loaded, result, device)
        summary = {k: v for k, v in result["test"]["greedy"].items() if k != "examples"}
        print(json.dumps({"checkpoint": loaded.name, "greedy": summary,
                          "beam5_bleu": result["test"]["beam5"]["bleu"],
                          "long": {k: result["long"][k]["bleu"] for k in ("greedy", "beam5")}
                          if "long" in result else None,
                          "everyday": {k: (v.get("bleu"), v.get("chrf"))
                                       for k, v in result.get("everyday", {}).items()
                                       if k in ("greedy", "beam5")},
                          "alignment": result.get("alignment"),
                          "reorder_probe": _summary(result)}))  # fmt: skip
    return 0


def _summary(result: dict) -> dict:
    return {k: v for k, v in (result.get("reorder_probe") or {}).items() if k != "items"}


if __name__ == "__main__":
    sys.exit(main())
