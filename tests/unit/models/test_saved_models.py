"""Only .keras archives the app writes are loaded, in safe mode; code-carrying files are refused.

The hostile files are real Keras saves: a model with a ``Lambda`` layer as ``.keras`` and as
legacy HDF5, and an HDF5 file renamed ``.keras``.
"""

from __future__ import annotations

import ast
import io
import json
import re
import shutil
import zipfile
from importlib.metadata import version
from pathlib import Path

import keras
import numpy as np
import pytest

from cnnviz import runs
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import UnsafeModelError
from cnnviz.models.saved import load_saved_model
from cnnviz.preprocessing import ImageFormat
from cnnviz.training.callbacks import save_model
from cnnviz.training.inference import load_run_model
from tests.helpers.run_folders import make_run, make_trained_run

ROOT = Path(__file__).resolve().parents[3]
SHAPES = DatasetSpec(source="shapes", shapes_per_class=10, image_size=(16, 16))


def lambda_model() -> keras.Model:
    """A model whose Lambda layer stores Python bytecode: loading it unsafely would run it."""
    inputs = keras.Input((16, 16, 1))
    doubled = keras.layers.Lambda(lambda x: x * 2)(inputs)
    outputs = keras.layers.Dense(3, activation="softmax")(keras.layers.Flatten()(doubled))
    return keras.Model(inputs, outputs)


def test_a_model_the_app_wrote_loads(tmp_path: Path) -> None:
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    save_model(model, tmp_path / "model.keras")
    loaded = load_saved_model(tmp_path / "model.keras")
    assert np.allclose(loaded.get_weights()[0], model.get_weights()[0])


def test_a_run_whose_model_has_a_lambda_layer_is_refused(folders) -> None:
    """A run folder copied in from elsewhere with a code-carrying model.keras."""
    run_id = make_run("finished", dataset=SHAPES)
    lambda_model().save(runs.run_folder(run_id).model)
    with pytest.raises(UnsafeModelError, match="Lambda"):
        load_run_model(run_id, ImageFormat(16, 16, 1))


@pytest.mark.parametrize("name", ["model.h5", "model.keras"])
def test_hdf5_files_are_refused_with_or_without_code(tmp_path: Path, name: str) -> None:
    """Legacy HDF5 is never read, even renamed ``.keras`` and even without a Lambda layer."""
    plain = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    for model in (plain, lambda_model()):
        model.save(tmp_path / "saved.h5")
        shutil.move(tmp_path / "saved.h5", tmp_path / name)
        with pytest.raises(UnsafeModelError, match="not"):
            load_saved_model(tmp_path / name)


def archive_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def malformed_archive(tmp_path: Path, kind: str) -> bytes:
    """The bytes of a broken ``.keras`` file, made from a real save of the app."""
    save_model(keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)]),
               tmp_path / "good.keras")
    data = (tmp_path / "good.keras").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as good:
        members = {name: good.read(name) for name in good.namelist()}
    broken = {
        "renamed_zip": lambda: archive_of({"cats/a.png": b"not a model"}),
        "no_config": lambda: archive_of({k: v for k, v in members.items() if k != "config.json"}),
        "bad_json": lambda: archive_of({**members, "config.json": b"{not json"}),
        "config_not_an_object": lambda: archive_of({**members, "config.json": b"[1, 2]"}),
        "unknown_class": lambda: archive_of({**members, "config.json": json.dumps(
            {"class_name": "NoSuchModel", "config": {}}).encode()}),
        "no_weights": lambda: archive_of({k: v for k, v in members.items()
                                          if not k.startswith("model.weights")}),
        "bad_weights": lambda: archive_of({**members, "model.weights.h5": b"garbage"}),
        "truncated": lambda: data[: len(data) // 2],
    }
    return broken[kind]()


@pytest.mark.parametrize("kind", ["renamed_zip", "no_config", "bad_json", "config_not_an_object",
                                  "unknown_class", "no_weights", "bad_weights", "truncated"])
def test_a_file_that_is_not_a_valid_keras_archive_is_the_typed_error(tmp_path, kind) -> None:
    """A ZIP renamed ``.keras`` or a damaged save: never a raw KeyError from Keras' code."""
    (tmp_path / "model.keras").write_bytes(malformed_archive(tmp_path, kind))
    with pytest.raises(UnsafeModelError, match="model.keras is not a valid Keras model"):
        load_saved_model(tmp_path / "model.keras")


def test_a_run_with_a_renamed_zip_as_its_model_shows_the_message(folders, tmp_path) -> None:
    """The Look inside page explains instead of showing a traceback."""
    from tests.pages.test_pages import texts
    from tests.pages.test_results_pages import open_run

    run_id = make_run("finished", dataset=SHAPES)
    runs.run_folder(run_id).model.write_bytes(malformed_archive(tmp_path, "renamed_zip"))
    app = open_run("pages/inside.py", run_id)
    assert not app.exception, app.exception
    assert "not a valid Keras model" in texts(app)


def test_a_trained_run_still_loads_through_the_safe_door(folders) -> None:
    run_id = make_trained_run(SHAPES)
    assert load_run_model(run_id, ImageFormat(16, 16, 1)).model.count_params() > 0


def test_the_core_loads_models_only_through_the_safe_door() -> None:
    """No other module calls ``load_model`` (which would skip the checks above)."""
    callers = []
    for path in (ROOT / "cnnviz").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in ("load_model", "load_weights"):
                callers.append(path.relative_to(ROOT).as_posix())
    assert callers == ["cnnviz/models/saved.py"]


def version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


@pytest.mark.parametrize("package, minimum", [("keras", "3.15.1"), ("streamlit", "1.54.0")])
def test_pinned_and_installed_versions_carry_the_security_fixes(package, minimum) -> None:
    """Keras 3.15.1 closes the known safe-mode bypasses; Streamlit 1.54 its known advisories."""
    pins = dict(re.findall(r"^([\w-]+)==(\S+)", (ROOT / "requirements.txt").read_text(), re.M))
    assert version_tuple(pins[package]) >= version_tuple(minimum)
    assert version_tuple(version(package)) >= version_tuple(minimum)
