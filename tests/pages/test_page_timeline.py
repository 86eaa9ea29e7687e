"""Look inside's timeline through AppTest: a run trained by the real worker, a running run
whose recordings arrive between reruns, Spanish, a network without convolutions and an old run
without recordings."""

from __future__ import annotations

from pathlib import Path

import keras
import pytest
from streamlit.testing.v1 import AppTest

from cnnviz import runs
from cnnviz.datasets import load_dataset
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.inside.probe_files import write_epoch
from cnnviz.inside.probes import prepared_probes, probe_layers, record_epoch
from cnnviz.models.build import build_model
from cnnviz.models.spec import ModelSpec
from cnnviz.training import worker
from cnnviz.training.config import TrainConfig
from tests.helpers.run_folders import make_run, make_trained_run
from tests.pages.test_pages import texts
from tests.pages.test_results_pages import open_run

SHAPES = DatasetSpec(source="shapes", shapes_per_class=20, image_size=(28, 28), channels=1)


def epoch_slider(app: AppTest):
    return app.select_slider(key="timeline_epoch")


def captions(app: AppTest) -> str:
    return "\n".join(image.proto.imgs[0].caption for image in app.get("image"))


def record_untrained(run_id: str, epochs: range, architecture: str = "fashion_cnn") -> None:
    """Recordings written as the worker writes them, of an untrained network."""
    folder = runs.run_path(run_id)
    dataset = load_dataset(runs.read_config(run_id).dataset)
    model = build_model(ModelSpec(architecture=architecture), dataset.image_shape,
                        dataset.num_classes, seed=0).model
    probes = prepared_probes(folder, dataset, model)
    layers = probe_layers(model)
    probe = keras.Model(model.inputs, [layer.output for layer in layers]) if layers else None
    for epoch in epochs:
        write_epoch(folder, record_epoch(model, probe, probes, epoch))


@pytest.fixture
def finished(folders, monkeypatch) -> str:
    """A run of two epochs trained by the worker in this process."""
    monkeypatch.setattr(runs, "schedule", lambda: None)
    config = runs.RunConfig(SHAPES, ModelSpec(architecture="fashion_cnn"),
                            TrainConfig(epochs=2, batch_size=32), name="timeline")
    run_id = runs.create_run(config)
    assert worker.main(runs.run_path(run_id)) == 0, runs.read_status(run_id).get("error_detail")
    return run_id


def test_a_finished_run_steps_through_its_epochs(finished) -> None:
    app = open_run("pages/inside.py", finished)
    assert "Maps that grew during training" in [expander.label for expander in app.expander]
    slider = epoch_slider(app)
    assert slider.options == ["epoch 0", "epoch 1", "epoch 2"] and slider.value == 2
    assert "After epoch **2** (of 2 so far)." in texts(app)
    shown = captions(app)
    assert "The fixed image of circle" in shown
    assert "conv1 · Conv2D: its first 16 of 32 maps" in shown
    assert "The 32 filters of conv1 at this epoch" in shown
    epoch_slider(app).set_value(0).run()
    assert not app.exception
    assert "Before training (**epoch 0**)" in texts(app)
    app.selectbox(key="timeline_layer").set_value(1).run()
    app.selectbox(key="timeline_probe").set_value(2).run()
    assert "conv2 · Conv2D: its first 16 of 64 maps" in captions(app)
    assert "The fixed image of triangle" in captions(app)
    assert epoch_slider(app).value == 0  # the chosen epoch stays while other choices change
    app.toggle(key="timeline_play").set_value(True).run()
    assert epoch_slider(app).value == 1  # playing steps to the next epoch on each run
    app.run()
    app.run()
    assert epoch_slider(app).value == 0  # and starts again after the last
    assert not app.exception and not app.error


def test_the_timeline_in_spanish(finished) -> None:
    app = open_run("pages/inside.py", finished, language="es")
    assert "Mapas que crecieron al entrenar" in [expander.label for expander in app.expander]
    assert "Tras la época **2** (de 2 hasta ahora)." in texts(app)
    assert epoch_slider(app).options == ["época 0", "época 1", "época 2"]
    assert "La imagen fija de círculo" in captions(app)
    assert not app.exception


def test_a_running_run_follows_the_newest_epoch(folders) -> None:
    run_id = make_run("running", dataset=SHAPES)
    app = open_run("pages/inside.py", run_id)
    assert "The maps appear here as soon as the run starts training." in texts(app)
    record_untrained(run_id, range(2))
    app.run()
    assert epoch_slider(app).value == 1
    record_untrained(run_id, range(2, 3))
    app.run()  # what the fragment's poll does
    assert epoch_slider(app).options[-1] == "epoch 2" and epoch_slider(app).value == 2
    epoch_slider(app).set_value(0).run()
    record_untrained(run_id, range(3, 4))
    app.run()
    assert epoch_slider(app).value == 0  # an epoch the student chose is left alone
    assert epoch_slider(app).options[-1] == "epoch 3" and not app.exception


def test_a_network_without_convolutions_says_so(folders) -> None:
    run_id = make_run("running", dataset=SHAPES, model_spec=ModelSpec(architecture="mlp"))
    record_untrained(run_id, range(1), architecture="mlp")
    app = open_run("pages/inside.py", run_id)
    assert "This network has no convolution (a multilayer perceptron)" in texts(app)
    assert not app.exception


def test_an_old_run_without_recordings_says_so_and_the_page_still_works(folders) -> None:
    run_id = make_trained_run(DatasetSpec(source="shapes", shapes_per_class=20,
                                          image_size=(32, 32)))
    assert not runs.run_folder(run_id).probes.exists()
    app = open_run("pages/inside.py", run_id)
    assert "This run was trained before cnnviz recorded maps" in texts(app)
    assert "Choose an image above" in texts(app)  # the rest of the page is there as before
    assert not app.exception and not app.error


def test_the_probe_files_stay_small(finished) -> None:
    folder: Path = runs.run_folder(finished).probes
    sizes = [path.stat().st_size for path in folder.glob("epoch-*.npz")]
    assert len(sizes) == 3 and max(sizes) < 200_000


def test_an_unknown_run_in_the_address_is_explained(folders) -> None:
    app = open_run("pages/inside.py", "no-such-run")
    assert "Nothing to look inside yet" in texts(app)
    assert not app.exception and not app.expander
