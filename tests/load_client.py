"""A headless page session: Streamlit's own websocket protocol, no browser.

One ``PageSession`` is what one browser tab is to the server: it connects to
``/_stcore/stream``, asks for script runs with its widget values, and reads the
elements back.  Enough of the protocol to type a sentence and click a heatmap cell,
so a load test can run many sessions at once on a 2-core machine.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX
from websockets.sync.client import connect


@dataclass
class Page:
    """What one script run showed."""

    texts: list[str] = field(default_factory=list)
    markdown: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def label(self) -> str | None:
        """The explorer's "<target word> attends to:" label, if shown."""
        for body in self.markdown:
            if 'class="hl-source-label"' in body:
                label = body.split('class="hl-source-label">', 1)[1].split("</span>", 1)[0]
                return html.unescape(label)
        return None


class PageSession:
    def __init__(self, url: str, timeout: float = 60.0) -> None:
        ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self._connection = connect(ws_url, subprotocols=["streamlit"], origin=url, max_size=None)
        self.timeout = timeout
        self.widgets: dict[str, WidgetState] = {}
        self.ids: dict[str, str] = {}  # "source" text area, "chart" heatmap
        self.fragments: dict[str, str] = {}  # widget role -> fragment it lives in
        self.page_hash = ""
        self.picks = 0  # heatmap picks sent

    def __enter__(self) -> PageSession:
        self.ws = self._connection.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._connection.__exit__(*exc)

    def run(self, fragment: str = "") -> Page:
        state = ClientState(
            query_string="",
            widget_states=WidgetStates(widgets=list(self.widgets.values())),
            page_script_hash=self.page_hash,
            fragment_id=fragment,
        )
        self.ws.send(BackMsg(rerun_script=state).SerializeToString())
        return self._read()

    def type_source(self, text: str) -> Page:
        self.widgets["source"] = WidgetState(id=self.ids["source"], string_value=text)
        return self.run()

    def click_cell(self, row: int, col: int, n_cols: int) -> Page:
        """What the browser sends for a click on heatmap cell (row, col): the SVG
        heatmap fires its "row" trigger with the row and the pick's number (col and
        n_cols only matter to a Plotly chart, which the explorer uses for very large
        matrices)."""
        chart = self.ids["chart"]
        trigger = f"{STREAMLIT_INTERNAL_KEY_PREFIX}_{chart}__events"
        self.picks += 1  # the heatmap numbers its picks (ui.heatmap_component)
        value = json.dumps([{"event": "row", "value": {"row": row, "seq": self.picks}}])
        self.widgets["chart"] = WidgetState(id=trigger, json_trigger_value=value)
        try:
            return self.run(self.fragments.get("chart", ""))
        finally:
            self.widgets.pop("chart", None)  # a trigger lasts one run

    def _read(self) -> Page:
        page = Page()
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(self.ws.recv(timeout=self.timeout))
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = msg.new_session.main_script_hash or self.page_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element, msg.delta.fragment_id, page)
            elif kind == "script_finished":
                return page

    def _element(self, element, fragment: str, page: Page) -> None:
        kind = element.WhichOneof("type")
        if kind == "text":
            page.texts.append(element.text.body)
        elif kind == "markdown":
            page.markdown.append(element.markdown.body)
        elif kind == "exception":
            page.errors.append(element.exception.message)
        elif kind == "text_area" and element.text_area.label == "Source sentence":
            self.ids["source"] = element.text_area.id
        elif kind == "bidi_component" and element.bidi_component.id:
            self.ids["chart"] = element.bidi_component.id
            self.fragments["chart"] = fragment
