"""The Tatoeba reader (manythings.org/anki files), its cleaning rules, the grouped split of
data.build, and ``training.train --tsv`` on an anki file as downloaded.  The fixture lines
are written here (not copied from Tatoeba)."""

from __future__ import annotations

import json
import zipfile

import pytest

from data import Pair
from data.build import Sources, build_pair, split_tatoeba
from data.splits import norm_key
from data.tatoeba import clean_pairs, clean_side, read_anki, split_line

ATTR = "CC-BY 2.0 (France) Attribution: tatoeba.org #1 (someone) & #2 (someone else)"
ANKI_LINES = [
    f"The cat sleeps.\tLe chat dort.\t{ATTR}",
    f"The cat sleeps.\tLe chat dort.\t{ATTR}",  # exact duplicate
    f"It\u2019s late.\tIl est\u00a0tard\u202f!\t{ATTR}",  # curly apostrophe, odd spaces
    f"\u201cYes,\u201d he said.\t\u00ab\u00a0Oui\u00a0\u00bb, dit-il.\t{ATTR}",
    "only one column",
    f"\tempty source\t{ATTR}",
    "Two columns are fine.\tDeux colonnes, c'est bien.",
]


def test_split_line_ignores_the_attribution_column():
    assert split_line(f"Hi.\tSalut.\t{ATTR}\n") == ("Hi.", "Salut.")
    assert split_line("Hi.\tSalut.\n") == ("Hi.", "Salut.")
    assert split_line("Hi.\n") is None and split_line(" \tSalut.") is None


def test_clean_side_normalises_spaces_and_quotes_but_keeps_guillemets():
    assert clean_side("It\u2019s  late\u00a0\u202f!\u200b") == "It's late !"
    assert clean_side("\u201eJa\u201c, sagte er.") == '"Ja", sagte er.'
    assert clean_side("\u00ab\u00a0Oui\u00a0\u00bb") == "\u00ab Oui \u00bb"
    assert clean_side("e\u0301te\u0301") == "\u00e9t\u00e9"  # NFC


def test_clean_pairs_counts_each_rule():
    rows, counts = clean_pairs(split_line(line) for line in ANKI_LINES)
    assert rows == [
        ("The cat sleeps.", "Le chat dort."),
        ("It's late.", "Il est tard !"),
        ('"Yes," he said.', "\u00ab Oui \u00bb, dit-il."),
        ("Two columns are fine.", "Deux colonnes, c'est bien."),
    ]
    assert counts == {
        "lines": 7,
        "malformed": 2,
        "respaced": 2,
        "requoted": 2,
        "duplicates": 1,
    }
    swapped, _ = clean_pairs((split_line(line) for line in ANKI_LINES), swap=True)
    assert swapped[0] == ("Le chat dort.", "The cat sleeps.")


def test_read_anki_reads_the_zip_as_downloaded(tmp_path):
    archive = tmp_path / "fra-eng.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("fra-eng/_about.txt", "about the file\tnot a pair\n")
        zf.writestr("__MACOSX/fra-eng/._fra.txt", "junk")
        zf.writestr("fra-eng/fra.txt", "\n".join(ANKI_LINES) + "\n")
    rows, counts = read_anki(archive)
    plain = tmp_path / "fra.txt"
    plain.write_text("\n".join(ANKI_LINES) + "\n", encoding="utf-8")
    assert (rows, counts) == read_anki(plain)
    assert len(rows) == 4


def _family(i: int) -> list[Pair]:
    """One English sentence with two translations, one of which another English sentence
    shares: all three pairs are one group."""
    en, en2 = f"Sentence number {i} is here.", f"Sentence {i} is here."
    fr, fr2 = f"La phrase {i} est ici.", f"Voici la phrase {i}."
    return [Pair(en, fr, "sentence"), Pair(en, fr2, "sentence"), Pair(en2, fr2, "sentence")]


def test_tatoeba_split_keeps_every_group_on_one_side():
    pairs = [p for i in range(3000) for p in _family(i)]
    splits, removed = split_tatoeba(pairs, "test-salt")
    # a small pair (under the size of a big one): about 10% each for dev and test
    assert 850 <= len(splits["dev"]) <= 950 and 850 <= len(splits["test"]) <= 950
    for side in ("src", "tgt"):
        train = {norm_key(getattr(p, side)) for p in splits["train"]}
        for held in ("dev", "test"):
            assert not train & {norm_key(getattr(p, side)) for p in splits[held]}
    # a held-out group keeps one reference per English sentence
    held = splits["dev"] + splits["test"]
    assert len({p.src for p in held}) == len(held)
    assert removed["held_out_group_extra_translations"] == len(pairs) - sum(
        len(s) for s in splits.values()
    )
    again, _ = split_tatoeba(list(pairs), "test-salt")
    assert again == splits


def test_build_writes_mirrored_hindi_pairs(tmp_path):
    folder = tmp_path / "tatoeba"
    folder.mkdir()
    lines = [f"I see {i} birds.\t\u092e\u0948\u0902 {i} \u092a\u0915\u094d\u0937\u0940\t{ATTR}"
             for i in range(200)]  # fmt: skip
    (folder / "hin.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "corpora"
    en_hi = build_pair("en-hi", out, Sources(tatoeba=folder))
    hi_en = build_pair("hi-en", out, Sources(tatoeba=folder))
    assert en_hi["splits"]["test"]["pairs"] == 20 and en_hi["splits"]["dev"]["pairs"] == 20
    for split in ("train", "dev", "test"):
        forward = (out / "en-hi" / f"{split}.tsv").read_text(encoding="utf-8").splitlines()
        backward = (out / "hi-en" / f"{split}.tsv").read_text(encoding="utf-8").splitlines()
        assert [line.split("\t")[::-1] for line in forward] == [
            line.split("\t") for line in backward
        ]
    assert hi_en["source"] == "hi"
    stats = json.loads((out / "en-hi" / "stats.json").read_text())
    assert stats["extracted"]["lines"] == 200


def test_build_names_the_download_page_when_a_file_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="manythings.org/anki"):
        build_pair("en-fr", tmp_path / "out", Sources(tatoeba=tmp_path))


def test_train_reads_an_anki_file_as_downloaded(pairs, tmp_path):
    """``training.train --tsv`` on a three-column file, and ``--reverse`` for the second
    column as source: the card records the cleaning and which column was the source."""
    from models.checkpoint import load_checkpoint
    from training.train import main

    anki = tmp_path / "xx.txt"
    anki.write_text("".join(f"{s}\t{t}\t{ATTR}\n" for s, t in pairs), encoding="utf-8")
    common = ["--attention", "bahdanau", "--runs", str(tmp_path / "runs"), "--vocab", "100",
              "--emb", "16", "--enc-hidden", "8", "--dec-hidden", "16", "--attn-dim", "8",
              "--steps", "2", "--eval-every", "2", "--batch-size", "8", "--quiet"]  # fmt: skip
    forward, backward = tmp_path / "en-xx-bahdanau", tmp_path / "xx-en-bahdanau"
    assert main(["--tsv", str(anki), "--out", str(forward), "--pair", "en-xx", *common]) == 0
    assert main(["--tsv", str(anki), "--reverse", "--out", str(backward), "--pair", "xx-en",
                 *common]) == 0  # fmt: skip
    card = json.loads((forward / "card.json").read_text())
    assert "first column" in card["training"]["data"]
    assert card["training"]["cleaning"]["lines"] == len(pairs)
    assert "second column" in json.loads((backward / "card.json").read_text())["training"]["data"]
    # both read every pair: the attribution column did not make a line unreadable
    total = card["training"]["train_pairs"] + card["training"]["dev_pairs"]
    assert total == len(set(pairs))
    assert load_checkpoint(backward).config.pair == "xx-en"


def test_train_says_what_is_wrong_with_an_unreadable_tsv(tmp_path, capsys):
    from training.train import main

    bad = tmp_path / "bad.tsv"
    bad.write_text("no tabs here\nnor here\n", encoding="utf-8")
    code = main(["--tsv", str(bad), "--attention", "none", "--out", str(tmp_path / "o")])
    assert code == 2
    assert "two tab-separated columns" in capsys.readouterr().err
