"""Start the app: ``python -m ui.serve [streamlit run options]`` (what ``make run`` does).

While the server starts and the browser loads the page, a background thread imports
torch and the models and loads the checkpoints, so the first page finds them ready
instead of paying for them (~2 s on a 2-core machine).
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"


def warm(delay: float = 0.5) -> None:
    """Import torch and the models, list the checkpoints, then load the weights of the
    model the page opens on and build its translator before all the others (the first
    view waits for that one only; the rest load while it is drawn).

    It starts half a second after the main thread has imported Streamlit: the server
    binds and answers the browser's first requests, and the import then runs while
    the browser loads and compiles the page's JavaScript.  (Started at once it would
    slow the server's own start, as both share one interpreter lock: server start to
    first clickable heatmap measured 3.7-4.6 s, median 3.9, over seven starts,
    against 4.0-5.4 s, median 4.4, over nine.)
    """
    time.sleep(delay)
    from models.device import resolve_device
    from models.registry import checkpoints_root, load_all, scan_cached

    from . import state  # the page's own imports: torch, viz

    entries = scan_cached(checkpoints_root(), resolve_device(None))
    opens = state.page_default({e.name: e.config.pair for e in entries if e.available})
    load_all(entries, first=opens[1] if opens else None, translator=True)


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
