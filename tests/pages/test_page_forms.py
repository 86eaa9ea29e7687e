"""The settings pages keep every edit: the same widget changed twice in a row keeps the second
value too (keyless widgets fed the session's last choice became new widgets at each rerun and
dropped every second edit), and a page opened later shows what was chosen."""

from __future__ import annotations

from cnnviz.datasets.spec import DatasetSpec
from cnnviz.ui.state import RUN_KEY
from tests.helpers.run_folders import make_gan_run
from tests.pages.test_pages import open_page
from tests.pages.test_results_pages import open_run


def by_label(widgets, label: str):
    return next(widget for widget in widgets if widget.label == label)


def test_the_dataset_page_keeps_every_edit_and_shows_them_on_the_next_visit(folders) -> None:
    app = open_page("pages/dataset.py")
    for seed in (9, 6, 4):
        by_label(app.number_input, "Seed (splits and sampling)").set_value(seed).run()
        assert not app.exception
        assert app.session_state["dataset_spec"].seed == seed
    for count in (100, 200):
        by_label(app.slider, "Images per class").set_value(count).run()
        assert app.session_state["dataset_spec"].shapes_per_class == count
    for rotation in (0.1, 0.2):
        by_label(app.slider, "Rotation (turns)").set_value(rotation).run()
        assert app.session_state["dataset_spec"].augmentation.rotation == rotation
    by_label(app.checkbox, "Resize images").check().run()
    by_label(app.select_slider, "Size (pixels a side)").set_value(28).run()
    by_label(app.select_slider, "Size (pixels a side)").set_value(16).run()
    assert app.session_state["dataset_spec"].image_size == (16, 16)
    assert "16x16x3" in "\n".join(element.value for element in app.success)

    app.switch_page("pages/model.py").run()
    app.switch_page("pages/dataset.py").run()
    assert by_label(app.number_input, "Seed (splits and sampling)").value == 4
    assert by_label(app.select_slider, "Size (pixels a side)").value == 16
    assert by_label(app.slider, "Rotation (turns)").value == 0.2


def test_the_dataset_page_opens_on_a_choice_made_elsewhere(folders) -> None:
    app = open_page("pages/dataset.py")
    app.switch_page("pages/model.py").run()
    app.session_state["dataset_spec"] = DatasetSpec(source="digits", seed=3,
                                                    validation_fraction=0.1, image_size=(100, 100))
    app.switch_page("pages/dataset.py").run()
    assert not app.exception
    assert by_label(app.selectbox, "Source").value == "digits"
    assert by_label(app.number_input, "Seed (splits and sampling)").value == 3
    assert by_label(app.slider, "Validation share (of training images)").value == 0.1
    size = by_label(app.select_slider, "Size (pixels a side)")
    assert size.value == 100 and "100" in size.options  # not one of the usual sizes


def test_the_model_page_keeps_every_edit(folders) -> None:
    app = open_page("pages/model.py")
    by_label(app.selectbox, "Architecture").set_value("mlp").run()
    for units in (256, 1024):
        by_label(app.select_slider, "Hidden units").set_value(units).run()
        assert not app.exception
        assert app.session_state["model_spec"].hidden_units == units
    by_label(app.checkbox, "Change the dropout rate").check().run()
    for rate in (0.4, 0.5):
        by_label(app.slider, "Dropout rate").set_value(rate).run()
        assert app.session_state["model_spec"].dropout_rate == rate
    by_label(app.selectbox, "Architecture").set_value("fashion_cnn").run()
    by_label(app.selectbox, "Architecture").set_value("mlp").run()
    assert app.session_state["model_spec"].architecture == "mlp"
    assert by_label(app.select_slider, "Hidden units").value == 1024


def test_the_gan_page_keeps_every_pick_of_a_run(folders) -> None:
    shapes = DatasetSpec(source="shapes", shapes_per_class=8, image_size=(16, 16), channels=1)
    first, second, third = (make_gan_run("running", shapes) for _ in range(3))
    app = open_run("pages/gan.py", first)
    picker = next(box for box in app.selectbox if box.label == "GAN run")
    assert picker.value == first
    for picked in (second, third, first):
        next(box for box in app.selectbox if box.label == "GAN run").set_value(picked).run()
        assert not app.exception
        assert app.session_state[RUN_KEY] == picked
        assert next(box for box in app.selectbox if box.label == "GAN run").value == picked
