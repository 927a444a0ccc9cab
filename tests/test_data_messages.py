"""Software messages from German gettext catalogs (``data.messages``)."""

from __future__ import annotations

import struct

import pytest

from data.messages import clean_message, read_catalogs, read_mo

HEADER = ("", "Content-Type: text/plain; charset=UTF-8\n")


def make_mo(entries: list[tuple[str, str]], order: str = "<") -> bytes:
    """A GNU .mo catalog (what msgfmt writes), entries sorted by msgid."""
    entries = sorted(entries)
    ids = [e[0].encode() for e in entries]
    strs = [e[1].encode() for e in entries]
    n = len(entries)
    ids_at, strs_at = 28, 28 + 8 * n
    data_at = strs_at + 8 * n
    blob, table_ids, table_strs = b"", [], []
    for raw, table in [(s, table_ids) for s in ids] + [(s, table_strs) for s in strs]:
        table.append((len(raw), data_at + len(blob)))
        blob += raw + b"\0"
    magic = 0x950412DE
    head = struct.pack(order + "7I", magic, 0, n, ids_at, strs_at, 0, 0)
    tables = b"".join(struct.pack(order + "2I", *t) for t in table_ids + table_strs)
    return head + tables + blob


@pytest.mark.parametrize("order", ["<", ">"])
def test_read_mo_both_byte_orders(order: str) -> None:
    entries = [HEADER, ("Open file", "Datei öffnen"), ("menu\x04Quit now", "Jetzt beenden")]
    assert read_mo(make_mo(entries, order)) == sorted(entries)


def test_read_mo_refuses_other_files() -> None:
    with pytest.raises(ValueError):
        read_mo(b"# a .po file, not a catalog\n")


def test_a_message_keeps_its_verb_final_translation() -> None:
    pair = clean_message(
        "An error occurred during initialization.",
        "Während der Initialisierung ist ein Fehler aufgetreten.",
        ref="sw",
    )
    assert pair is not None and pair.kind == "message" and pair.ref == "sw"
    assert pair.tgt.endswith("aufgetreten.")


def test_accelerators_and_contexts_are_removed() -> None:
    pair = clean_message("toolbar\x04_Open Recent", "Zuletzt _geöffnet")
    assert (pair.src, pair.tgt, pair.kind) == ("Open Recent", "Zuletzt geöffnet", "label")
    assert clean_message("~Save As", "Speichern ~unter").src == "Save As"
    assert clean_message("&Find Next", "&Weitersuchen nach").tgt == "Weitersuchen nach"
    assert clean_message("Find & Replace", "Suchen & Ersetzen").src == "Find & Replace"


@pytest.mark.parametrize(
    "msgid, msgstr",
    [
        ("", "Project-Id-Version: x"),  # header
        ("%d file\x00%d files", "%d Datei\x00%d Dateien"),  # plural
        ("Cannot open %s", "%s kann nicht geöffnet werden"),
        ("Saved {0} pages", "{0} Seiten gespeichert"),
        ("Press <b>OK</b> now", "Jetzt <b>OK</b> drücken"),
        ("See https://example.org for more", "Siehe https://example.org"),
        ("Usage:\n  ls [FILE]", "Aufruf:\n  ls [DATEI]"),
        ("Open file", ""),  # untranslated
        ("Open", "Öffnen"),  # one word
        ("Dolby Surround", "Dolby Surround"),  # same on both sides
    ],
)
def test_entries_that_are_skipped(msgid: str, msgstr: str) -> None:
    assert clean_message(msgid, msgstr) is None


def test_read_catalogs_keeps_each_pair_once(tmp_path) -> None:
    one = [HEADER, ("Delete the file", "Datei löschen"), ("Close window", "Fenster schließen")]
    two = [HEADER, ("Delete the file", "Datei löschen"), ("Print %s", "%s drucken")]
    (tmp_path / "a.mo").write_bytes(make_mo(one))
    (tmp_path / "b.mo").write_bytes(make_mo(two))
    pairs = list(read_catalogs([tmp_path / "a.mo", tmp_path / "b.mo"]))
    assert sorted((p.src, p.tgt, p.ref) for p in pairs) == [
        ("Close window", "Fenster schließen", "a"),
        ("Delete the file", "Datei löschen", "a"),
    ]
