"""Images a streamed split cannot decode are counted and reported, never dropped in silence.

The files are real PNGs cut after their header: the folder reader lists them (their size reads),
so only decoding them while training or evaluating finds them out.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cnnviz import runs
from cnnviz.datasets import DatasetSpec, load_dataset
from cnnviz.models.spec import ModelSpec
from cnnviz.training.config import TrainConfig
from tests.helpers.imagefiles import make_class_folder
from tests.pages.test_pages import texts
from tests.pages.test_results_pages import open_run
from tests.unit.training.test_training import ended, wait_for

CLASSES = {"dark": 14, "light": 14}


def truncated_png() -> bytes:
    """A noise PNG whose header reads but whose pixel data is cut off."""
    noise = np.random.default_rng(0).integers(0, 256, (32, 32, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, format="PNG")
    return buffer.getvalue()[: len(buffer.getvalue()) * 6 // 10]


def streamed_folder(data_dir: Path, damaged: int) -> DatasetSpec:
    """Two classes of real PNGs; the first ``damaged`` images of each class truncated."""
    make_class_folder(data_dir / "photos", CLASSES, size=(32, 32))
    for name in CLASSES:
        for index in range(damaged):
            (data_dir / "photos" / name / f"{index}.png").write_bytes(truncated_png())
    return DatasetSpec(source="folder", path="photos", image_size=(28, 28), channels=1,
                       storage="stream", validation_fraction=0.2, test_fraction=0.25)


def damaged_per_split(spec: DatasetSpec, damaged: int) -> dict[str, int]:
    """Where the damaged files landed, from the same splits the worker loads."""
    dataset = load_dataset(spec)
    bad = {f"{index}.png" for index in range(damaged)}
    return {name: sum(Path(item).name in bad for item in dataset.split(name).items)
            for name in ("train", "validation", "test")}


def test_a_streamed_split_counts_what_it_cannot_decode(data_dir: Path) -> None:
    from cnnviz.datasets.dropped import DroppedImages
    from cnnviz.datasets.pipeline import make_tf_dataset

    spec = streamed_folder(data_dir, damaged=2)
    dataset = load_dataset(spec)
    assert dataset.storage == "stream" and not dataset.skipped
    dropped = DroppedImages()
    labels = np.concatenate([labels for _, labels in make_tf_dataset(
        dataset, "train", batch_size=4, training=True, dropped=dropped).as_numpy_iterator()])
    expected = damaged_per_split(spec, 2)["train"]
    assert expected and len(labels) == len(dataset.train) - expected
    assert dropped.count("train") == expected
    assert {Path(item.path).name for item in dropped.items()} <= {"0.png", "1.png"}
    assert all("damaged or truncated" in item.reason for item in dropped.items())


@pytest.mark.slow
def test_the_worker_reports_dropped_images_and_the_counts_trained_on(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the real worker: the run's status, metrics and evaluation say what was left out,
    and the Train and Evaluation pages show it."""
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    spec = streamed_folder(data_dir, damaged=3)
    where = damaged_per_split(spec, 3)
    assert where["train"] and where["test"], where
    loaded = load_dataset(spec)
    sizes = {name: len(loaded.split(name)) - where[name] for name in where}

    run_id = runs.start_run(runs.RunConfig(
        spec, ModelSpec(architecture="fashion_cnn"),
        TrainConfig(epochs=2, batch_size=8, log_every_batches=1)))
    status = wait_for(run_id, ended)
    assert status["state"] == "finished", status.get("error_detail")
    assert status["dropped_images"] == where
    assert status["split_sizes"] == sizes
    folder = runs.run_path(run_id)
    listed = json.loads((folder / "dropped.json").read_text())
    assert sorted(Path(item["path"]).name for item in listed) == ["0.png"] * 2 + ["1.png"] * 2 \
        + ["2.png"] * 2
    metrics = json.loads((folder / "metrics.json").read_text())
    assert metrics["dropped_images"] == where and metrics["split_sizes"] == sizes
    evaluation = np.load(folder / "evaluation.npz")
    assert len(evaluation["y_true"]) == sizes["test"]
    assert evaluation["train_counts"].sum() == sizes["train"]

    for page in ("pages/train.py", "pages/evaluation.py"):
        shown = texts(open_run(page, run_id))
        assert f"{sum(where.values())} images could not be decoded" in shown, page
        assert f"{sizes['train']} training" in shown, page
    spanish = texts(open_run("pages/evaluation.py", run_id, language="es"))
    assert f"{sum(where.values())} imágenes no se pudieron decodificar" in spanish
