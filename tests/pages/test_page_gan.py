"""The GAN page through AppTest: no runs (and starting one), a running GAN, a finished GAN with
every tab, a classifier judging its samples, and Spanish."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from cnnviz import runs
from cnnviz.datasets.spec import DatasetSpec
from tests.helpers.run_folders import make_gan_run, make_trained_run
from tests.pages.test_pages import texts
from tests.pages.test_results_pages import APP, open_run

SHAPES = DatasetSpec(source="shapes", shapes_per_class=8, image_size=(16, 16), channels=1)
TABS = ("Sampler", "Noise sliders", "Interpolation", "Memorisation and collapse")



def images(app: AppTest) -> list:
    return app.get("image")


def test_without_runs_the_form_starts_a_gan(folders) -> None:
    _, started = folders
    app = open_run("pages/gan.py", None)
    assert "No GAN has been trained yet: choose its settings above" in texts(app)
    assert next(expander for expander in app.expander
                if expander.label == "Train a new GAN").proto.expanded  # already open
    app.session_state["dataset_spec"] = SHAPES
    app.run()
    app.selectbox[-1].set_value("circle").run()  # images to imitate: circles only
    next(button for button in app.button if button.label == "Train the GAN").click().run()
    assert not app.exception
    gan_ids = [run["run_id"] for run in runs.list_runs() if run["kind"] == "gan"]
    assert len(gan_ids) == 1 and started == gan_ids
    config = runs.read_config(gan_ids[0])
    assert config.model.architecture == "dcgan" and config.model.gan_class == "circle"
    assert config.training.learning_rate == pytest.approx(1e-4)


def test_a_dataset_a_gan_cannot_draw_is_explained(folders) -> None:
    app = open_run("pages/gan.py", None)
    app.session_state["dataset_spec"] = DatasetSpec(source="shapes", shapes_per_class=8,
                                                    image_size=(30, 20))
    app.run()
    assert app.error and "square images" in app.error[0].value
    assert not [button for button in app.button if button.label == "Train the GAN"]


def test_a_running_gan_shows_its_curves_and_nothing_to_sample_yet(folders) -> None:
    run_id = make_gan_run("running", SHAPES)
    app = open_run("pages/gan.py", run_id)
    assert "running" in texts(app)
    assert len(app.get("plotly_chart")) == 2
    app.session_state["gan_tab"] = "Sampler"
    app.run()
    assert "Nothing to sample yet" in texts(app) and not app.exception


def test_a_finished_gan_in_every_tab(folders) -> None:
    run_id = make_gan_run("finished", SHAPES, epochs=2)
    app = open_run("pages/gan.py", run_id)
    assert not app.error and len(app.get("plotly_chart")) == 3  # two curves, the animation
    assert app.select_slider(key="gan_monitor_epoch").options == ["1", "2"]
    for label in TABS:
        app.session_state["gan_tab"] = label
        app.run()
        assert not app.exception, (label, app.exception)
        assert not app.error, label
    app.session_state["gan_tab"] = "Sampler"
    app.run()
    first = images(app)[0].proto.imgs[0].url
    next(button for button in app.button if button.label == "New samples").click().run()
    assert app.number_input(key="gan_seed").value == 1
    assert images(app)[0].proto.imgs[0].url != first
    app.session_state["gan_tab"] = "Noise sliders"
    app.run()
    before = images(app)[0].proto.imgs[0].url
    app.slider(key="gan_z0_0").set_value(2.5).run()
    assert images(app)[0].proto.imgs[0].url != before


def test_memorisation_and_class_balance_with_a_classifier(folders) -> None:
    gan_id = make_gan_run("finished", SHAPES, epochs=1)
    make_trained_run(SHAPES)
    app = open_run("pages/gan.py", gan_id)
    app.session_state["gan_tab"] = "Memorisation and collapse"
    app.run()
    assert not app.exception
    assert len(images(app)) == 16  # 8 generated images and their nearest training images
    assert [metric.label for metric in app.metric] == ["Generated images", "Real images",
                                                       "Generated / real"]
    assert "Distance between the two balances" in texts(app)
    assert np.isfinite(float(app.metric[2].value.rstrip("%")))


def test_the_train_page_shows_a_gan_run(folders) -> None:
    run_id = make_gan_run("finished", SHAPES, epochs=1)
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params["run"] = run_id
    app.run()
    app.switch_page("pages/train.py").run()
    assert not app.exception and not app.error
    assert len(app.get("plotly_chart")) == 2


def test_the_gan_page_in_spanish(folders) -> None:
    app = open_run("pages/gan.py", make_gan_run("finished", SHAPES, epochs=1), "es")
    assert app.title[0].value == "Red generativa (DCGAN)" and not app.exception
