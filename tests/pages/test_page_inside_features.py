"""Look inside's feature visualisation and attribution tabs through AppTest, on a saved run of
every model family (a classic CNN, ResNet-18, the builder's network; a transfer model in the
slow suite), in English and Spanish."""

from __future__ import annotations

import time

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from cnnviz import runs
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.inside.feature_store import CLASSES, pictures_path, read_pictures
from cnnviz.models.spec import BlockSpec, ModelSpec
from cnnviz.ui.inside_features import model_stamp
from tests.helpers.run_folders import make_trained_run
from tests.pages.test_page_inside import a_shape, encoded, upload
from tests.pages.test_pages import texts
from tests.pages.test_results_pages import open_run

SHAPES = DatasetSpec(source="shapes", shapes_per_class=20, image_size=(32, 32))
FAMILIES = {
    "classic": ModelSpec(architecture="fashion_cnn"),
    "resnet": ModelSpec(architecture="resnet18"),
    "builder": ModelSpec(architecture="builder", blocks=(
        BlockSpec("conv", filters=8), BlockSpec("pool"), BlockSpec("conv", filters=8),
        BlockSpec("dense", units=16))),
}
TRANSFER = ModelSpec(architecture="transfer", base="mobilenet_v2", weights=None, head_units=(8,))
LABELS = {"en": ("What filters look for", "What classes look like", "Attribution",
                 "Find what they look for"),
          "es": ("Qué buscan los filtros", "Cómo ve cada clase", "Atribución",
                 "Buscar qué buscan")}


def open_tab(app: AppTest, label: str) -> AppTest:
    app.session_state["inside_tab"] = label
    app.run()
    assert not app.exception, app.exception
    assert not app.error, [error.value for error in app.error]
    return app


def computed(app: AppTest, run_id: str, layer: str, button: str,
             seconds: float = 240) -> AppTest:
    """Press the compute button, wait for the background thread's file, draw the result."""
    app.button(key=f"inside_features_compute_{layer}").click().run()
    assert not app.exception, app.exception
    assert app.get("progress"), "a progress bar while the ascent runs"
    path = pictures_path(runs.run_path(run_id), layer)
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert path.exists(), "the pictures were not written in time"
    app.run()
    assert not app.exception, app.exception
    assert button not in [element.label for element in app.button]
    return app


def image_count(app: AppTest) -> int:
    return len(app.get("image"))


def check_every_new_tab(run_id: str, language: str = "en") -> None:
    features, classes, attribution, button = LABELS[language]
    app = open_run("pages/inside.py", run_id, language)
    # Chosen before the image, so that the first tab (whose map selector AppTest cannot
    # serialise back in Spanish: it formats the options in English) is never drawn.
    app.session_state["inside_tab"] = features
    upload(app, "square.png", encoded(a_shape()))
    shown_before = 1  # the input, on every tab
    assert not app.error
    layer = app.selectbox(key="inside_features_layer").value
    if app.slider(key="inside_features_count") is not None:
        app.slider(key="inside_features_count").set_value(2).run()
    computed(app, run_id, layer, button)
    # Two filters: each pattern and its montage of the strongest test images.
    assert image_count(app) == shown_before + 4
    stored = read_pictures(runs.run_path(run_id), layer, model_stamp(run_id))
    assert stored is not None and stored.targets.tolist() == [0, 1]
    assert (stored.example_rows >= 0).all()  # the run has more than nine test images

    open_tab(app, classes)
    computed(app, run_id, CLASSES, button)
    assert image_count(app) == shown_before + 6  # one picture per class of the shapes dataset

    open_tab(app, attribution)
    overlays = image_count(app) - shown_before
    assert overlays == 5  # saliency, SmoothGrad, Integrated Gradients, Grad-CAM, occlusion
    assert "**" in texts(app)  # the completeness sentence, numbers in bold


@pytest.mark.parametrize("family", list(FAMILIES))
def test_the_new_tabs_work_for_every_family(folders, family) -> None:
    check_every_new_tab(make_trained_run(SHAPES, FAMILIES[family]))


@pytest.mark.slow
def test_the_new_tabs_work_for_a_transfer_model(folders) -> None:
    check_every_new_tab(make_trained_run(SHAPES, TRANSFER))


def test_the_new_tabs_in_spanish(folders) -> None:
    check_every_new_tab(make_trained_run(SHAPES), "es")


def test_attribution_follows_the_chosen_class_and_resets_for_a_new_image(folders) -> None:
    run_id = make_trained_run(SHAPES)
    app = open_tab(upload(open_run("pages/inside.py", run_id), "square.png",
                          encoded(a_shape())), "Attribution")
    box = app.selectbox(key="inside_attribution_class")
    first = box.value
    before = [image.proto.imgs[0].url for image in app.get("image")]
    box.set_value((first + 1) % 6).run()
    assert not app.exception
    after = [image.proto.imgs[0].url for image in app.get("image")]
    assert before != after
    assert app.selectbox(key="inside_attribution_class").format_func((first + 1) % 6) in texts(app)
    line = np.zeros((48, 48, 3), np.uint8)
    line[22:26, 4:44] = 255
    from PIL import Image
    upload(app, "line.png", encoded(Image.fromarray(line)))
    shown = texts(app)
    predicted_name = next(part.split("**")[1] for part in shown.split("The network says")[1:])
    box = app.selectbox(key="inside_attribution_class")
    assert box.format_func(box.value) == predicted_name


def test_an_mlp_has_no_filters_but_attribution_works(folders) -> None:
    run_id = make_trained_run(SHAPES, ModelSpec(architecture="mlp", hidden_units=16))
    app = upload(open_run("pages/inside.py", run_id), "square.png", encoded(a_shape()))
    open_tab(app, "What filters look for")
    assert "no convolution to show" in texts(app)
    open_tab(app, "Attribution")
    assert image_count(app) == 1 + 4  # the input; no Grad-CAM without maps


def test_stored_pictures_are_read_back_without_computing_again(folders) -> None:
    run_id = make_trained_run(SHAPES)
    app = upload(open_run("pages/inside.py", run_id), "square.png", encoded(a_shape()))
    open_tab(app, "What filters look for")
    app.slider(key="inside_features_count").set_value(1).run()
    computed(app, run_id, "conv1", "Find what they look for")
    again = open_tab(upload(open_run("pages/inside.py", run_id), "square.png",
                            encoded(a_shape())), "What filters look for")
    again.slider(key="inside_features_count").set_value(1).run()
    assert "Find what they look for" not in [element.label for element in again.button]
    assert not again.get("progress")
