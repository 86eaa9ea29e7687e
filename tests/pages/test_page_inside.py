"""The Look inside page through AppTest: every input kind, every bad input, every tab, in
both languages, on a run with a real saved Keras model."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from cnnviz.datasets.spec import DatasetSpec
from cnnviz.models.spec import ModelSpec
from tests.helpers.run_folders import make_run, make_trained_run
from tests.pages.test_pages import texts
from tests.pages.test_results_pages import open_run

SHAPES = DatasetSpec(source="shapes", shapes_per_class=20, image_size=(32, 32))
TABS = ("Feature maps", "Layer by layer", "Filters", "Grad-CAM", "Occlusion", "Edited copy")


def encoded(image: Image.Image, format: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def a_shape() -> Image.Image:
    """A white square on black, like the shapes dataset."""
    pixels = np.zeros((48, 48, 3), np.uint8)
    pixels[12:36, 12:36] = 255
    return Image.fromarray(pixels)


@pytest.fixture
def trained(folders) -> str:
    return make_trained_run(SHAPES)



def upload(app: AppTest, name: str, data: bytes, mime: str = "image/png") -> AppTest:
    app.file_uploader(key="inside_upload").set_value((name, data, mime))
    app.run()
    assert not app.exception, app.exception
    return app


def image_captions(app: AppTest) -> str:
    return "\n".join(image.proto.imgs[0].caption for image in app.get("image"))


def predicted(app: AppTest) -> bool:
    shown = texts(app)
    return "The network says" in shown or "La red dice" in shown


@pytest.mark.parametrize("state", [None, "running"])
def test_without_a_model_the_page_explains(folders, state) -> None:
    app = open_run("pages/inside.py", make_run(state) if state else None)
    assert "Nothing to look inside yet" in texts(app)
    assert not app.error


def test_an_upload_is_classified_and_every_tab_draws(trained) -> None:
    app = open_run("pages/inside.py", trained)
    assert not predicted(app)
    assert "Choose an image above" in texts(app)
    upload(app, "square.png", encoded(a_shape()))
    assert predicted(app) and not app.error
    assert app.get("plotly_chart")  # the top-k bars
    for label in TABS:
        app.session_state["inside_tab"] = label
        app.run()
        assert not app.exception, (label, app.exception)
        assert not app.error, label
    # The last tab compares the image with an edited copy: moving a slider changes the copy.
    before = [image.proto.imgs[0].url for image in app.get("image")]
    app.slider[0].set_value(45).run()  # a quarter turn would leave the centred square as it is
    after = [image.proto.imgs[0].url for image in app.get("image")]
    assert before != after


def test_feature_maps_step_through_every_layer(trained) -> None:
    app = upload(open_run("pages/inside.py", trained), "square.png", encoded(a_shape()))
    layers = app.select_slider(key="inside_layer")
    assert layers.options == ["conv1", "pool1", "conv2", "pool2"]
    for name in layers.options:
        app.select_slider(key="inside_layer").set_value(layers.options.index(name)).run()
        assert not app.exception
        assert f"{name} · " in image_captions(app)


def test_filters_and_grad_cam_of_a_chosen_class(trained) -> None:
    app = upload(open_run("pages/inside.py", trained), "square.png", encoded(a_shape()))
    app.session_state["inside_tab"] = "Filters"
    app.run()
    assert "The 32 filters of conv1" in texts(app)
    assert len(app.get("image")) == 1 + 32  # the input and every filter
    app.session_state["inside_tab"] = "Grad-CAM"
    app.run()
    app.selectbox(key="inside_cam_class").set_value(3).run()
    assert not app.exception
    assert any("conv2" in caption.value for caption in app.caption)


def test_a_new_image_resets_the_occlusion_class_to_its_own_prediction(trained) -> None:
    app = upload(open_run("pages/inside.py", trained), "square.png", encoded(a_shape()))
    app.session_state["inside_tab"] = "Occlusion"
    app.run()
    first = app.selectbox(key="inside_occlusion_class").value
    other = (first + 1) % 6
    app.selectbox(key="inside_occlusion_class").set_value(other).run()
    assert app.selectbox(key="inside_occlusion_class").value == other
    line = np.zeros((48, 48, 3), np.uint8)
    line[22:26, 4:44] = 255
    upload(app, "line.png", encoded(Image.fromarray(line)))  # or a drawing: a new input
    shown = texts(app)
    predicted_name = next(part.split("**")[1] for part in shown.split("The network says")[1:])
    box = app.selectbox(key="inside_occlusion_class")
    assert box.format_func(box.value) == predicted_name
    assert predicted_name in image_captions(app)


def test_black_feature_maps_are_explained(trained) -> None:
    from cnnviz.inside.activations import zero_channels
    from cnnviz.ui.cached import run_model

    black = Image.fromarray(np.zeros((48, 48, 3), np.uint8))
    app = upload(open_run("pages/inside.py", trained), "black.png", encoded(black))
    maps, _ = run_model(trained).layer_maps(np.zeros((32, 32, 3), np.uint8))
    silent = int(zero_channels(maps[0].maps).sum())  # the first layer, shown first
    message = f"{silent} of these 32 maps are black"
    assert (message in texts(app)) == (silent > 0)
    assert silent > 0, "a black image leaves every filter with a negative bias at 0"


def test_a_photo_from_the_camera(trained) -> None:
    app = open_run("pages/inside.py", trained)
    app.segmented_control(key="inside_source").set_value("camera").run()
    assert "Choose an image above" in texts(app)  # nothing taken yet
    app.camera_input(key="inside_camera").set_value(
        ("photo.jpg", encoded(a_shape(), "JPEG"), "image/jpeg"))
    app.run()
    assert not app.exception and predicted(app)


def test_the_canvas_left_empty_asks_for_a_drawing(trained) -> None:
    app = open_run("pages/inside.py", trained)
    app.segmented_control(key="inside_source").set_value("draw").run()
    assert not app.exception and not app.error and not predicted(app)
    assert "Choose an image above" in texts(app)


def test_an_image_of_the_test_set_and_only_the_mistakes(trained) -> None:
    app = open_run("pages/inside.py", trained)
    app.segmented_control(key="inside_source").set_value("test").run()
    assert not app.exception and predicted(app)
    assert "True class:" in texts(app)
    app.toggle[0].set_value(True).run()
    assert not app.exception
    assert predicted(app) or "every test image right" in texts(app)


def cmyk() -> bytes:
    return encoded(a_shape().convert("CMYK"), "JPEG")


def sixteen_bit() -> bytes:
    return encoded(Image.fromarray((np.arange(48 * 48).reshape(48, 48) * 20).astype(np.uint16)))


def with_alpha() -> bytes:
    return encoded(a_shape().convert("RGBA"))


def palette() -> bytes:
    return encoded(a_shape().convert("P"))


@pytest.mark.parametrize("make", [cmyk, sixteen_bit, with_alpha, palette])
def test_unusual_image_modes_are_classified(trained, make) -> None:
    app = upload(open_run("pages/inside.py", trained), "odd.png", make())
    assert predicted(app) and not app.error


@pytest.mark.parametrize("name, data, message", [
    ("notes.png", b"these are my notes, not a picture", "not an image"),
    ("cut.png", encoded(a_shape())[:80], "damaged or truncated"),
    ("empty.png", b"", "cannot be used"),
])
def test_bad_uploads_get_a_clear_message_and_the_page_keeps_working(trained, name, data,
                                                                   message) -> None:
    app = upload(open_run("pages/inside.py", trained), name, data)
    assert app.error and message in app.error[0].value
    assert not predicted(app)
    upload(app, "square.png", encoded(a_shape()))  # the next upload works
    assert predicted(app) and not app.error


def test_a_huge_image_is_refused_before_decoding(trained, monkeypatch) -> None:
    monkeypatch.setenv("CNNVIZ_MAX_IMAGE_PIXELS", "10000")
    app = upload(open_run("pages/inside.py", trained), "big.png",
                 encoded(Image.new("L", (200, 200))))
    assert app.error and "more than the 10,000 allowed" in app.error[0].value


def test_the_page_in_spanish(trained) -> None:
    app = upload(open_run("pages/inside.py", trained, "es"), "square.png", encoded(a_shape()))
    assert app.title[0].value == "Mirar dentro de la red"
    assert predicted(app) and not app.error


@pytest.mark.parametrize("model_spec, filters", [
    (ModelSpec(architecture="mlp", hidden_units=16), None),
    pytest.param(ModelSpec(architecture="transfer", base="mobilenet_v2", weights=None,
                           head_units=(8,)), "of Conv1", marks=pytest.mark.slow),
])
def test_every_tab_works_for_an_mlp_and_a_transfer_model(folders, model_spec, filters) -> None:
    run_id = make_trained_run(SHAPES, model_spec)
    app = upload(open_run("pages/inside.py", run_id), "square.png", encoded(a_shape()))
    assert predicted(app) and not app.error
    for label in TABS:
        app.session_state["inside_tab"] = label
        app.run()
        assert not app.exception, (label, app.exception)
        assert not app.error, label
        shown = texts(app)
        if filters is None and label in ("Feature maps", "Layer by layer", "Grad-CAM"):
            assert "no layer that keeps the image's layout" in shown
        if label == "Filters":
            assert (filters in shown) if filters else "no convolution to show" in shown
        if label == "Grad-CAM" and filters:
            assert "maps of feature_map" in shown
