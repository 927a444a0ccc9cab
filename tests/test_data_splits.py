"""Tests for the deterministic, leak-free splits (data.splits)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from data import Pair
from data.splits import (
    assign_splits,
    bucket_labels,
    check_disjoint,
    group_pairs,
    hash_order,
    length_bucket,
    norm_key,
    source_bucket,
    stable_hash,
)

NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def spell(n: int) -> str:
    """A distinct phrase for every number ("four two")."""
    return " ".join(NUMBERS[int(d)] for d in str(n))


def corpus() -> list[Pair]:
    """Sentences (some sharing a source), phrases and one phrase clashing with a sentence."""
    pairs = [
        Pair(f"Sentence {spell(i)} here.", f"Satz {spell(i)} hier.", "sentence") for i in range(300)
    ]
    pairs += [
        Pair(f"Sentence {spell(i)} here.", f"Anderer Satz {spell(i)}.", "sentence", rank=1)
        for i in range(0, 300, 10)
    ]
    pairs += [Pair(f"phrase {spell(i)}", f"Ausdruck {spell(i)}", "phrase") for i in range(200)]
    pairs.append(Pair("Sentence one two here", "Ausdruck eins zwei", "phrase"))
    return pairs


def en_de_like(pairs: list[Pair]) -> dict[str, list[Pair]]:
    """Split with the en-de policy: only sentences are held out."""
    return assign_splits(
        pairs,
        dev_size=20,
        test_size=30,
        salt="t",
        eligible=lambda pair: pair.kind == "sentence",
    )


def keys(pairs: list[Pair], side: str = "src") -> set[str]:
    """Normalised texts of one side."""
    return {norm_key(getattr(pair, side)) for pair in pairs}


def test_stable_hash_is_pinned() -> None:
    assert stable_hash("hello world", "en-de") == 15499804746223520674
    assert stable_hash("hello world", "es-en") != stable_hash("hello world", "en-de")


def test_norm_key_ignores_case_and_punctuation() -> None:
    assert norm_key("It’s  over!") == norm_key("it's over") == "it s over"


def test_length_buckets() -> None:
    assert bucket_labels() == ["1-10", "11-20", "21-30", "31-40", "41-50", "51+"]
    assert [length_bucket(n) for n in (1, 10, 11, 40, 41, 50, 51, 300)] == [
        "1-10",
        "1-10",
        "11-20",
        "31-40",
        "41-50",
        "41-50",
        "51+",
        "51+",
    ]


def test_groups_connect_shared_sources_and_targets() -> None:
    pairs = [
        Pair("a b", "x y", "phrase"),
        Pair("A b!", "z w", "phrase"),
        Pair("c d", "Z W", "phrase"),
        Pair("e f", "u v", "phrase"),
    ]
    assert sorted(sorted(group) for group in group_pairs(pairs)) == [[0, 1, 2], [3]]


def test_splits_are_deterministic_and_independent_of_input_order() -> None:
    pairs = corpus()
    first, second = en_de_like(pairs), en_de_like(list(pairs))
    assert first == second
    shuffled = list(pairs)
    random.Random(7).shuffle(shuffled)
    third = en_de_like(shuffled)
    for name in ("train", "dev", "test"):
        assert set(third[name]) == set(first[name])


def test_splits_are_disjoint_and_cover_the_data() -> None:
    pairs = corpus()
    splits = en_de_like(pairs)
    check_disjoint(splits)
    for side in ("src", "tgt"):
        assert not keys(splits["dev"], side) & keys(splits["train"], side)
        assert not keys(splits["test"], side) & keys(splits["train"], side)
        assert not keys(splits["dev"], side) & keys(splits["test"], side)
    held_sources = keys(splits["dev"]) | keys(splits["test"])
    train = set(splits["train"])
    for pair in pairs:
        assert pair in train or norm_key(pair.src) in held_sources


def test_only_sentences_are_held_out_with_one_reference_per_source() -> None:
    splits = en_de_like(corpus())
    assert 20 <= len(splits["dev"]) <= 22 and 30 <= len(splits["test"]) <= 32
    for name in ("dev", "test"):
        assert {p.kind for p in splits[name]} == {"sentence"}
        assert len(keys(splits[name])) == len(splits[name])
        assert all(p.rank == 0 for p in splits[name])
    assert sum(p.kind == "phrase" for p in splits["train"]) == 201
    train_sources = keys(splits["train"])
    assert norm_key("Sentence one two here.") in train_sources


def test_identical_sources_share_a_split() -> None:
    pairs = [Pair("Same words here.", f"Ziel {spell(i)}.", "sentence") for i in range(5)]
    pairs += [
        Pair(f"Other {spell(i)} words.", f"Anders {spell(i)}.", "sentence") for i in range(50)
    ]
    splits = assign_splits(pairs, dev_size=10, test_size=10, salt="s")
    homes = [
        name for name, split in splits.items() if any(p.src == "Same words here." for p in split)
    ]
    assert len(homes) == 1


def test_test_quotas_per_length_bucket_then_fill() -> None:
    pairs = [
        Pair(" ".join([f"w{i}"] * length), f"t{i} {length}", "verse", ref=str(i))
        for i, length in enumerate([5] * 200 + [35] * 40 + [60] * 5)
    ]
    quotas = {"1-10": 10, "31-40": 15, "51+": 10}
    splits = assign_splits(pairs, dev_size=20, test_size=40, salt="q", test_quotas=quotas)
    counts = Counter(source_bucket(p) for p in splits["test"])
    assert len(splits["test"]) == 40
    assert counts["31-40"] >= 15
    assert counts["51+"] <= 5
    assert [p.ref for p in splits["test"]] == sorted((p.ref for p in splits["test"]), key=int)


def test_train_is_deduplicated() -> None:
    pairs = [Pair("a b", "c d", "phrase", ref="1"), Pair("a b", "c d", "phrase", ref="2")]
    splits = assign_splits(pairs, dev_size=0, test_size=0, salt="d")
    assert splits["train"] == [pairs[0]]


def test_check_disjoint_detects_a_leak() -> None:
    leak = {
        "train": [Pair("A leaked sentence.", "x y", "sentence")],
        "dev": [Pair("a leaked sentence", "z w", "sentence")],
        "test": [],
    }
    with pytest.raises(ValueError, match="dev/train"):
        check_disjoint(leak)


def test_hash_order_is_a_stable_permutation() -> None:
    pairs = corpus()
    ordered = hash_order(pairs, "x")
    assert sorted(ordered, key=lambda p: (p.src, p.tgt, p.rank)) == sorted(
        pairs, key=lambda p: (p.src, p.tgt, p.rank)
    )
    assert hash_order(list(reversed(pairs)), "x") == ordered
    assert ordered != pairs
