"""Start the app: ``python -m ui.serve [streamlit run options]`` (what ``make run`` does).

While the server starts and the browser loads the page, a background thread imports
the heavy modules (torch, plotly, pandas) and loads the checkpoints, so the first
page finds them ready instead of paying for them (~3 s on a 2-core machine).
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"


def warm(delay: float = 0.6) -> None:
    time.sleep(delay)  # let the server bind and answer first; the browser then loads
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401

    from models.device import resolve_device
    from models.registry import checkpoints_root, scan_cached

    from . import state  # noqa: F401  (the page's own imports: streamlit, torch, viz)

    scan_cached(checkpoints_root(), resolve_device(None))


def main(argv: list[str] | None = None) -> int:
    threading.Thread(target=warm, name="warm-up", daemon=True).start()
    from streamlit.web import cli

    args = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", "run", str(APP), *args]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
