"""Export: the matrix (CSV, JSON), the whole trace (JSON), links (Pharaoh), the figure."""

from __future__ import annotations

import streamlit as st

from models.trace import DecodeTrace
from models.unknown import target_notes
from viz.export import export_stem, figure_title, matrix_csv, matrix_json, trace_json
from viz.heatmap import heatmap_figure
from viz.links import argmax_links, to_pharaoh
from viz.matrix import attention_view

from . import state


def export_view(trace: DecodeTrace, level: str) -> None:
    stem = export_stem(trace.model, trace.mode, trace.source.text, level)
    force = trace.settings.get("force")
    forced = isinstance(force, str) and "force_ids" not in trace.settings  # typed, not own
    notes = target_notes(state.entry(trace.model).tokenizer, force) if forced else []
    st.download_button(
        "Trace (JSON)",
        trace_json(trace, notes),
        file_name=f"{export_stem(trace.model, trace.mode, trace.source.text)}-trace.json",
        mime="application/json",
        key="export:trace",
    )
    if not trace.has_attention:
        st.info("No attention matrix to export for this model.")
        return
    view = attention_view(trace, 0, level)
    st.download_button(
        "Matrix (CSV)",
        matrix_csv(view),
        file_name=f"{stem}-alphas.csv",
        mime="text/csv",
        key="export:csv",
    )
    st.download_button(
        "Matrix (JSON)",
        matrix_json(view),
        file_name=f"{stem}-alphas.json",
        mime="application/json",
        key="export:json",
    )
    links = to_pharaoh(argmax_links(attention_view(trace, 0, "words")))
    st.download_button(
        "Links (Pharaoh, source-target)",
        links + "\n",
        file_name=f"{export_stem(trace.model, trace.mode, trace.source.text, 'words')}.wa",
        mime="text/plain",
        key="export:wa",
    )
    fmt = st.radio(
        "Figure format (the camera button above the figure saves it)",
        ["svg", "png"],
        format_func=str.upper,
        key="export:format",
        horizontal=True,
    )
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": fmt,
            "filename": f"{stem}-attention",
            "scale": 2,
        },
    }
    title = figure_title(trace.model, trace.mode, trace.source.text)
    st.plotly_chart(
        heatmap_figure(view, title=title), key="export:figure", config=config, width="content"
    )
