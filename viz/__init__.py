"""Pure functions from decoding traces to figures and HTML (no Streamlit, no torch)."""
