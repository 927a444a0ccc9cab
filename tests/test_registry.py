"""The checkpoint listing: every folder listed at once with its metadata, weights loaded
on first use (once, however many threads ask), a broken folder listed with its reason
whether the listing or the loading finds it, and the model the page opens loaded first."""

from __future__ import annotations

import shutil
import threading

import pytest

from models.checkpoint import save_checkpoint
from models.engine import Translator
from models.registry import load_all, scan
from tests.conftest import tiny_model
from tests.test_checkpoint import CASES

TEXT = "the old teacher helps the small child ."


@pytest.fixture
def root(tmp_path, tokenizer):
    for name, attention, score in (
        ("en-xx-bahdanau", "bahdanau", "additive"),
        ("en-xx-luong-dot", "luong", "dot"),
    ):
        model = tiny_model(tokenizer, attention, score, seed=3)
        save_checkpoint(tmp_path / name, model, tokenizer, {"domain": "toy"})
    return tmp_path


def test_listing_reads_metadata_and_leaves_the_weights_for_later(root, monkeypatch):
    loads = []
    import models.registry as registry

    real = registry.load_weights
    monkeypatch.setattr(registry, "load_weights", lambda *a: loads.append(a[0].name) or real(*a))
    entries = scan(root)
    assert [e.name for e in entries] == ["en-xx-bahdanau", "en-xx-luong-dot"]
    assert all(e.available for e in entries) and loads == []
    assert entries[1].config.score == "dot" and entries[0].card == {"domain": "toy"}
    assert entries[0].tokenizer.vocab_size == entries[0].config.vocab_size
    load_all(entries, first="en-xx-luong-dot")
    assert loads == ["en-xx-luong-dot", "en-xx-bahdanau"]  # the page's model first
    load_all(entries)
    assert loads == ["en-xx-luong-dot", "en-xx-bahdanau"]  # once each
    loaded = entries[0].loaded
    assert not loaded.model.training and Translator(loaded.model, loaded.tokenizer).translate(TEXT)


def test_threads_asking_at_once_share_one_load(root):
    entry = scan(root)[0]
    got, start = [], threading.Barrier(4)

    def ask():
        start.wait()
        got.append(entry.loaded)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 4 and all(m is got[0] for m in got) and got[0] is not None


@pytest.mark.parametrize("case", sorted(set(CASES) - {"folder not found"}))
def test_a_broken_folder_is_listed_with_its_reason_and_hides_nothing(root, case):
    broken = root / "en-xx-broken"
    shutil.copytree(root / "en-xx-bahdanau", broken)
    breaker, file, reason = CASES[case]
    breaker(broken)
    entries = {e.name: e for e in scan(root)}
    load_all(list(entries.values()))
    bad = entries["en-xx-broken"]
    assert not bad.available and bad.loaded is None
    assert bad.error.startswith(f"{file}: ") and reason in bad.error
    assert all(entries[n].available and entries[n].loaded for n in entries if n != bad.name)


def test_weights_replaced_after_the_listing_are_refused_by_name(root, tokenizer):
    """The header read when listing is the one the load trusts: weights of another shape
    written into the folder later are refused, not loaded into the listed config."""
    from models.checkpoint import CheckpointError, inspect_checkpoint, load_weights

    info = inspect_checkpoint(root / "en-xx-bahdanau")
    wider = tiny_model(tokenizer, "bahdanau", "additive", seed=3, attn_dim=12)
    save_checkpoint(root / "other", wider, tokenizer, {})
    shutil.copy(root / "other" / "model.safetensors", root / "en-xx-bahdanau")
    with pytest.raises(CheckpointError, match="changed since the folder was listed"):
        load_weights(info)
    assert load_weights(inspect_checkpoint(root / "other")).config.attn_dim == 12


def test_the_translator_is_built_once_and_the_first_one_first(root, monkeypatch):
    import models.registry as registry

    built = []
    real = registry.build_translator
    monkeypatch.setattr(registry, "build_translator", lambda *a: built.append(a[1]) or real(*a))
    entries = scan(root)
    load_all(entries, first="en-xx-luong-dot")
    assert built == []  # weights only
    load_all(entries, first="en-xx-luong-dot", translator=True)
    assert built == ["en-xx-luong-dot"]  # the others when first asked for
    assert entries[0].translator is entries[0].translator
    assert built == ["en-xx-luong-dot", "en-xx-bahdanau"]
    assert entries[0].translator.translate(TEXT).best.text
