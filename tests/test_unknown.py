"""Characters a vocabulary lacks: which, how many, and which pair reads them."""

from __future__ import annotations

from models.unknown import (
    LANGUAGES,
    by_script,
    readers,
    script_note,
    script_of,
    script_readers,
    suggested,
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
    assert script_of("1") == script_of("0") == "digits"  # not a script: "digits", as "symbols"
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
    note = unknown_note(unknown, {"Devanagari": ["hi-en"], "symbols": []}, "en")
    assert note.startswith("This model's vocabulary lacks 7 characters of the text, 8 times")
    assert "Devanagari न म स ् त े (the hi-en pair reads them)" in note
    assert "symbols 😀 (no other loaded pair from English reads them)" in note
    assert "\u2047" in note and note.endswith(
        "To translate Hindi, choose hi-en under Language pair."
    )
    alone = unknown_note(unknown_characters("😀", LATIN.__contains__), {"symbols": []}, "en")
    assert "lacks 1 character of the text:" in alone and "choose" not in alone


def test_only_pairs_that_could_translate_the_text_are_suggested():
    """A pair that reads the characters but translates from another language cannot
    translate the text: digits typed into es-en are no reason to choose en-fr."""
    digits = unknown_characters("Tengo 12 gatos", set("Tengoats").__contains__)
    others = {"digits": ["en-de", "en-fr", "en-hi", "hi-en"]}
    note = unknown_note(digits, others, "es")
    assert "digits 1 2 (no other loaded pair from Spanish reads them)" in note
    assert "choose" not in note and "en-fr" not in note
    # the same digits for an English pair: the other English pairs, named as such
    note = unknown_note(digits, others, "en")
    assert "digits 1 2 (the en-de, en-fr and en-hi pairs read them)" in note
    assert note.endswith("To read the digits, choose en-de, en-fr or en-hi under Language pair.")
    # another language's script: the pairs from that language, not those into it
    hindi = unknown_characters("नमस्ते", LATIN.__contains__)
    note = unknown_note(hindi, {"Devanagari": ["en-hi", "hi-en"]}, "en")
    assert "(the hi-en pair reads them)" in note and "en-hi" not in note
    assert note.endswith("To translate Hindi, choose hi-en under Language pair.")
    assert "(no loaded pair translates Hindi)" in unknown_note(hindi, {"Devanagari": []}, "en")
    assert suggested("Latin", "hi", ["en-de", "es-en", "hi-xx"]) == (
        ["en-de", "es-en"],
        ["English", "Spanish"],
    )
    assert suggested("CJK", "en", ["en-de", "hi-en"]) == (["en-de"], [])


def test_a_text_in_another_script_than_the_models_language_is_named():
    assert script_note("Turn off the lights.", "hi") == (
        "This model reads Hindi (Devanagari); this text is in Latin."
    )
    assert script_note("नमस्ते, दुनिया 12", "en") == (
        "This model reads English (Latin); this text is in Devanagari."
    )
    assert script_note("Привет 你好", "fr") == (
        "This model reads French (Latin); this text is in Cyrillic and CJK."
    )
    assert script_note("नमस्ते Turn off", "hi") is None  # some of it is Hindi's script
    assert script_note("12 + 3 = 15 😀", "hi") is None  # no letters: no script to name
    assert script_note("Turn off", "xx") is None  # a language the table does not list
    letter = {"Latin": "a", "Devanagari": "न"}  # the table names scripts as script_of does
    for code, language in LANGUAGES.items():
        assert script_of(letter[language.script]) == language.script, code


def test_a_long_run_of_unknown_characters_is_listed_in_part():
    text = "".join(chr(0x4E00 + i) for i in range(30))
    note = unknown_note(unknown_characters(text, LATIN.__contains__), {}, "en")
    assert "lacks 30 characters" in note and "and 18 more" in note
