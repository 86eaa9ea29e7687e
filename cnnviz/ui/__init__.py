"""Streamlit helpers: the only part of cnnviz that imports Streamlit."""
