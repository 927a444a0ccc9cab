"""Tests for the Ding dictionary extraction rules (data.ding), one group per rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from data import Pair
from data.ding import (
    MAX_SYNONYM_PAIRS,
    MAX_WORDS,
    classify,
    clean_synonym,
    dedupe,
    drop_parens,
    extract_pairs,
    looks_like_sentence,
    parse_line,
    read_ding,
    resolve_slashes,
    split_outside_parens,
    strip_annotations,
)

FIXTURE = Path(__file__).parent / "fixtures" / "data" / "ding_sample.txt"


def texts(pairs: list[Pair]) -> set[tuple[str, str]]:
    """(English, German) texts of some pairs."""
    return {(pair.src, pair.tgt) for pair in pairs}


# Rule 1: headers, blank lines, malformed lines.
@pytest.mark.parametrize(
    "line",
    ["# Version :: devel", "", "   ", "ein Haus ein Boot", "a :: b :: c d", "Haus::house boat"],
)
def test_headers_blank_and_malformed_lines_are_skipped(line: str) -> None:
    assert parse_line(line) == []


# Rule 2: annotations.
def test_grammar_usage_and_spelling_annotations_are_removed() -> None:
    text = "Deckenlampe {f} [ugs.] <Deckenlicht>; Lampe {f}"
    assert strip_annotations(text).split() == ["Deckenlampe", ";", "Lampe"]


def test_annotations_with_separators_inside_are_removed_before_splitting() -> None:
    line = "etw. senden {vt} | gesendet :: to send sth. {sent; sent} | sent [Br. | Am.]"
    assert texts(parse_line(line)) == {("to send sth.", "etw. senden")}


def test_slash_abbreviation_tokens_are_removed_but_not_word_slashes() -> None:
    assert strip_annotations("particulate matter /PM/").split() == ["particulate", "matter"]
    assert strip_annotations("he/she/it") == "he/she/it"


# Rule 3: sub-entries by position.
def test_sub_entries_are_paired_by_position() -> None:
    line = (
        "Haus {n} | Häuser {pl} | ein altes Haus | ein neues Haus"
        " :: house | houses | an old house | a new house"
    )
    assert texts(parse_line(line)) == {
        ("an old house", "ein altes Haus"),
        ("a new house", "ein neues Haus"),
    }


def test_line_with_different_sub_entry_counts_is_skipped() -> None:
    assert parse_line("ein Ende | am Ende nichts :: an end") == []


def test_separators_inside_parentheses_do_not_split() -> None:
    assert split_outside_parens("a (b; c); d", ";") == ["a (b; c)", "d"]
    assert split_outside_parens("a | b (c | d) | e", "|") == ["a", "b (c | d)", "e"]


# Rule 4: synonyms.
def test_synonym_product_is_capped_and_ordered_by_rank() -> None:
    line = "kleines Haus; winziges Haus; enges Haus :: small house; tiny house; little house"
    pairs = parse_line(line)
    assert len(pairs) == MAX_SYNONYM_PAIRS
    assert [(p.src, p.tgt, p.rank) for p in pairs] == [
        ("small house", "kleines Haus", 0),
        ("tiny house", "kleines Haus", 1),
        ("small house", "winziges Haus", 1),
        ("little house", "kleines Haus", 2),
    ]


def test_single_word_synonyms_are_dropped_but_others_kept() -> None:
    line = "großes Haus; Villa {f} :: big house; mansion"
    assert texts(parse_line(line)) == {("big house", "großes Haus")}


# Rule 5: parentheses.
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("eel (on a menu)", "eel"),
        ("(öffentliche) Ablehnung", "Ablehnung"),
        ("Sie ist (gerade) 20 geworden.", "Sie ist 20 geworden."),
        ("It is done. (safety note)", "It is done."),
        ("beam(s) light", "beam light"),
        ("(an)kommen", "kommen"),
        ("aversion (to (some) sb.)", "aversion"),
        ("Good night. (Sleep tight and have) sweet dreams!", "Good night. Sweet dreams!"),
        ("jdm. etw. (schriftlich) mitteilen", "jdm. etw. mitteilen"),
    ],
)
def test_parenthesised_text_is_dropped(raw: str, expected: str) -> None:
    assert clean_synonym(raw) == expected


def test_unbalanced_parenthesis_is_leftover_markup() -> None:
    assert drop_parens("city (centre") == "city (centre"
    assert clean_synonym("city (centre") is None


# Rule 6: slash alternatives.
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("he/she has/had shown", "he has shown"),
        ("to collect sb./sth.", "to collect sb."),
        (
            "Es spricht viel dafür/dagegen, jetzt zu gehen.",
            "Es spricht viel dafür, jetzt zu gehen.",
        ),
        ("jdn./etw. fotografieren", "jdn. fotografieren"),
        ("I am hungry/thirsty.", "I am hungry."),
        ("at 50 km/h", "at 50 km/h"),
        ("available 24/7", "available 24/7"),
        ("a TCP/IP stack", "a TCP/IP stack"),
        ("fire and/or smoke", "fire and/or smoke"),
    ],
)
def test_slash_alternatives_are_resolved(raw: str, expected: str) -> None:
    assert resolve_slashes(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "She laughed loudly / quietly.",
        "colour /color fastness",
        "to live in the countryside/in the country",
        "träum schön/träum was Schönes",
        "to vent your bad mood/your spleen",
    ],
)
def test_slash_with_ambiguous_scope_skips_the_synonym(raw: str) -> None:
    assert resolve_slashes(raw) is None
    assert clean_synonym(raw) is None


# Rule 7: whitespace.
def test_whitespace_is_normalised() -> None:
    raw = strip_annotations("  Hallo {interj}  ,   Welt [ugs.] ! ")
    assert clean_synonym(raw) == "Hallo, Welt!"


# Rule 8: classification.
def test_sentence_needs_both_sides_capitalised_and_terminated() -> None:
    assert classify("What time is it?", "Wie spät ist es?") == "sentence"
    assert classify("the time is late", "Wie spät ist es?") == "phrase"
    assert classify("Nothing down.", "Keine Anzahlung nötig.") == "phrase"


def test_placeholders_are_never_sentences() -> None:
    assert not looks_like_sentence("To have a passion for sth.")
    assert classify("He gives it to sb.", "Er gibt es jdm.") == "phrase"


def test_single_words_are_dropped() -> None:
    assert classify("house", "Haus") is None
    assert classify("a house", "Haus") is None


# Rule 9: filters and deduplication.
def test_leftover_markup_long_and_identical_pairs_are_dropped() -> None:
    assert clean_synonym("a ~ b") is None
    assert clean_synonym("wait ...") is None
    assert classify(" ".join(["word"] * (MAX_WORDS + 1)), "zwei Wörter") is None
    assert classify("Kaffee Latte", "kaffee latte") is None


def test_duplicates_keep_the_lowest_rank() -> None:
    pairs = [
        Pair("big house", "großes Haus", "phrase", 2),
        Pair("big house", "großes Haus", "phrase", 0),
    ]
    assert dedupe(pairs) == [Pair("big house", "großes Haus", "phrase", 0)]
    assert len(extract_pairs(["großes Haus :: big house", "großes Haus :: big house"])) == 1


def test_fixture_file_end_to_end() -> None:
    pairs = read_ding(FIXTURE)
    assert pairs == sorted(pairs, key=lambda p: (p.src, p.tgt))
    assert ("The weather is nice today.", "Das Wetter ist heute schön.") in texts(pairs)
    assert ("He drives at 50 km/h.", "Er fährt 50 km/h.") in texts(pairs)
    assert ("red car", "rotes Auto") in texts(pairs)
    assert ("he informs", "er teilt mit") in texts(pairs)
    sources = {pair.src for pair in pairs}
    assert not any(s.startswith(("end", "She laughed", "city", "kaffee")) for s in sources)
    assert "to live in the country" in sources
    assert not any("hills" in s for s in sources)
    for pair in pairs:
        assert pair.kind == classify(pair.src, pair.tgt)
        assert not any(ch in pair.src + pair.tgt for ch in "{}[]<>()|\t")
