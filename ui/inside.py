"""Inside alpha: how one row of the attention matrix is computed, with the model's own
numbers (the score, the softmax, the context), which state asks (Bahdanau vs Luong),
the softmax's temperature (tau), what the model does if it looks elsewhere, the fixed-vector
bottleneck, and a guided tour through them.  Numbers come from ``models.explain``,
figures and formulas from ``viz.inside``."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import streamlit as st

from models.options import AttentionOptions, normalise_weights
from models.text import plural
from models.trace import DecodeTrace
from viz.corpus import length_figure_note
from viz.heatmap import heatmap_figure
from viz.highlight import escape_markdown
from viz.inside import (
    ATTENTIONAL_NAME,
    CONTEXT_NAME,
    NOTATION,
    PREVIOUS_NAME,
    QUERY_NAME,
    SCORE_NAME,
    SOFTMAX_LATEX,
    SOURCE_NAME,
    SOURCE_NAMES,
    STATE_NAME,
    TAU_NAME,
    WEIGHT_NAME,
    bottleneck_figure,
    context_latex,
    context_strips,
    contexts_figure,
    numbers_latex,
    order_rows,
    score_bars_html,
    score_latex,
    score_strips,
    score_table_html,
    signed,
    softmax_numbers_latex,
    strips_data,
    strips_figure,
    word_row_note,
    work_size,
)
from viz.matrix import attention_view, piece_label, word_groups

from . import state
from .explorer import matrix_identity
from .sidebar import URL_ROW
from .strips_component import heat_strips
from .style import restore_focus

if TYPE_CHECKING:
    from models.explain import StepExplanation

TAB = "Inside \u03b1"
STEP = "inside:t"  # the selected output step (0-based piece index)
LINK_APPLIED = "inside:link"  # the link's target word the step was last set from
SOURCE = "inside:j"  # the selected source piece
TAUS = [0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 50.0]
CHART = {"displayModeBar": False}
NO_ATTENTION = (
    "This model has no attention, so there is no \u03b1 to take apart: the encoder's "
    "final states become one fixed context vector c, and every decoder step reads that "
    "same c, whatever word it is writing. Below: BLEU by sentence length, where the "
    "fixed vector runs out of room, and c at every step (the same strip each time)."
)

# -- the way in from the explorer ---------------------------------------------------


def step_of_row(h, level: str, row: int) -> int:
    """The output step (piece) of the explorer's target row: at word level the word's
    first piece."""
    groups = word_groups(h.piece_to_word)
    t = groups[min(row, len(groups) - 1)][0] if level == "words" else row
    return min(max(t, 0), len(h.ids) - 1)


def row_of_step(h, level: str, t: int) -> int:
    """The explorer's target row that holds output step ``t``."""
    if level != "words":
        return t
    return next(i for i, group in enumerate(word_groups(h.piece_to_word)) if t in group)


def _link_mark(trace: DecodeTrace, level: str, row: int) -> tuple:
    return (trace.model, trace.source.text, tuple(trace.best.ids), level, row)


def selected_row(trace: DecodeTrace, level: str) -> int:
    """The page's selected target word for this translation: a link's (held until the
    explorer shows it), else the explorer's own where it shows this translation."""
    if URL_ROW in st.session_state:
        return st.session_state[URL_ROW]
    if st.session_state.get(state.EXPLORER_SHOWN) == matrix_identity(trace, level):
        return st.session_state.get(state.EXPLORER_ROW, 0)
    return 0


def step_from_selected_word(trace: DecodeTrace, level: str) -> None:
    """Inside alpha opens at the step of the page's selected word (a shared link's too)
    whenever that word changed since it last set its step, and when its step was
    dropped (Streamlit forgets a widget a run does not draw: another tab was open)."""
    row = selected_row(trace, level)
    mark = _link_mark(trace, level, row)
    if STEP in st.session_state and st.session_state.get(LINK_APPLIED) == mark:
        return
    st.session_state[LINK_APPLIED] = mark
    st.session_state[STEP] = step_of_row(trace.best, level, row)


def share_step(trace: DecodeTrace, level: str) -> None:
    """Callback of the step picker: the step's target word becomes the page's selected
    word, in the explorer and the URL (held for the explorer, as a link's, when it has
    not shown this translation yet)."""
    row = row_of_step(trace.best, level, st.session_state[STEP])
    if st.session_state.get(state.EXPLORER_SHOWN) == matrix_identity(trace, level):
        st.session_state[state.EXPLORER_ROW] = row
        st.session_state[state.EXPLORER_PILL] = row
    else:
        st.session_state[URL_ROW] = row
    st.session_state[LINK_APPLIED] = _link_mark(trace, level, row)  # the step stays as picked


def open_from_explorer(trace: DecodeTrace, level: str) -> None:
    """Callback of the explorer's link: the Inside-alpha tab at the explorer's selected
    row (read at the click: a click in the explorer reruns the explorer alone), at word
    level its first piece, on the source piece that row attends to most."""
    h = trace.best
    t = step_of_row(h, level, st.session_state.get(state.EXPLORER_ROW, 0))
    st.session_state[STEP] = t
    st.session_state[SOURCE] = int(np.argmax(h.alphas[t])) if h.alphas is not None else 0
    st.session_state["tab"] = TAB
    st.session_state[VIEW] = VIEWS[0]


def explorer_link(trace: DecodeTrace, level: str) -> None:
    """The button under the explorer (outside its fragment, so one click is one page
    run) that opens Inside alpha at the selected target word."""
    if not trace.has_attention:
        return
    st.button(
        "Inside \u03b1: how the selected row was computed \u2192",
        key="explore:inside",
        on_click=open_from_explorer,
        args=(trace, level),
        help="Open the Inside \u03b1 tab at this target word: score, softmax, context. "
        "Inside \u03b1 takes one piece at a time: a word of several pieces opens at its "
        "first piece (the word's row here is the mean of its pieces' rows).",
    )


# -- cached work (models are shared and only read) ----------------------------------


@st.cache_resource(max_entries=512, show_spinner=False)
def explanation(
    name: str, source: tuple[int, ...], target: tuple[int, ...], t: int, options
) -> StepExplanation:
    from models.explain import explain_step  # torch: this page's first view never needs it

    return explain_step(state.translator(name).model, list(source), list(target), t, options)


@st.cache_resource(max_entries=128, show_spinner=False)
def contexts(name: str, source: tuple[int, ...], target: tuple[int, ...]) -> np.ndarray:
    from models.explain import context_vectors

    return context_vectors(state.translator(name).model, list(source), list(target))


@st.cache_resource(max_entries=256, show_spinner=False)
def step_figures(step: tuple, cols: tuple[str, ...], j: int) -> tuple:
    """The step view's three drawings (strip data and escaped HTML, no chart library:
    the view draws at once) for ``step`` = (model name, source ids, target ids, t) and
    source piece j, built once: a step seen before is sent as it was."""
    ex = explanation(*step, AttentionOptions())
    strips = score_strips(ex, j, cols[j])
    return (
        strips_data(strips, "the vectors of this score"),
        score_bars_html(list(cols), ex.scores, ex.alphas, j),
        strips_data(
            context_strips(list(cols), ex.alphas, ex.values, ex.attention),
            f"{WEIGHT_NAME} {SOURCE_NAMES[ex.attention]} and their sum",
            shared=True,
            hover=[len(cols)],  # the sum c_t: one row of tooltips, not one per source piece
        ),
    )


def _pair_models(pair: str) -> dict[str, str]:
    """attention kind -> the first available model of the pair with it."""
    entries = state.registry(state.root())
    out: dict[str, str] = {}
    for e in entries:
        if e.available and e.config.pair == pair:
            out.setdefault(e.config.attention, e.name)
    return out


# -- the tab ------------------------------------------------------------------------


VIEWS = [
    "The step",
    "Bahdanau vs Luong",
    "Temperature \u03c4",
    "What if it looked here?",
    "Bottleneck",
]
VIEW = "inside:view"  # the open view (lazy: only it runs)


def inside(trace: DecodeTrace, name: str, text: str, choice: state.Choice) -> None:
    tour_panel(trace.has_attention)
    h, src = trace.best, trace.source
    if not trace.has_attention:
        st.info(NO_ATTENTION)
        _bottleneck(trace, choice)  # first, as in the Bottleneck view of attention models
        _fixed_context(trace, name)
        return
    cols = [piece_label(p) for p in src.pieces]
    last = len(h.ids) - 1
    step_from_selected_word(trace, choice.level)
    if st.session_state.get(STEP, 0) > last:
        st.session_state[STEP] = 0
    t = st.selectbox(
        "Output step t (the target piece being written)",
        list(range(len(h.ids))),
        key=STEP,
        format_func=lambda i: f"t = {i + 1}: {piece_label(h.pieces[i])}",
        on_change=share_step,
        args=(trace, choice.level),
    )
    if choice.level == "words" and (note := word_row_note(h.pieces, h.words, h.piece_to_word, t)):
        st.caption(escape_markdown(note))
    ex = explanation(name, tuple(src.ids), tuple(h.ids), t, AttentionOptions())
    if st.session_state.get(SOURCE, 0) >= len(cols):
        st.session_state[SOURCE] = int(np.argmax(ex.alphas))
    st.session_state.setdefault(SOURCE, int(np.argmax(ex.alphas)))
    views = {
        VIEWS[0]: lambda: _the_step((name, tuple(src.ids), tuple(h.ids), t), cols, h),
        VIEWS[1]: lambda: _which_state(trace, name, choice, t),
        VIEWS[2]: lambda: _temperature(trace, name, text, choice),
        VIEWS[3]: lambda: _what_if(trace, name, text, choice, t, cols),
        VIEWS[4]: lambda: (
            _bottleneck(trace, choice),
            _fixed_context(trace, name, compare=_pair_models(choice.pair).get("none")),
        ),
    }
    # Lazy, like the page's tabs: a click in the explorer runs the step view alone.
    for view, tab in zip(VIEWS, st.tabs(VIEWS, key=VIEW, on_change="rerun")):
        if tab.open:
            with tab:
                views[view]()


TOUR_MARK = "\u2190 the tour is here"
TOUR_FOCUS = "tour:focus"  # how many times a tour button was pressed
TOUR_FOCUSED = "tour:focused"  # the press whose run has put the focus back
TOUR_BUTTONS = ".st-key-tour-next button, .st-key-tour-start button"
TOUR_HELD_SHARE = 0.5  # the most of the window's height a box held at the top may take
TOUR_SCROLL = "tour:scroll"  # a tour step was just chosen: its section scrolls into view
# Our own constant script (no user text in it): the marked heading to the top of the
# window, just below the tour box where that stays at the top (STICKY_SCRIPT): centring
# it left it under the box in a short window (a projector zoomed to 200%%).
SCROLL_SCRIPT = """<script>
setTimeout(() => {
  const marked = [...document.querySelectorAll("h4")].find(
    (h) => h.textContent.includes("%s"));
  if (!marked) return;
  const box = document.querySelector(".st-key-tour-box");
  const header = document.querySelector('[data-testid="stHeader"]');
  // held by the sticky script's own rule, not by its style: that script may not have
  // run yet for this step's box (it is a new element), and the box would then cover
  // the heading scrolled to just below the header
  const held = box && box.offsetHeight <= window.innerHeight * HELD_SHARE;
  const below = (header ? header.offsetHeight : 0) + (held ? box.offsetHeight : 0);
  marked.style.scrollMarginTop = `${below + 16}px`;
  marked.scrollIntoView({block: "start", behavior: "smooth"});
  // the previous view's elements leave the page after this run's: the heading can
  // move once the smooth scroll is done, so it is put back in place while it settles
  for (const wait of [600, 900, 1200, 1600]) {
    setTimeout(() => {
      const top = marked.getBoundingClientRect().top;
      if (document.contains(marked) && Math.abs(top - below - 16) > 8) {
        marked.scrollIntoView({block: "start"});
      }
    }, wait);
  }
}, 150);
</script><!-- %s -->""".replace("HELD_SHARE", str(TOUR_HELD_SHARE))


# The tour box stays at the top of the window while its step's section scrolls into view
# below it, so Next and Back stay in reach.  Its wrapper is made sticky (the box alone has
# no room to move inside it), here rather than with a CSS :has() rule that the browser
# would match on every change of the page; the box takes the page's own background, light
# or dark, to cover what scrolls under it (Streamlit's theme colours are not CSS
# variables).  In a short window (a projector at 200% zoom) a held box would cover most
# of it: there it scrolls away with the page (TOUR_HELD_SHARE).  Our own constant script,
# no user text in it.
STICKY_SCRIPT = """<script>
(() => {  // a scope of its own: the script runs again in the same page
  const paint = () => {
    const box = document.querySelector(".st-key-tour-box");
    const app = document.querySelector(".stApp");
    if (!box || !app) return;
    box.style.background = getComputedStyle(app).backgroundColor;
    const held = box.offsetHeight <= window.innerHeight * HELD_SHARE;
    Object.assign(box.parentElement.style, held
      ? {position: "sticky", top: "3.75rem", zIndex: 5} : {position: "static"});
  };
  paint();
  // a theme chosen mid-tour restyles the page without a rerun, a window can be resized
  // or zoomed, and each step's text gives the box another height: paint again then
  const app = document.querySelector(".stApp");
  if (app && !app.dataset.tourPaint) {
    app.dataset.tourPaint = "1";
    new MutationObserver(paint).observe(app, {attributes: true, attributeFilter: ["class"]});
    window.addEventListener("resize", paint);
  }
  const box = document.querySelector(".st-key-tour-box");
  if (box && !box.dataset.tourPaint) {
    box.dataset.tourPaint = "1";
    new ResizeObserver(paint).observe(box);
  }
})();
</script>""".replace("HELD_SHARE", str(TOUR_HELD_SHARE))


def _section(anchor: str, title: str) -> None:
    pointed = _tour_anchor() == anchor
    marker = f" {TOUR_MARK}" if pointed else ""
    st.markdown(f"#### {title}{marker}")
    if pointed and st.session_state.pop(TOUR_SCROLL, False):
        # the anchor in the comment makes each step's script new, so that it runs
        st.html(SCROLL_SCRIPT % (TOUR_MARK, anchor), unsafe_allow_javascript=True)


def _the_step(step: tuple, cols: list[str], h) -> None:
    """``step`` = (model name, source ids, target ids, t)."""
    t = step[3]
    ex = explanation(*step, AttentionOptions())
    _section("scores", "The score of every source piece")
    st.markdown(f"Step t = {t + 1} writes **{escape_markdown(piece_label(h.pieces[t]))}**.")
    st.latex(score_latex(ex.score))
    st.latex(NOTATION[ex.score].defines)
    st.caption(NOTATION[ex.score].says)
    j = st.selectbox(
        "Source piece j to write out",
        list(range(len(cols))),
        key=SOURCE,
        format_func=lambda i: f"j = {i + 1}: {cols[i]} (\u03b1 = {ex.alphas[i]:.3f})",
    )
    st.latex(numbers_latex(ex, j))
    vectors, bars, context = step_figures(step, tuple(cols), j)
    heat_strips(vectors, key="inside:vectors")
    _section("softmax", "Softmax: scores become weights that sum to 1")
    st.latex(SOFTMAX_LATEX)
    st.caption(
        f"{TAU_NAME} is the softmax's temperature: "
        + ("1 here, as the model was trained, so it drops out below"
           if ex.scale == 1.0 else f"{ex.scale:g} here")
        + " (the Temperature view changes it)."
    )  # fmt: skip
    st.latex(softmax_numbers_latex(ex.scores, ex.alphas, j, ex.scale))
    st.html(score_table_html(cols, ex.scores, ex.alphas, j, t))
    st.html(bars)
    _section("context", "The context vector")
    st.latex(context_latex(ex.attention))
    heat_strips(context, key="inside:context")


def compared_models(
    picked: str, attention: str, pair: str, others: tuple[str, ...] = ()
) -> dict[str, tuple[str, str]]:
    """attention kind -> (the model its column shows, why that one): the model shown
    for its own kind; for the other kind, the first of the other models picked in the
    sidebar (``others``) that has it, else the pair's first model with it."""
    kinds = {n: state.entry(n).config.attention for n in others}
    out = {}
    for kind, first in _pair_models(pair).items():
        also = [n for n in others if kinds[n] == kind]
        if kind == attention:
            out[kind] = (picked, "the model picked in the sidebar")
        elif also:
            out[kind] = (also[0], "picked in the sidebar")
        else:
            out[kind] = (first, f"the pair's first {kind.capitalize()} model")
    out.setdefault(attention, (picked, "the model picked in the sidebar"))
    return out


def _which_state(trace: DecodeTrace, name: str, choice: state.Choice, t: int) -> None:
    """Bahdanau and Luong side by side at this step, each with its own numbers for the
    same source and the same output so far: the picked model in its own kind's column,
    in the other a model of that kind picked beside it, else the pair's first
    (``compared_models``)."""
    _section("order", "Which state asks the question")
    others = tuple(n for n in choice.names if n != name)
    models = compared_models(name, trace.attention, choice.pair, others)
    h = trace.best
    left, right = st.columns(2)
    for column, kind in ((left, "bahdanau"), (right, "luong")):
        with column:
            model, why = models.get(kind, (None, ""))
            st.markdown(f"**{kind.capitalize()}**" + (f" ({model})" if model else ""))
            if model is None:
                for latex, what in order_rows(kind):
                    st.latex(latex)
                    st.caption(what)
                st.info(f"No {kind} model of this pair is loaded.")
                continue
            st.caption(f"{why}.")
            ex = explanation(model, tuple(trace.source.ids), tuple(h.ids), t, AttentionOptions())
            for latex, what in order_rows(kind, ex.score):
                st.latex(latex)
                st.caption(what)
            asks = QUERY_NAME[kind]
            strips = [
                (PREVIOUS_NAME[kind], ex.state_prev),
                (STATE_NAME[kind], ex.state_new),
                (CONTEXT_NAME, ex.context),
            ]
            if ex.attentional is not None:
                strips.append((ATTENTIONAL_NAME, ex.attentional))
            st.plotly_chart(
                strips_figure(strips, f"the query is {asks} (H = {len(ex.query)})"),
                config=CHART,
                key=f"inside:order:{kind}",
            )


def forced_target(trace: DecodeTrace) -> str | None:
    """The target a forced trace was made to write (the reference), else None: a view
    that re-decodes with other attention forces the same target, so that its panels
    are in the same mode as the one the page shows."""
    if trace.mode != "forced":
        return None
    ids = trace.settings.get("force_ids")
    return tuple(ids) if ids is not None else trace.settings.get("force")


FORCED_NOTE = (
    "The view shows the reference, forced: both panels force it, so the words stay and "
    "the attention and log p change."
)


def _temperature(trace: DecodeTrace, name: str, text: str, choice: state.Choice) -> None:
    _section("temperature", "The temperature: sharpen or flatten the softmax")
    st.latex(r"\alpha_{tj} = \mathrm{softmax}_j(e_{tj} / \tau)")
    _restore("inside:tau", 1.0)
    tau = st.select_slider(
        f"Temperature {TAU_NAME} (1: as trained; towards 0 it approaches hard attention; "
        "large: towards the average)",
        TAUS,
        key="inside:tau",
    )
    _keep("inside:tau", tau)
    settings = replace(choice.settings, attention=AttentionOptions(scale=float(tau)))
    other, error = state.translate(name, text, settings, force=forced_target(trace))
    if error:
        st.error(error)
        return
    _side_by_side(trace, "as trained (\u03c4 = 1)", other, tau_label(tau), "inside:tau")


def tau_label(tau: float) -> str:
    """The heading of the temperature's second panel (the first is the model as
    trained)."""
    if tau == 1.0:
        return "\u03c4 = 1: move the slider"  # the same as the first until then
    return f"\u03c4 = {tau:g}"


def _what_if(trace, name: str, text: str, choice: state.Choice, t: int, cols: list[str]):
    _section("whatif", "What if it looked here?")
    h = trace.best
    rest = (
        "score the rest of the reference from there"
        if forced_target(trace) is not None
        else "decode the rest of the sentence from there"
    )
    st.markdown(
        f"At step t = {t + 1} put the attention where you choose, then let the model {rest}."
    )
    _restore("inside:byhand", False)
    by_hand = st.toggle("Set the weights by hand", key="inside:byhand")
    _keep("inside:byhand", by_hand)
    if by_hand:
        weights = []
        shown = [float(round(a, 3)) for a in h.alphas[t]]  # the boxes start at these
        grid = st.columns(min(len(cols), 6))
        for j, c in enumerate(cols):
            weights.append(
                grid[j % len(grid)].number_input(
                    escape_markdown(c), 0.0, 1.0, shown[j], 0.05, key=f"inside:w:{t}:{j}"
                )
            )
        if weights == shown:  # untouched: the model's own weights, not their rounding
            override = tuple(float(a) for a in h.alphas[t])
        else:
            try:
                override = normalise_weights(weights)
            except ValueError as exc:
                st.error(str(exc))
                return
        st.caption("The weights are renormalised to sum to 1.")
    else:
        j = st.selectbox(
            "Look only at",
            list(range(len(cols))),
            index=int(np.argmin(h.alphas[t])),
            key=f"inside:look:{t}",
            format_func=lambda i: f"{cols[i]} (the model gave it \u03b1 = {h.alphas[t][i]:.3f})",
        )
        override = tuple(float(i == j) for i in range(len(cols)))
    options = AttentionOptions(1.0, t, override)
    other, error = state.translate(
        name, text, replace(choice.settings, attention=options), force=forced_target(trace)
    )
    if error:
        st.error(error)
        return
    label = f"attention set at t = {t + 1}"
    _side_by_side(trace, "the model's own attention", other, label, "inside:wi")


def _restore(key: str, default) -> None:
    """A widget of a view that was closed lost its state: give it back what it held."""
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(f"{key}:kept", default)


def _keep(key: str, value) -> None:
    st.session_state[f"{key}:kept"] = value


SIDE_BY_SIDE_COLUMNS = 16  # source pieces (</s> included) two heatmaps show side by side


def _side_by_side(trace: DecodeTrace, label_a: str, other: DecodeTrace, label_b: str, key):
    """The page's trace beside one re-decoded with other attention, in the same mode
    (both free, or both forcing the reference), each with its output and log p."""
    if forced_target(trace) is not None:
        st.caption(FORCED_NOTE)
    # a long source's columns squeezed into half the page overprint their labels: one
    # above the other then, each as wide as the page
    wide = len(trace.source.pieces) > SIDE_BY_SIDE_COLUMNS  # the pieces hold </s>
    left, right = (st.container(), st.container()) if wide else st.columns(2)
    for column, tr, label, side in ((left, trace, label_a, "a"), (right, other, label_b, "b")):
        with column:
            st.markdown(f"**{escape_markdown(label)}**")
            st.text(tr.best.text or "(empty)")
            st.caption(f"log p = {signed(tr.best.score, 3)}")
            view = attention_view(tr, 0, "pieces")
            st.plotly_chart(
                heatmap_figure(view, None, "", max_width=560), config=CHART, key=f"{key}:{side}"
            )


def _bottleneck(trace: DecodeTrace, choice: state.Choice) -> None:
    _section("bottleneck", "The bottleneck of one fixed vector")
    entries = state.registry(state.root())
    cards = {e.name: e.card for e in entries if e.available and e.config.pair == choice.pair}
    fig = bottleneck_figure(cards, len(trace.source.words))
    if fig is None:
        st.info("No model of this pair has BLEU by length in its card.")
    else:
        st.caption(
            "BLEU by source length (test set, from the model cards): the model without "
            "attention must squeeze every sentence into one vector. " + length_figure_note(fig)
        )
        st.plotly_chart(fig, config=CHART, key="inside:bleu")
    if not trace.has_attention:  # no scores to count: its cost is the one vector
        return
    h = trace.best
    st.latex(work_size(len(trace.source.ids), len(h.ids)))
    st.caption(
        escape_markdown(
            f"T_x counts the source pieces with </s> ({len(trace.source.ids)} here, for "
            f"{plural(len(trace.source.words), 'word')}), T_y the output pieces with </s> "
            f"({len(h.ids)}): one score per source piece at every output step. Step "
            "through fills the heatmap in one row per step."
        )
    )


def _fixed_context(trace: DecodeTrace, name: str, compare: str | None = None) -> None:
    """c_t at every step: this model's, and the pair's model without attention's."""
    h = trace.best
    rows = [piece_label(p) for p in h.pieces]
    shown = [(name, trace)] + ([(compare, None)] if compare and compare != name else [])
    for model, _ in shown:
        c = contexts(model, tuple(trace.source.ids), tuple(h.ids))
        same = bool(np.allclose(c, c[:1])) if len(c) else True
        title = f"{model}: c at every step ({'one fixed vector' if same else 'changes'})"
        st.plotly_chart(contexts_figure(c, rows, title), config=CHART, key=f"inside:ctx:{model}")
        if model != name:  # a caption wraps on a narrow screen, where a title is cut
            st.caption(
                escape_markdown(
                    f"Its rows are the steps of {name}'s output, forced through {model}: "
                    "without attention, c is the same whatever the model writes."
                )
            )


# -- the guided tour ----------------------------------------------------------------

TOUR = [  # (anchor, title, text): the tutorial's story, each step on the view it explains
    (
        "bottleneck",
        "A fixed vector",
        "Without attention the whole source must fit into one vector c. The Bottleneck "
        "view shows BLEU falling with sentence length for such a model, and its c staying "
        "the same at every step.",
    ),
    (
        "scores",
        "Scores",
        "Attention lets every output step look back. A score function gives each source "
        f"piece j a score {SCORE_NAME} against the decoder state that asks "
        f"({QUERY_NAME['bahdanau']} for Bahdanau, {QUERY_NAME['luong']} for Luong). The "
        "function depends on the model: a "
        "small network (Bahdanau, Luong concat), a dot product (Luong dot) or a bilinear "
        "form (Luong general). The step view writes that score out with this step's real "
        "numbers.",
    ),
    (
        "softmax",
        "Softmax",
        f"The scores become weights: {WEIGHT_NAME} = softmax\u2c7c({SCORE_NAME}). They are "
        "positive and sum to 1, a fixed budget shared by the source pieces.",
    ),
    (
        "context",
        "Context",
        f"The context {CONTEXT_NAME} is the weighted sum of the annotations {SOURCE_NAME}: "
        "a different vector at every step, unlike the fixed c.",
    ),
    (
        "bottleneck",
        "The heatmap's cost",
        f"Each row of the attention heatmap is one step's {WEIGHT_NAME}, so a sentence costs "
        r"$T_x \times T_y$ scores (source pieces times output pieces): counted here, under the "
        "BLEU chart, for a model with attention. The Explorer tab draws the matrix itself; "
        "Step through fills it in row by row.",
    ),
    (
        "order",
        "Bahdanau vs Luong",
        f"Bahdanau scores with the previous state {QUERY_NAME['bahdanau']} before the GRU "
        f"runs; Luong runs the GRU first and scores with {QUERY_NAME['luong']}. Both, in "
        "order, with their real vectors.",
    ),
    (
        "temperature",
        "The temperature",
        f"Divide the scores by a temperature {TAU_NAME} before the softmax: as {TAU_NAME} "
        "approaches 0 the weights approach hard attention (all on the best-scored piece), "
        f"a large {TAU_NAME} flattens them towards the average of the source, and they still "
        "sum to 1. Move the slider and see the translation change.",
    ),
    (
        "whatif",
        "What if?",
        "Force the attention onto another source piece at one step and let the model "
        "decode on from there: both outputs side by side.",
    ),
]
NO_ATTENTION_TOUR = (
    "This model has no attention, so this step's view is not here: pick a Bahdanau or "
    "Luong model of the pair in the sidebar to see it."
)
TOUR_STEP = "tour:step"
TOUR_DONE = "tour:done"
TOUR_REVEAL = "tour:reveal"  # the tour was just offered: its box scrolls into sight
# Our own constant script (no user text in it): the box scrolled just into sight where
# it opened below the window (a 720p laptop at 125%: the tab's top is near the bottom).
REVEAL_SCRIPT = """<script>
setTimeout(() => {
  const box = document.querySelector(".st-key-tour-box");
  if (box && box.getBoundingClientRect().bottom > window.innerHeight) {
    box.scrollIntoView({block: "nearest", behavior: "smooth"});
  }
}, 150);
</script>"""


def _tour_anchor() -> str | None:
    step = st.session_state.get(TOUR_STEP)
    return TOUR[step][0] if step is not None else None


TOUR_VIEW = {
    "scores": VIEWS[0],
    "softmax": VIEWS[0],
    "context": VIEWS[0],
    "order": VIEWS[1],
    "temperature": VIEWS[2],
    "whatif": VIEWS[3],
    "bottleneck": VIEWS[4],
}


def _tour_go(step: int | None, switch: bool = True) -> None:
    """Tour step ``step`` (None: the tour ends, done or skipped, and is remembered);
    with ``switch`` the view it explains opens."""
    st.session_state[TOUR_STEP] = step
    if step is None:
        st.session_state[TOUR_DONE] = True
    elif switch:
        st.session_state[VIEW] = TOUR_VIEW[TOUR[step][0]]
        st.session_state[TOUR_SCROLL] = True


def _tour_pressed() -> None:
    """A tour button was pressed: the next run keeps the keyboard on the tour."""
    st.session_state[TOUR_FOCUS] = st.session_state.get(TOUR_FOCUS, 0) + 1


def _tour_show(step: int) -> None:
    _tour_pressed()
    _tour_go(step)


def _tour_move(delta: int | None) -> None:
    """Next / back; None, or past the last step, ends the tour."""
    _tour_pressed()
    step = st.session_state.get(TOUR_STEP)
    if delta is None or step is None or not 0 <= step + delta < len(TOUR):
        _tour_go(None)
    else:
        _tour_go(step + delta)


def _tour_start() -> None:
    _tour_pressed()
    _tour_go(0)


def _keep_focus() -> None:
    """After a tour button's run, a keyboard user's focus is on Next (or on the button
    that starts the tour again) when the run left it nowhere: Streamlit draws the
    buttons anew, and the focus fell back to the top of the page, 20-30 Tabs away."""
    pressed = st.session_state.get(TOUR_FOCUS)
    if pressed and st.session_state.get(TOUR_FOCUSED) != pressed:
        st.session_state[TOUR_FOCUSED] = pressed
        restore_focus(TOUR_BUTTONS, f"tour-focus-{pressed}")


def tour_pointer(slot) -> None:
    """In ``slot`` (under the page's title) until the tour is taken or skipped: where it
    is (it starts on the Inside alpha tab, not on the Explorer a page opens with); not
    on that tab.  Called after the sidebar has read a link's tab and tour."""
    if not st.session_state.get(TOUR_DONE) and st.session_state.get("tab") != TAB:
        slot.caption(
            "New to attention? The **Inside \u03b1** tab takes one row of the heatmap apart "
            "(score, softmax, context, the bottleneck), with a guided tour."
        )


def tour_panel(attention: bool = True) -> None:
    """The tour box at the top of the tab; it starts by itself on a first visit.  For a
    model without attention (``attention`` False) only the bottleneck's steps have a view
    here: the others say so."""
    if not st.session_state.get(TOUR_DONE) and TOUR_STEP not in st.session_state:
        _tour_go(0, switch=False)  # a first visit: offered above the view that was asked for
        st.session_state[TOUR_REVEAL] = True
    step = st.session_state.get(TOUR_STEP)
    if step is None:
        st.button("Take the guided tour", key="tour:start", on_click=_tour_start)
        _keep_focus()
        return
    anchor, title, body = TOUR[step]
    with st.container(border=True, key="tour-box"):
        st.markdown(f"**Tour {step + 1} of {len(TOUR)}: {title}**")
        st.markdown(body)
        view = TOUR_VIEW[anchor]
        if not attention:  # no views to switch: the bottleneck is all this model shows
            if anchor != "bottleneck":
                st.caption(NO_ATTENTION_TOUR)
        elif st.session_state.get(VIEW, VIEWS[0]) != view:
            st.button(f"Show me: {view}", key="tour:show", on_click=_tour_show, args=(step,))
        buttons = st.container(horizontal=True)  # each button as wide as its label
        buttons.button("Back", key="tour:back", on_click=_tour_move, args=(-1,), disabled=step == 0)
        label = "Finish" if step == len(TOUR) - 1 else "Next"
        buttons.button(label, key="tour:next", on_click=_tour_move, args=(1,))
        buttons.button("Skip the tour", key="tour:skip", on_click=_tour_move, args=(None,))
    with st.container(key=f"tour-sticky-{step}"):  # a new element: its script runs again
        st.html(STICKY_SCRIPT, unsafe_allow_javascript=True)
        if st.session_state.pop(TOUR_REVEAL, False):
            st.html(REVEAL_SCRIPT, unsafe_allow_javascript=True)
    _keep_focus()
