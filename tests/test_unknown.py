"""Characters a vocabulary lacks: which, how many, and which pair reads them."""

from __future__ import annotations

import pytest

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
    unknown_target,
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
    # combining marks (virama, vowel sign) on a dotted circle: alone they draw on a space
    assert ("Devanagari न म स \u25cc\u094d त \u25cc\u0947 (the hi-en pair reads them)") in note
    assert "symbols 😀 (no other loaded pair from English reads them)" in note
    assert "the same piece, <unk>" in note and note.endswith(
        "To translate Hindi, choose hi-en under Language pair."
    )
    alone = unknown_note(unknown_characters("😀", LATIN.__contains__), {"symbols": []}, "en")
    assert "lacks 1 character of the text:" in alone and "choose" not in alone


def test_every_group_is_named_and_a_foreign_texts_symbols_go_to_its_language():
    """Past the characters listed by name, a group still shows one (the danda was "1
    characters"), and the symbols of a Hindi text typed into en-fr are read by hi-en,
    the pair advised for the text, not by en-hi."""
    from models.unknown import SHOWN

    hindi = "मैं घर जा रहा हूँ। किताब पढ़ो"
    unknown = unknown_characters(hindi, LATIN.__contains__)
    assert len([c for c in unknown.characters if c != "\u0964"]) > SHOWN
    readers = {"Devanagari": ["en-hi", "hi-en"], "symbols": ["en-hi", "hi-en"]}
    note = unknown_note(unknown, readers, "en")
    assert "symbols \u0964 (the hi-en pair reads them)" in note
    assert "characters (" not in note and "en-hi" not in note
    assert note.endswith("To translate Hindi, choose hi-en under Language pair.")


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


def test_invisible_characters_are_named_by_code_point_never_as_a_script():
    """An emoji's variation selector (U+FE0F) or a joiner shows nothing standing alone:
    the note names it by code point and name, among the symbols, not as a script called
    after the first word of its name ("Variation")."""
    english = set("Iloveyu10%!")
    emoji = unknown_characters("I love you \u2764\ufe0f 100%!", english.__contains__)
    assert emoji.characters == ["\u2764", "\ufe0f"]
    note = unknown_note(emoji, script_readers(emoji.characters, {}), "en")
    assert "symbols \u2764 U+FE0F (variation selector-16) (no other loaded pair" in note
    assert "Variation" not in note
    hindi = set("क्षमा करें")  # a vocabulary with every letter of the text, no joiner
    joined = unknown_characters("क्\u200dषमा करें", hindi.__contains__)
    note = unknown_note(joined, script_readers(joined.characters, {}), "hi")
    assert "lacks 1 character of the text: symbols U+200D (zero width joiner) (no " in note
    assert "lacks 1 character of the target: U+200D (zero width joiner)." in unknown_target(
        unknown_characters("\u200d", DEVANAGARI.__contains__)
    )
    # marks that go with any script are symbols; a script's own marks are that script's
    assert script_of("\ufe0f") == script_of("\u0301") == script_of("\u200d") == "symbols"
    assert script_of("\u093f") == script_of("\u0901") == "Devanagari"


def test_the_note_says_the_unknown_piece_is_read_not_left_out():
    """The unknown piece is read by the encoder and can take attention: the note never
    says the text is translated without it."""
    note = unknown_note(unknown_characters("😀", LATIN.__contains__), {"symbols": []}, "en")
    assert "translated without" not in note
    assert "one unknown piece, which it may attend to like any piece" in note
    assert "show such a piece's characters as typed" in note  # not a mark the page never draws


@pytest.mark.parametrize(
    ("text", "source", "language", "shown"),
    [
        ("Je suis étudiant.", "en", "French", "je, suis"),
        ("Das ist gut und schön.", "en", "German", "ist, und"),
        ("El gato está muy cansado.", "en", "Spanish", "el, está, muy"),
        ("The cat is black.", "es", "English", "the, is"),
        ("Qu'il vienne avec nous.", "en", "French", "qu', il, avec, nous"),
        ("Il a faim et il est fatigué.", "en", "French", "il, et, est"),
        ("Ich denke an dich und ich bin müde.", "en", "German", "ich, und"),
        ("Es ist gut und ich bin müde.", "es", "German", "ist, und, ich"),
    ],
)
def test_a_text_plainly_in_another_language_of_the_same_script_is_named(
    text, source, language, shown
):
    from models.unknown import language_name, language_note

    note = language_note(text, source)
    assert note == (
        f"This text looks like {language} ({shown}); this model reads "
        f"{language_name(source)}, so its translation of it means little."
    )


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Turn off the lights.", "en"),  # its own language
        ("I love la vie en rose.", "en"),  # a French phrase in English
        ("Le chat noir dort.", "en"),  # one function word: not plain enough
        ("Y dijo Dios: Sea la luz.", "es"),
        ("He visto a Ana.", "es"),  # "he", "a": English words too, and Spanish ones
        ("\u00bfHas ido a Roma?", "es"),
        ("Le he dicho a Juan que venga.", "es"),
        ("मैं खाना खा रहा हूँ", "hi"),  # no list for Hindi: the script rule's
        ("", "en"),
    ],
)
def test_a_text_that_could_be_the_models_language_gets_no_language_note(text, source):
    from models.unknown import language_note

    assert language_note(text, source) is None
