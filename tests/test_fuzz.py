"""Arbitrary text through the whole path: tokenize -> decode -> trace -> JSON -> figure
-> HTML.  Nothing but a clear InputError may come out, and user text stays escaped."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.engine import DecodeSettings, Translator
from models.text import InputError, clean_text
from tests.conftest import tiny_model
from viz.heatmap import heatmap_figure
from viz.highlight import escape_markdown, highlight_html
from viz.matrix import attention_view

OWN_TAGS = re.compile(r"</?(div|span)\b[^>]*>")
TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Mn", "Zs", "So"]), max_size=60),
    st.text(alphabet="<>&\"'/=abc script img onerror", max_size=80),
    st.from_regex(r"[\u0590-\u06ff\u0900-\u097f\u4e00-\u4e20 ]{1,40}", fullmatch=True),
    st.builds(
        lambda w, n: " ".join([w] * n), st.text(min_size=1, max_size=30), st.integers(1, 400)
    ),
)


@pytest.fixture(scope="module")
def fuzz_translator(tokenizer):
    return Translator(tiny_model(tokenizer, "luong", "general", seed=11), tokenizer, "fuzz")


@settings(
    max_examples=80,
    derandomize=True,  # the same examples on every CI run
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=TEXT, beam=st.integers(1, 3))
def test_any_text_gives_a_trace_or_a_clear_error(fuzz_translator, text, beam):
    try:
        trace = fuzz_translator.translate(text, DecodeSettings(beam=beam, max_len=6))
    except InputError as exc:
        assert "empty" in str(exc) and clean_text(text) == ""
        return
    json.dumps(trace.to_dict())
    view = attention_view(trace, 0, "words")
    fig = heatmap_figure(view, selected=0)
    fig.to_json()
    page = highlight_html(view.cols, view.z[0], view.rows[0])
    text_only = OWN_TAGS.sub("", page)  # what is left is user text: it must be escaped
    assert "<" not in text_only and ">" not in text_only
    for label in view.rows + view.cols:
        escape_markdown(label)
