"""The Streamlit entry point renders without errors."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_home_page_shows_every_shape_class() -> None:
    app = AppTest.from_file(APP, default_timeout=30).run()
    assert not app.exception
    shown = " ".join(block.value for block in app.markdown)
    for class_name in ("circle", "square", "triangle", "star", "cross", "line"):
        assert f"**{class_name}**" in shown
    assert len(app.get("image")) == 36
    app.number_input[0].set_value(5).run()
    assert not app.exception
