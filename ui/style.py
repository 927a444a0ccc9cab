"""The page's own style sheet (``page.css``), added once per run."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit as st

CSS = Path(__file__).resolve().parent / "page.css"


@functools.cache
def _css() -> str:
    return CSS.read_text(encoding="utf-8")


def page_style() -> None:
    """A style element only: it takes no room on the page."""
    st.html(f"<style>{_css()}</style>")


# Our own constant script, the selector ours too (no user text in it).  A redraw that
# drops the focus may come after the script has run: it looks again for a while, and
# leaves alone a focus that is somewhere (a click elsewhere).
FOCUS_SCRIPT = """<script>
(() => {
  let looks = 0;
  const look = () => {
    const active = document.activeElement;
    if (!active || active === document.body) {
      const target = document.querySelector(SELECTOR);
      if (target) target.focus({preventScroll: true});
    }
    if (++looks < 15) setTimeout(look, 100);
  };
  look();
})();
</script>"""


def restore_focus(selector: str, key: str) -> None:
    """Put a keyboard user's focus on the first element ``selector`` finds when the run
    left it nowhere (Streamlit draws widgets anew and the focus fell to the top of the
    page).  ``key``, new for each use: a container of its own makes a new element, whose
    script runs (an html element only given new content keeps its first script)."""
    with st.container(key=key):
        script = FOCUS_SCRIPT.replace("SELECTOR", json.dumps(selector))
        st.html(script, unsafe_allow_javascript=True)


TAB_SHOWN = "page:tab-shown"  # the tab the last run showed
TAB_SWITCHES = "page:tab-switches"  # how many times the tab changed in this session
SELECTED_TAB = '[role="tab"][aria-selected="true"]'  # the page's tab bar comes first


def keep_tab_focus(tab: str | None) -> None:
    """After the tab changed, a keyboard user's focus is on the tab bar again when the
    redraw left it nowhere (about one switch in four by arrow keys dropped it)."""
    shown = st.session_state.get(TAB_SHOWN)
    st.session_state[TAB_SHOWN] = tab
    if shown is not None and shown != tab:
        switches = st.session_state[TAB_SWITCHES] = st.session_state.get(TAB_SWITCHES, 0) + 1
        restore_focus(SELECTED_TAB, f"tab-focus-{switches}")
