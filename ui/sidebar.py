"""The sidebar: pair, models, decoding, device, model cards; and the shareable URL."""

from __future__ import annotations

import streamlit as st

from models.options import MAX_BEAM, MAX_LENGTH_PENALTY, MAX_OUTPUT_PIECES, DecodeSettings
from viz.highlight import escape_markdown
from viz.matrix import LEVELS
from viz.probe import COUNTED

from . import state

URL_ROW = f"{state.EXPLORER_ROW}:url"  # the row a shared URL selects, until the explorer shows it
BEAM_HYP = "beam:hyp"  # the Beam tab's chosen hypothesis (0 = the best)
URL_HYP = f"{BEAM_HYP}:url"  # the hypothesis a shared URL chooses, until the Beam tab shows it
# the decoding widgets' values on a page opened without them in its link
DECODING_DEFAULTS = {"beam": 1, "max_len": 0, "lp": 1.0}


def _number(value: str, kind: type, lo: float, hi: float):
    """``kind(value)`` when it parses and lies in [lo, hi], else None."""
    try:
        number = kind(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if lo <= number <= hi else None


WRITTEN = "query:written"  # the parameters the page last wrote into the URL


def history_navigation() -> bool:
    """Whether the browser's Back or Forward asked for this run: Streamlit's run
    context carries the flag its page sends with such a rerun.  A click sent before the
    browser had the URL a run had just written carries the URL before it too, but not
    the flag, so it never undoes what was just typed."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    return bool(getattr(get_script_run_ctx(), "is_history_navigation", False))


def navigated() -> bool:
    """The browser went Back or Forward to a URL the page did not last write (Streamlit
    reruns the page with the history entry's parameters)."""
    written = st.session_state.get(WRITTEN)
    return written is not None and history_navigation() and dict(st.query_params) != written


def _forget_linked_values() -> None:
    """Before a history entry is read again: the values a link may leave out go back
    to what a page opened without them shows, so the entry reads as it was written."""
    # the explorer takes its row from the link again, as for a new sentence
    for key in (state.FOCUS, URL_ROW, URL_HYP, BEAM_HYP, state.EXPLORER_SHOWN, "source_pair"):
        st.session_state.pop(key, None)
    st.session_state.update(tab=state.TABS[0], reference="", example=None, **DECODING_DEFAULTS)
    st.session_state[state.TARGET] = state.TARGETS[0]


def read_query(available: dict[str, str]) -> list[str]:
    """Validate the URL's parameters into widget defaults: once per session, and again
    when the browser goes Back or Forward to another of the page's URLs.

    ``available`` maps model name -> pair.  Returns messages about ignored parameters.
    """
    back = navigated()
    if st.session_state.get("query_read") and not back:
        return []
    st.session_state["query_read"] = True
    if back:
        _forget_linked_values()
    q, notes = st.query_params, []
    pairs = sorted(set(available.values()))
    if q.get("pair") in pairs:
        st.session_state["pair"] = q["pair"]
    elif "pair" in q:
        notes.append("pair")
    if "models" in q:
        asked = [n for n in q["models"].split(",") if n]
        names = [n for n in asked if n in available][: state.MAX_MODELS]
        one_pair = len({available[n] for n in names}) == 1
        if one_pair:
            if q.get("pair") in pairs and q["pair"] != available[names[0]]:
                notes.append(f"pair (the models asked for are {available[names[0]]}'s)")
            st.session_state["pair"] = available[names[0]]
            st.session_state["models"] = names
        if len(names) < len(asked) or not one_pair:
            notes.append("models")  # unknown names, more than the cap, or mixed pairs
    if "focus" in q:
        if q["focus"] in st.session_state.get("models", []):
            st.session_state[state.FOCUS] = q["focus"]
        else:
            notes.append("focus")  # not one of the models the link picks
    checks = {
        "beam": (int, 1, MAX_BEAM),
        "max_len": (int, 1, MAX_OUTPUT_PIECES),
        "lp": (float, 0.0, MAX_LENGTH_PENALTY),
        "row": (int, 0, MAX_OUTPUT_PIECES),
        "hyp": (int, 1, MAX_BEAM),  # 1-based, as the n-best list ranks
    }
    session_key = {"row": URL_ROW, "hyp": URL_HYP}
    for key, (kind, lo, hi) in checks.items():
        if key in q:
            value = _number(q[key], kind, lo, hi)
            if value is None:
                notes.append(key)
            else:
                st.session_state[session_key.get(key, key)] = value
    if q.get("tab") in state.TABS:
        st.session_state["tab"] = q["tab"]
    elif "tab" in q:
        notes.append("tab")
    if q.get("target") == "reference" and q.get("ref", "").strip():
        st.session_state[state.TARGET] = state.TARGETS[1]
    elif q.get("target") == "reference":
        notes.append("target (the link gives no reference to force: ref=)")
    elif "target" in q:
        notes.append("target")
    if q.get("tour") == "done":  # the guided tour was taken or skipped
        st.session_state["tour:done"] = True
    if q.get("level") in LEVELS:
        st.session_state["level"] = q["level"]
    elif "level" in q:
        notes.append("level")
    for key, widget in (("text", "source"), ("ref", "reference")):
        if key in q:
            st.session_state[widget], cut = state.clip_text(q[key])
            if cut:  # kept, as typed text is, with a note
                notes.append(f"{key} (cut to its first {state.MAX_CHARS:,} characters)")
    return notes


def write_query(choice: state.Choice, text: str, reference: str) -> None:
    """The URL holds the sentence, the models, the settings, the open tab, the
    explorer's selected target word and the Beam tab's chosen hypothesis."""
    params = {
        "pair": choice.pair,
        "models": ",".join(choice.names),
        "beam": str(choice.settings.beam),
        "lp": f"{choice.settings.length_penalty:g}",
        "level": choice.level,
        "text": text,
    }
    if choice.settings.max_len:
        params["max_len"] = str(choice.settings.max_len)
    if reference:
        params["ref"] = reference
    if len(choice.names) > 1 and st.session_state.get(state.FOCUS) in choice.names:
        params["focus"] = st.session_state[state.FOCUS]
    if reference.strip() and st.session_state.get(state.TARGET) == state.TARGETS[1]:
        params["target"] = "reference"
    if st.session_state.get("tour:done"):
        params["tour"] = "done"
    tab = st.session_state.get("tab")
    if tab in state.TABS[1:]:
        params["tab"] = tab
    hyp = st.session_state.get(URL_HYP, st.session_state.get(BEAM_HYP, 0) + 1)
    if tab == "Beam" and choice.settings.beam > 1 and hyp > 1:
        params["hyp"] = str(hyp)
    row = st.session_state.get(URL_ROW, st.session_state.get(state.EXPLORER_ROW, 0))
    if row and (URL_ROW in st.session_state or not _new_matrix(params)):
        params["row"] = str(row)
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
    st.session_state[WRITTEN] = params


# Parameters whose change gives the explorer another matrix, its selected row back at
# the first (the level carries the row to the same word; the decoding settings may leave
# the output as it was, and the row with it)
MATRIX_PARAMS = ("pair", "models", "focus", "text", "target")


def _new_matrix(params: dict[str, str]) -> bool:
    """Whether the explorer will show another matrix than the last URL's: its row is
    then not written (the explorer starts at the first row, and a row written now and
    dropped when it shows would make two steps of history of one change)."""
    written = st.session_state.get(WRITTEN)
    if written is None:
        return False
    keys = (*MATRIX_PARAMS, "ref") if params.get("target") == "reference" else MATRIX_PARAMS
    return any(written.get(k) != params.get(k) for k in keys)


def write_row(row: int) -> None:
    """The explorer's selected row into the URL (a click reruns the explorer alone)."""
    value = str(row) if row else None
    if st.query_params.get("row") != value:
        if value is None:
            del st.query_params["row"]
        else:
            st.query_params["row"] = value
        st.session_state[WRITTEN] = dict(st.query_params)


def unavailable(entries) -> None:
    """Models whose weights failed to load (``state.set_aside``), in the sidebar."""
    for e in entries:
        st.sidebar.warning(f"**{e.name}** is unavailable: {e.error}", icon="⚠️")


def sidebar() -> state.Choice | None:
    entries = state.registry(state.root())
    available = {e.name: e.config.pair for e in entries if e.available}
    ignored = read_query(available)
    bar = st.sidebar
    bar.header("Models")
    for e in entries:
        if not e.available:
            bar.warning(f"**{e.name}** is unavailable: {e.error}", icon="⚠️")
    if ignored:
        bar.info("Ignored or cut link parameters: " + ", ".join(ignored))
    if not available:
        bar.error("No usable checkpoint was found.")
        return None
    pairs = state.ordered_pairs(set(available.values()))
    domains: dict[str, str] = {}  # a pair's models share their data: the first that says it
    for e in entries:
        if e.available and e.card.get("domain"):
            domains.setdefault(e.config.pair, e.card["domain"])
    pair = bar.selectbox(
        "Language pair",
        pairs,
        key="pair",
        format_func=lambda p: f"{p} · {domains[p]}" if domains.get(p) else p,
    )
    if domains.get(pair):  # whole: the box cuts a long label
        bar.caption(escape_markdown(f"{pair}: {domains[pair]}"))
    names = sorted(n for n, p in available.items() if p == pair)
    kept = st.session_state.get("models")
    if kept is None or [n for n in kept if n not in names]:
        # another pair was picked: its default model, set in the state (a widget default
        # is not enough: the browser kept showing the other pair's model)
        st.session_state["models"] = [state.default_model(names)] if names else []
    chosen = bar.multiselect(
        f"Models (one to explore, up to {state.MAX_MODELS} to compare)",
        names,
        key="models",
        max_selections=state.MAX_MODELS,
    )
    chosen = [n for n in chosen if state.entry(n).available]  # one that failed to load
    if not chosen:
        bar.info("Pick at least one model.")
        return None
    settings = decoding(bar)
    level = bar.radio(
        "Rows and columns",
        list(LEVELS),
        key="level",
        horizontal=True,
        help=(
            "pieces: the model's own units, one α per source piece at each step. "
            "words: a source word's pieces are summed (each row still sums to 1) and a "
            "target word's rows averaged; punctuation at a word's end is a word of its own, "
            "and so is a French elided word (l'homme: l' homme)."
        ),
    )
    slot = bar.empty()
    device_caption(slot)
    for name in chosen:
        with bar.expander(f"Card: {name}"):
            card_summary(state.entry(name).card)
    return state.Choice(pair, chosen, settings, level, slot)


def device_caption(slot) -> None:
    """Where the models decode, in ``slot``; ``app.py`` writes it again at the end of a
    run, as the run's decoding may have been the first (torch imported during it)."""
    device = state.device_text()
    slot.caption(f"Device: {device}" if device else "Device: chosen once the models load")


def decoding(bar) -> DecodeSettings:
    bar.header("Decoding")
    # defaults in the state, not as arguments: a link's values are put there too, and
    # Streamlit objects to a widget given both
    for key, value in DECODING_DEFAULTS.items():
        st.session_state.setdefault(key, value)
    beam = bar.slider("Beam size (1 = greedy)", 1, MAX_BEAM, key="beam")
    max_len = bar.number_input(
        "Max output pieces (0 = 2 x source + 10)", 0, MAX_OUTPUT_PIECES, key="max_len"
    )
    lp = bar.slider(
        "Length penalty lp",
        0.0,
        MAX_LENGTH_PENALTY,
        key="lp",
        step=0.1,
        disabled=beam == 1,
        help=(
            "The beam ranks a finished hypothesis by log p / ((5 + length) / 6)^lp "
            "(Wu et al. 2016, where it is called α: not the attention weights). "
            "0 ranks by log p alone, which favours short outputs."
        ),
    )
    return DecodeSettings(beam=beam, max_len=max_len or None, length_penalty=lp)


WEAK_BLEU = 10.0  # below this test BLEU (greedy), the page warns that outputs are often wrong


def weak_model_note(card: dict) -> str | None:
    """For a model whose card says most translations miss (test BLEU under
    ``WEAK_BLEU``), a line to put beside its output; None otherwise or without figures."""
    test = card.get("test") or {}
    greedy = (test.get("greedy") or {}).get("bleu", test.get("bleu"))
    if greedy is None or greedy >= WEAK_BLEU:
        return None
    beam = (test.get("beam5") or {}).get("bleu")
    scores = f"{greedy} greedy" + (f", {beam} with beam 5" if beam is not None else "")
    domain = card.get("domain") or "a small model"
    return (
        f"{domain}. Test BLEU {scores}, so many of its translations are wrong. The "
        "attention shown is still exactly what it computed for this one."
    )


def card_rows(card: dict) -> dict[str, object]:
    """The card's headline figures, label -> text."""
    test, training = card.get("test") or {}, card.get("training") or {}
    rows = {
        "attention": f"{card.get('attention', '?')} ({card.get('score', '')})",
        "parameters": f"{card.get('params', 0):,}",
        "encoder": encoder_text(card),
        "trained": f"{training.get('steps', '?')} steps, "
        f"{training.get('seconds', 0) / 60:.0f} min, {training.get('hardware', '?')}",
        "test BLEU / chrF": f"{test.get('bleu', '–')} / {test.get('chrf', '–')}",
        "AER": card.get("aer") if card.get("aer") is not None else "–",
    }
    probe = card.get("reorder_probe")
    if probe:
        name = COUNTED.get(card.get("pair", ""), "reordering links found")
        rows[name] = f"{probe['found']} of {probe['of']} (training.probe)"
    if card.get("domain"):
        rows["data"] = card["domain"]
    if card.get("credit"):  # the data's authors and licences (CC BY-SA travels with it)
        rows["credit"] = card["credit"]
    return rows


def encoder_text(card: dict) -> str:
    """The encoder GRU's width and directions (cards written before the key existed are
    bidirectional)."""
    width = (card.get("sizes") or {}).get("enc_hidden", "?")
    if card.get("bidirectional", True):
        return f"GRU, 2 directions x {width}"
    return f"GRU {width}, left to right"


def card_summary(card: dict) -> None:
    rows = card_rows(card)
    # A Markdown table, not a table element: the page then needs no table code in
    # the browser before the first heatmap (~1 MB less JavaScript to load and compile).
    lines = ["| | |", "|---|---|"]
    lines += [f"| {k} | {escape_markdown(str(v))} |" for k, v in rows.items()]
    st.markdown("\n".join(lines))
