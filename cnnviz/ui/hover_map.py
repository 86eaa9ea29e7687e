"""A map whose points show their image on hover.

Streamlit's own Plotly chart reports clicks and selections but not hovers, and Plotly's hover
box shows text only. This view is a plain HTML page (``st.components.v1.html``) running
plotly.js with a small script that shows a thumbnail, cut from one sprite sheet, beside the
pointer. plotly.js is served by the app itself (``server.enableStaticServing``, the
``static/`` folder), so it loads offline and once per browser, not inside every page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import plotly
import plotly.graph_objects as go
import streamlit.components.v1 as components

from cnnviz.analysis.sprites import png_bytes, sprite_sheet
from cnnviz.figures.embedding import hover_thumbnails_html

STATIC_FOLDER = Path(__file__).resolve().parents[2] / "static"
PLOTLY_JS_URL = "/app/static/plotly.min.js"


def plotly_js_url() -> str:
    """The URL of the plotly.js the app serves, copied from the plotly package on first use
    (the file is not kept in git)."""
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    target = STATIC_FOLDER / "plotly.min.js"
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        STATIC_FOLDER.mkdir(exist_ok=True)
        temporary = target.with_suffix(".tmp")
        shutil.copyfile(source, temporary)
        temporary.replace(target)
    return PLOTLY_JS_URL


def hover_map(figure: go.Figure, images: np.ndarray, height: int = 580) -> None:
    """Draw ``figure`` so that hovering point ``i`` (its ``customdata``) shows ``images[i]``."""
    sheet, columns, tile = sprite_sheet(images)
    components.html(hover_thumbnails_html(figure, png_bytes(sheet), columns, tile,
                                          plotly_js_url()), height=height)
