"""The page's own style sheet (``page.css``), added once per run."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

CSS = Path(__file__).resolve().parent / "page.css"


@functools.cache
def _css() -> str:
    return CSS.read_text(encoding="utf-8")


def page_style() -> None:
    """A style element only: it takes no room on the page."""
    st.html(f"<style>{_css()}</style>")


TAB_SHOWN = "page:tab-shown"  # the tab the last run showed
TAB_SWITCHES = "page:tab-switches"  # how many times the tab changed in this session
# Our own constant script: the count in the comment makes each switch's script new, so
# that it runs.  The page's tab bar is the first in the page (Inside alpha's comes after).
# The redraw that drops the focus may come after this script has run: it looks again
# for a while.
TAB_FOCUS_SCRIPT = """<script>
(() => {
  let looks = 0;
  const look = () => {
    const active = document.activeElement;
    if (!active || active === document.body) {
      const tab = document.querySelector('[role="tab"][aria-selected="true"]');
      if (tab) tab.focus({preventScroll: true});
    }
    if (++looks < 15) setTimeout(look, 100);
  };
  look();
})();
</script><!-- %d -->"""


def keep_tab_focus(tab: str | None) -> None:
    """After the tab changed, a keyboard user's focus is on the tab bar again when the
    redraw left it nowhere (Streamlit draws the tabs anew; about one switch in four by
    arrow keys dropped the focus to the top of the page)."""
    shown = st.session_state.get(TAB_SHOWN)
    st.session_state[TAB_SHOWN] = tab
    if shown is not None and shown != tab:
        switches = st.session_state[TAB_SWITCHES] = st.session_state.get(TAB_SWITCHES, 0) + 1
        # a container of its own key: a new element, whose script runs (an element only
        # given new content keeps its first script)
        with st.container(key=f"tab-focus-{switches}"):
            st.html(TAB_FOCUS_SCRIPT % switches, unsafe_allow_javascript=True)
