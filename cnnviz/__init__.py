"""cnnviz core: data, models, training, runs, analysis and figures.

Nothing in this package imports Streamlit (outside ``cnnviz.ui``), so every computation a page
shows can be reached by a unit test.
"""
