"""Lesson comfort: presentation mode on every page, and the home page's tour in both
languages."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.pages.test_pages import texts
from tests.pages.test_results_pages import APP


def styles(app: AppTest) -> str:
    return "\n".join(element.value for element in app.markdown)


def presentation_script() -> None:
    from cnnviz.ui.presentation import apply_presentation, presentation_toggle

    presentation_toggle()
    apply_presentation()


def test_presentation_mode_enlarges_the_page_until_switched_off(folders) -> None:
    app = AppTest.from_function(presentation_script)
    app.run()
    assert "font-size: 21px" not in styles(app)
    app.toggle[0].set_value(True).run()
    assert "font-size: 21px" in styles(app)
    app.run()  # kept on the next run (and page) of the session
    assert "font-size: 21px" in styles(app) and app.toggle[0].value
    app.toggle[0].set_value(False).run()
    assert "font-size: 21px" not in styles(app)


def test_the_tour_is_open_for_a_first_visit_in_both_languages(folders) -> None:
    for language, first_step in (("en", "**Dataset**: pick the images"),
                                 ("es", "**Datos**: elige las imágenes")):
        app = AppTest.from_file(APP, default_timeout=60)
        app.query_params["lang"] = language
        app.run()
        assert first_step in texts(app)
        assert app.expander[0].proto.expanded
