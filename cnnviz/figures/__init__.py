"""Plotly figures from plain data: data in, ``go.Figure`` out, one module per page (the GAN
page's are in ``cnnviz.gan.figures``). No Streamlit, no model.

Text shown on a figure is passed in by the caller (already translated), so the same function
draws the English and the Spanish page.
"""
