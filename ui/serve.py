"""Start the app: ``python -m ui.serve [streamlit run options]`` (what ``make run`` does).

The first view is drawn from a trace stored with the default checkpoint, without
torch or pandas; a background thread then imports them and loads the opening pair's
models, so the first decoding finds them ready instead of paying for them (~2 s on a
2-core machine).
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"


def warm(delay: float = 0.5, after_view: float = 1.0, longest: float = 8.0) -> None:
    """List the checkpoints; once the first view is drawn, import pandas, then torch,
    load the weights of the model the page opens on and build its translator, then the
    weights of the other models of its pair.

    The listing starts ``delay`` seconds after the main thread has imported Streamlit, so
    the server binds and answers the browser's first requests first.  The imports wait
    for the first page to be drawn (``state.FIRST_VIEW``, then ``after_view`` seconds for
    the browser to draw it) or ``longest`` seconds, whichever comes first: that view
    needs neither (it comes from a trace stored with the checkpoint), and importing
    them holds the interpreter lock for long stretches, which held back the page's
    messages while the browser waited for them.
    """
    time.sleep(delay)
    from models.registry import checkpoints_root, load_all, scan_cached

    from . import state  # the page's own imports (no torch, no pandas)

    entries = scan_cached(checkpoints_root())
    opens = state.page_default({e.name: e.config.pair for e in entries if e.available})
    if state.FIRST_VIEW.wait(longest):
        time.sleep(after_view)
    with state.FIRST_RUN:  # no page run before the first view sees a half-made pandas
        state.pandas_settled()  # the tables and Plotly figures of the other views
    # the opening pair's models only: the others load when a page first asks for them
    # (a quarter of a second each), not while the first clicks are being answered
    pair = [e for e in entries if e.available and opens and e.config.pair == opens[0]]
    load_all(pair, first=opens[1] if opens else None, translator=True)


def quiet_direct_run_check() -> None:
    """Streamlit looks for a Python prompt before its first element is sent, to warn
    anyone who runs a page without ``streamlit run``: ``inspect.stack()``, which maps
    every loaded module to its file, a tenth of a second of the first view.  This is
    ``streamlit run``, so the warning is marked as given."""
    import streamlit.delta_generator as delta_generator

    if hasattr(delta_generator, "_use_warning_has_been_displayed"):
        delta_generator._use_warning_has_been_displayed = True


def main(argv: list[str] | None = None) -> int:
    from streamlit.web import cli

    quiet_direct_run_check()
    threading.Thread(target=warm, name="warm-up", daemon=True).start()
    args = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", "run", str(APP), *args]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
