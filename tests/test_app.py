"""The first page, driven by Streamlit's AppTest (fast, no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def app(app_checkpoints, monkeypatch):
    monkeypatch.setenv("ATTENTION_CHECKPOINTS", str(app_checkpoints))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    return at.run()


def test_broken_checkpoint_is_listed_with_reason_and_others_work(app):
    assert not app.exception
    warnings = [w.value for w in app.sidebar.warning]
    assert any("en-xx-broken" in w and "pickle" in w for w in warnings)
    assert app.sidebar.selectbox(key="model").options == ["en-xx-bahdanau", "en-xx-none"]


def test_translation_and_heatmap_row_follow_the_pills(app):
    app.text_area[0].set_value("the cat sees the dog .").run()
    assert not app.exception
    assert app.text[0].value == "der katze der hund sieht ."
    pills = app.get("button_group")[0]
    assert [o.replace("\\", "") for o in pills.options] == [
        *["der", "katze", "der", "hund", "sieht", "."],
        "</s>",
    ]
    html = "".join(m.value for m in app.markdown)
    assert "der attends to:" in html
    pills.set_value(4).run()
    html = "".join(m.value for m in app.markdown)
    assert "sieht attends to:" in html
    assert app.session_state["row"] == 4


def test_html_input_is_shown_literally(app):
    app.text_area[0].set_value("<img src=x onerror=alert(1)> the cat").run()
    assert not app.exception
    html = "".join(m.value for m in app.markdown)
    assert "<img" not in html and "&lt;img" in html


def test_empty_input_gives_a_message(app):
    app.text_area[0].set_value("   ").run()
    assert not app.exception
    assert any("empty" in e.value for e in app.error)


def test_model_without_attention_says_so(app):
    app.sidebar.selectbox(key="model").set_value("en-xx-none").run()
    assert not app.exception
    assert any("no attention" in w.value for w in app.warning)
    assert app.text[0].value  # still translates
