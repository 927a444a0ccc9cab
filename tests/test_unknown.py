"""Characters a vocabulary lacks: which, how many, and which pair reads them."""

from __future__ import annotations

from models.unknown import (
    by_script,
    readers,
    script_of,
    script_readers,
    unknown_characters,
    unknown_note,
)

LATIN = set("abcdefghijklmnopqrstuvwxyz.!")
DEVANAGARI = set("नमस्तेदुनिया")


def test_unknown_characters_are_distinct_in_order_and_counted():
    unknown = unknown_characters("a नमस्ते b न 😀!", LATIN.__contains__)
    assert unknown.characters == ["न", "म", "स", "्", "त", "े", "😀"]
    assert unknown.occurrences == 8  # न twice; spaces are never unknown
    assert unknown
    assert not unknown_characters("a b.", LATIN.__contains__)


def test_scripts_come_from_the_unicode_names():
    assert script_of("न") == script_of("्") == "Devanagari"  # letters and vowel marks
    assert script_of("é") == "Latin" and script_of("中") == "CJK" and script_of("ж") == "Cyrillic"
    assert script_of("😀") == script_of("½") == script_of("€") == "symbols"
    assert script_of("३") == "Devanagari"  # a Devanagari digit
    assert by_script("नé😀म") == {"Devanagari": ["न", "म"], "Latin": ["é"], "symbols": ["😀"]}


def test_readers_are_the_pairs_whose_vocabulary_holds_every_character():
    vocabularies = {
        "hi-en": [DEVANAGARI.__contains__],
        "en-de": [LATIN.__contains__],
        "xx-yy": [LATIN.__contains__, (LATIN | {"न", "म"}).__contains__],
    }
    assert readers(["न", "म"], vocabularies) == ["hi-en", "xx-yy"]
    assert readers(["न", "😀"], vocabularies) == []
    assert readers([], vocabularies) == []
    assert script_readers(["न", "स", "😀"], vocabularies) == {
        "Devanagari": ["hi-en"],
        "symbols": [],
    }


def test_the_note_names_characters_count_and_reading_pair():
    unknown = unknown_characters("a नमस्ते b न 😀", LATIN.__contains__)
    note = unknown_note(unknown, {"Devanagari": ["hi-en"], "symbols": []})
    assert note.startswith("This model's vocabulary lacks 7 characters of the text, 8 times")
    assert "Devanagari न म स ् त े (the hi-en pair reads them)" in note
    assert "symbols 😀 (no loaded pair reads them)" in note
    assert "\u2047" in note and "choose that pair under Language pair" in note
    alone = unknown_note(unknown_characters("😀", LATIN.__contains__), {"symbols": []})
    assert "lacks 1 character of the text:" in alone and "choose" not in alone


def test_a_long_run_of_unknown_characters_is_listed_in_part():
    text = "".join(chr(0x4E00 + i) for i in range(30))
    note = unknown_note(unknown_characters(text, LATIN.__contains__), {})
    assert "lacks 30 characters" in note and "and 18 more" in note
