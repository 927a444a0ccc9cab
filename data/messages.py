"""English -> German software messages from the German gettext catalogs of Debian packages.

A program's ``.mo`` catalog maps each English message (``msgid``) to its German translation
(``msgstr``): "An error occurred during initialization." -> "Während der Initialisierung
ist ein Fehler aufgetreten.", "Open current folder in a new window" -> "Aktuellen Ordner in
einem neuen Fenster öffnen". Menu labels and messages like these put the German verb at the
end of its clause, the reordering that attention has to learn, in everyday words.

Rules (:func:`clean_message`):

1. Catalog headers, plural entries and untranslated entries are skipped; a context
   (``msgctxt``) is dropped.
2. Entries holding markup or placeholders are skipped whole: ``%s``, ``{0}``, ``$1``,
   tags, entities, backslashes, line breaks, tabs, URLs, ``@`` and ``|``.
3. Keyboard accelerators are removed: ``_`` (GTK), ``&`` (Qt, wx) and ``~`` (LibreOffice)
   before a letter ("_Open" -> "Open").
4. Both sides need at least :data:`MIN_WORDS` words and at most :data:`MAX_WORDS`; pairs
   whose two sides are equal are dropped.
5. A pair is a ``message`` when both sides read as a sentence (capitalised, ending in
   . ! ?, at least 3 words), otherwise a ``label``. Messages can be held out for dev and
   test; labels only train.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path

from data import Pair, normalize_space, word_count
from data.debs import Package

MIN_WORDS, MAX_WORDS = 2, 60

# Packages whose German catalogs are read, each with one catalog it ships (its probe).
MESSAGE_PACKAGES = tuple(
    Package(name, f"usr/share/locale/de/LC_MESSAGES/{mo}.mo")
    for name, mo in (
        ("apt", "apt"),
        ("aptitude-common", "aptitude"),
        ("audacity-data", "audacity"),
        ("bash", "bash"),
        ("coreutils", "coreutils"),
        ("dpkg", "dpkg"),
        ("evince-common", "evince"),
        ("evolution-common", "evolution"),
        ("filezilla-common", "filezilla"),
        ("freeciv-data", "freeciv-core"),
        ("gawk", "gawk"),
        ("gedit-common", "gedit"),
        ("gimp-data", "gimp20"),
        ("gnome-control-center-data", "gnome-control-center-2.0"),
        ("gnome-shell-common", "gnome-shell"),
        ("gnucash-common", "gnucash"),
        ("gnupg-l10n", "gnupg2"),
        ("hexchat-common", "hexchat"),
        ("inkscape", "inkscape"),
        ("mousepad", "mousepad"),
        ("nautilus-data", "nautilus"),
        ("pidgin-data", "pidgin"),
        ("rhythmbox-data", "rhythmbox"),
        ("synaptic", "synaptic"),
        ("tar", "tar"),
        ("thunar-data", "thunar"),
        ("totem-common", "totem"),
        ("util-linux-locales", "util-linux"),
        ("vlc-l10n", "vlc"),
    )
) + (Package("libreoffice-l10n-de", "usr/lib/libreoffice/program/resource/de/LC_MESSAGES/sw.mo"),)

_MAGIC = {b"\xde\x12\x04\x95": "<", b"\x95\x04\x12\xde": ">"}
_SKIP_RE = re.compile(r"[%{}$<>\\@|\n\t]|&[#\w]+;|https?:|www\.")
_ACCEL_RE = re.compile(r"[_&~](?=\w)")
_SENTENCE_END = (".", "!", "?")


def read_mo(data: bytes) -> list[tuple[str, str]]:
    """(msgid, msgstr) entries of a GNU ``.mo`` catalog, as stored (contexts and plural
    forms included); entries that are not UTF-8 are left out."""
    order = _MAGIC.get(data[:4])
    if order is None or len(data) < 20:
        raise ValueError("not a .mo catalog")
    _, count, ids_at, strs_at = struct.unpack(order + "4I", data[4:20])
    entries = []
    for k in range(count):
        id_len, id_off = struct.unpack_from(order + "2I", data, ids_at + 8 * k)
        str_len, str_off = struct.unpack_from(order + "2I", data, strs_at + 8 * k)
        try:
            msgid = data[id_off : id_off + id_len].decode("utf-8")
            msgstr = data[str_off : str_off + str_len].decode("utf-8")
        except UnicodeDecodeError:
            continue
        entries.append((msgid, msgstr))
    return entries


def is_sentence(text: str) -> bool:
    return text[:1].isupper() and text.endswith(_SENTENCE_END) and word_count(text) >= 3


def clean_message(msgid: str, msgstr: str, ref: str = "") -> Pair | None:
    """One catalog entry -> an English -> German pair, or ``None`` (rules 1-5)."""
    if not msgid or not msgstr or "\x00" in msgid or "\x00" in msgstr:
        return None
    english = msgid.rpartition("\x04")[2]
    if _SKIP_RE.search(english) or _SKIP_RE.search(msgstr):
        return None
    src = normalize_space(_ACCEL_RE.sub("", english))
    tgt = normalize_space(_ACCEL_RE.sub("", msgstr))
    if src == tgt or not all(MIN_WORDS <= word_count(t) <= MAX_WORDS for t in (src, tgt)):
        return None
    kind = "message" if is_sentence(src) and is_sentence(tgt) else "label"
    return Pair(src=src, tgt=tgt, kind=kind, ref=ref)


def catalogs(root: Path) -> list[Path]:
    """The German catalogs below an unpacked root, in a fixed order."""
    return sorted(root.glob("usr/**/de/LC_MESSAGES/*.mo"))


def read_catalogs(paths: Iterable[Path]) -> Iterator[Pair]:
    """Clean pairs of the catalogs, each exact (English, German) pair once."""
    seen: set[tuple[str, str]] = set()
    for path in paths:
        for msgid, msgstr in read_mo(path.read_bytes()):
            pair = clean_message(msgid, msgstr, ref=path.stem)
            if pair is not None and (pair.src, pair.tgt) not in seen:
                seen.add((pair.src, pair.tgt))
                yield pair
