"""Start the app: ``python -m ui.serve [streamlit run options]`` (what ``make run`` does).

The first view is drawn from a trace stored with the default checkpoint, without
torch; a background thread then imports torch and loads the opening pair's models, so the first
decoding finds them ready instead of paying for them (~2 s on a 2-core machine).
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"


def warm(delay: float = 0.5, after_view: float = 1.0, longest: float = 8.0) -> None:
    """List the checkpoints, then import torch and load the weights of the model the
    page opens on and build its translator, then the weights of the other models of its
    pair.

    The listing starts ``delay`` seconds after the main thread has imported Streamlit, so
    the server binds and answers the browser's first requests first.  Torch waits for
    the first page to be drawn (``state.FIRST_VIEW``, then ``after_view`` seconds for
    the browser to draw it) or ``longest`` seconds, whichever comes first: that view
    needs no torch (it comes from a trace stored with the checkpoint), and importing
    torch holds the interpreter lock for long stretches, which held back the page's
    messages while the browser waited for them.
    """
    time.sleep(delay)
    from models.registry import checkpoints_root, load_all, scan_cached

    from . import state  # the page's own imports (no torch: that comes with the weights)

    entries = scan_cached(checkpoints_root())
    opens = state.page_default({e.name: e.config.pair for e in entries if e.available})
    if state.FIRST_VIEW.wait(longest):
        time.sleep(after_view)
    # the opening pair's models only: the others load when a page first asks for them
    # (a quarter of a second each), not while the first clicks are being answered
    pair = [e for e in entries if e.available and opens and e.config.pair == opens[0]]
    load_all(pair, first=opens[1] if opens else None, translator=True)


def main(argv: list[str] | None = None) -> int:
    # Streamlit, plotly and pandas are imported here, before the warm-up thread starts:
    # plotly looks pandas up in sys.modules without waiting for its import to finish,
    # so importing them from two threads at once can hand it a half-made module.
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401
    from streamlit.web import cli

    threading.Thread(target=warm, name="warm-up", daemon=True).start()
    args = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", "run", str(APP), *args]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
