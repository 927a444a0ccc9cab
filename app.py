"""Attention explorer: pick models, type a sentence, click a target word.

Layout only: the widgets of each view live in ``ui/``, figures come from ``viz/``,
models and traces from ``models/``.
"""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.beam import beam_view
from ui.compare import compare
from ui.corpus import corpus
from ui.diagnostics import diagnostics
from ui.explorer import explorer
from ui.export import export_view
from ui.gold import gold_view
from ui.inside import explorer_link, inside, tour_pointer
from ui.sidebar import device_caption, sidebar, unavailable, weak_model_note, write_query
from ui.stepper import stepper
from ui.style import keep_tab_focus, page_style
from ui.whatif import whatif
from viz.highlight import escape_markdown
from viz.probe import ABOUT as PROBE_ABOUT


def _example_label(row: dict) -> str:
    return f"{row.get('label') or row['kind']}: {row['source']}"


def _example_text(row: dict) -> dict:
    """What picking ``row`` puts into the text boxes (and the target it opens on)."""
    picked = {"source": row["source"], "reference": row["reference"]}
    if row.get("forced") == "yes":  # a figure drawn from the reference forced
        picked[state.TARGET] = state.TARGETS[1]
    return picked


def _use_example(pair: str) -> None:
    label = st.session_state.get("example")
    for row in state.examples(pair):
        if _example_label(row) == label:
            state.put_text(_example_text(row))


def _switch_pair(previous: str, pair: str) -> None:
    """The pair changed: keep a sentence of the same language (the same sentence,
    another pair's models), else start from the pair's own example.  After a picked
    example, the sentence stays picked where it is one of the new pair's examples: the
    picker names it and the reference is the new pair's.  Otherwise the reference is
    cleared (it is in another language), as on a page opened on the pair."""
    source = state.source_for_pair(previous, pair, st.session_state.get("source") or "")
    picked = st.session_state.get("example") is not None
    rows = state.examples(pair) if picked else []
    row = next((r for r in rows if r["source"] == source), None)
    if row is None:
        st.session_state.update(source=source, reference="", example=None)
    else:
        st.session_state.update(example=_example_label(row), **_example_text(row))


def _forget_stale_example(rows: list[dict]) -> str:
    """The picked example, once the sentence is no longer its own (typed over, or a test
    sentence picked), is no longer named; its reference, still in the box untouched,
    goes with it.  Returns the reference cleared, if any."""
    label = st.session_state.get("example")
    row = next((r for r in rows if _example_label(r) == label), None)
    if label is None or (row is not None and st.session_state.get("source") == row["source"]):
        return ""
    st.session_state["example"] = None
    if (
        row is not None
        and row["reference"]
        and st.session_state.get("reference") == row["reference"]
    ):
        st.session_state["reference"] = ""
        return row["reference"]
    return ""


def source_input(pair: str) -> tuple[str, str]:
    previous = st.session_state.get("source_pair")
    st.session_state["source_pair"] = pair
    if previous is not None and previous != pair:
        _switch_pair(previous, pair)
    rows = state.examples(pair)
    labels = [_example_label(r) for r in rows]
    st.session_state.setdefault("source", state.default_text(pair))
    state.settle_text()  # a pick's stale rerun gets the pick back first
    cleared = _forget_stale_example(rows)
    st.selectbox(
        "Example (classic sentences, then test sentences with references)",
        labels,
        index=None,
        key="example",
        on_change=_use_example,
        args=(pair,),
        placeholder="Pick an example, or type below",
    )
    if cleared:
        st.caption(
            escape_markdown(
                f"The example's reference \u201c{cleared}\u201d was cleared with it: it "
                "translates the example's sentence, not this one."
            )
        )
    text = st.text_area(
        "Source sentence", key="source", height=80, help="Ctrl+Enter applies the text."
    )
    reference = st.text_input("Reference translation (optional)", key="reference")
    text, cut = state.clip_text(text)
    if cut:
        st.info(f"The text was cut to its first {state.MAX_CHARS:,} characters.")
    return text, state.clip_text(reference)[0]


def main() -> None:
    st.set_page_config(page_title="Attention explorer", layout="wide")
    page_style()
    st.title("Attention explorer")
    pointer = st.empty()  # under the title, once the link's tab and tour are read
    state.drop_failed_picks()  # before the sidebar's model picker is drawn
    choice = sidebar()
    tour_pointer(pointer)
    if choice is None:
        return
    text, reference = source_input(choice.pair)
    failed = state.set_aside(choice.names, text, choice.settings) if text.strip() else []
    unavailable(failed)  # weights are loaded on first use: one that fails is set aside
    choice.names = [n for n in choice.names if n not in {e.name for e in failed}]
    if not choice.names:
        st.sidebar.info("Pick at least one model.")
        return
    state.settle_focus(choice.names)  # before the URL is written: it holds the choice
    write_query(choice, text, reference)
    if not text.strip():
        st.info("The source text is empty: type a sentence or pick an example.")
        return
    with state.set_aside_later():  # weights a stored trace stood for, found broken
        translations_and_tab(choice, text, reference)
    device_caption(choice.device_slot)


def translations_and_tab(choice: state.Choice, text: str, reference: str) -> None:
    """The translations, their notes and the open tab."""
    traces = {}
    for name in choice.names:
        trace, error = state.translate(name, text, choice.settings)
        if error:
            st.error(f"Cannot translate this text: {error}.")
            return
        traces[name] = trace
    primary_name = focus_model(traces)
    decoded = primary = traces[primary_name]
    if reference.strip() and target_choice() == state.TARGETS[1]:
        forced, error = state.translate(primary_name, text, choice.settings, force=reference)
        if error:
            st.warning(f"The reference cannot be forced: {error}.")
        else:
            primary = forced
            for note in state.reference_notes(primary_name, reference):
                st.info(f"The reference was {note}.")
            if unknown := state.unknown_target_note(primary_name, reference):
                st.warning(escape_markdown(unknown))
    for note in primary.notes:
        st.info(f"The source was {note}.")
    if other_script := state.script_warning(primary_name, primary.source.text):
        st.warning(escape_markdown(other_script))
    elif other_language := state.language_warning(primary_name, primary.source.text):
        st.warning(escape_markdown(other_language))
    unknown = state.unknown_characters_note(primary_name, primary.source.text)
    if unknown:
        st.warning(escape_markdown(unknown))
    # Lazy tabs: only the open tab runs and reaches the browser, which keeps every
    # rerun and every redraw small (a click in the explorer touches a short page).
    tabs = dict(zip(state.TABS, st.tabs(state.TABS, key="tab", on_change="rerun")))
    keep_tab_focus(st.session_state.get("tab"))
    views = {
        "Explorer": lambda: explorer_tab(
            primary_name,
            primary,
            choice.level,
            decoded,
            state.example_links(choice.pair, text, reference),
            choice.pair,
        ),
        "Inside \u03b1": lambda: inside(primary, primary_name, text, choice),
        "Step through": lambda: stepper(primary),
        "What-if": lambda: whatif(primary, primary_name, text, choice, reference),
        "Beam": lambda: beam_view(decoded, choice.level),
        "Compare": lambda: compare_tab(traces, choice, text, reference),
        "Diagnostics": lambda: diagnostics(primary, choice.level),
        "Gold alignment": lambda: gold_view(primary),
        "Corpus": lambda: corpus(choice.pair),
        "Export": lambda: export_view(primary, choice.level),
    }
    for name, tab in tabs.items():
        if tab.open:
            with tab:
                views[name]()


def focus_model(traces: dict) -> str:
    """Of several models, the one the single-model views show, picked here (its default:
    ``state.settle_focus``; the Compare tab shows them all)."""
    names = list(traces)
    if len(names) == 1:
        return names[0]
    return st.radio(
        "Model shown in the views below (Compare shows all)",
        names,
        key=state.FOCUS,
        horizontal=True,
    )


def target_choice() -> str:
    """With a reference, the views of one model show the model's own translation or the
    reference forced through it (the Beam tab always shows the search)."""
    return st.radio(
        "Target in the views below",
        state.TARGETS,
        key=state.TARGET,
        horizontal=True,
        help="Forced: the model is fed the reference word by word, and each row is the "
        "attention it paid while it was made to write that word.",
    )


def explorer_tab(name: str, trace, level: str, decoded, links: str, pair: str) -> None:
    st.caption(f"Model: {name}")
    if note := weak_model_note(state.entry(name).card):
        st.caption(escape_markdown(note[0].upper() + note[1:]))
    if trace is not decoded:  # the reference forced: what the model itself writes
        st.caption(escape_markdown(f"Its own translation: {decoded.best.text or '(empty)'}"))
    explorer(trace, level, links=links, about=PROBE_ABOUT.get(pair, ""))
    explorer_link(trace, level)


def compare_tab(traces: dict, choice, text: str, reference: str) -> None:
    if len(traces) < 2:
        st.info("Pick two to four models in the sidebar to compare them.")
    else:
        compare(traces, choice, text, reference)


state.run_page(main)
